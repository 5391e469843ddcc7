/**
 * The index worker as the extension uses it: dist/indexWorker.js started as a thread, queried
 * through Kysely. Every answer must equal the in-process one (results cross the thread packed as
 * column names plus value arrays).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { startIndexWorker, type IndexClient } from '../../../src/core/worker/indexClient';
import { REPO_ROOT } from '../helpers/paths';

const WORKER = path.join(REPO_ROOT, 'dist', 'indexWorker.js');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const roots = [{ name: 'ws', absPath: FIXTURE }];

describe('index worker client', function () {
  this.timeout(60000);
  let client: IndexClient;
  let local: ConnectedScenarioIndex;

  before(async () => {
    assert.ok(fs.existsSync(WORKER), 'dist/indexWorker.js is built (npm run build)');
    client = startIndexWorker(WORKER, undefined);
    await client.opened;
    local = await openConnectedScenarioIndex(undefined);
    await Promise.all([client.index({ roots }), local.index({ roots })]);
  });
  after(async () => {
    await client.close();
    await local.close();
  });

  it('answers the analytics API exactly as an index in this thread does', async () => {
    const [runId, other] = (await local.analytics.listRuns()).map((r) => r.id);
    const calls: Array<(a: ConnectedScenarioIndex['analytics']) => Promise<unknown>> = [
      (a) => a.listRuns(),
      (a) => a.getRun(runId),
      (a) => a.compareRuns([runId, other]),
      (a) => a.queryMetrics({ metricName: 'trust_level' }),
      (a) => a.queryDecisionsForActorPage('China', {}, { offset: 2, limit: 3 }),
      (a) => a.listTurns(runId),
      (a) => a.listProblems(),
    ];
    for (const call of calls) assert.deepEqual(await call(client.analytics), await call(local.analytics));
  });

  it('keeps column names, NULLs and empty results', async () => {
    const rows = await client.kysely
      .selectFrom('runs')
      .select(['id', 'status'])
      .select((eb) => eb.val(null).as('nothing'))
      .where('id', '=', 'no-such-run')
      .execute();
    assert.deepEqual(rows, []);
    const [row] = await client.kysely.selectFrom('runs').select(['id as run', (eb) => eb.val(null).as('nothing')]).limit(1).execute();
    assert.deepEqual(Object.keys(row), ['run', 'nothing']);
    assert.equal(row.nothing, null);
  });

  it('indexes a batch through its reader thread into the same rows as an index in this thread', async () => {
    const batch = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-worker-batch-'));
    try {
      // More run folders than a pass needs before it starts a reader (dist/readWorker.js, beside the worker).
      generateSampleWorkspace({ runs: 20, turns: 2, actors: 3 }, (relative, content) => {
        const file = path.join(batch, ...relative.split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      });
      const batchRoots = [{ name: 'batch', absPath: batch }];
      const options = { roots: batchRoots, read: { pendingWindowMs: 0 } };
      const [threaded, here] = await Promise.all([client.index(options), local.index(options)]);
      assert.ok(threaded.foldersIndexed >= 20);
      assert.deepEqual({ ...threaded, durationMs: 0 }, { ...here, durationMs: 0 });
      const dump = (kysely: IndexClient['kysely']) => kysely.selectFrom('decisions').selectAll().orderBy('id').execute();
      assert.deepEqual(await dump(client.kysely), await dump(local.kysely));
    } finally {
      fs.rmSync(batch, { recursive: true, force: true });
    }
  });

  it('reports affected rows of a write', async () => {
    const result = await client.kysely.deleteFrom('sl_problems').where('message', '=', 'no such message').executeTakeFirst();
    assert.equal(result.numDeletedRows, 0n);
  });
});
