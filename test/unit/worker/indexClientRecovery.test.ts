/**
 * The index worker under user SQL and failures: a long "Run SQL Query…" never holds up the index,
 * and an index worker that dies (here: out of memory under a tight heap limit) is restarted on
 * the same file, the caller is told, and the index answers again.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompiledQuery } from 'kysely';
import { SqlStoppedError } from '../../../src/core/sql/sqlDoor';
import { startIndexWorker } from '../../../src/core/worker/indexClient';
import { REPO_ROOT } from '../helpers/paths';

const WORKER = path.join(REPO_ROOT, 'dist', 'indexWorker.js');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const roots = [{ name: 'ws', absPath: FIXTURE }];

describe('index worker client: SQL door and recovery', function () {
  this.timeout(90000);
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(WORKER), 'dist/indexWorker.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-recovery-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers other queries at once while a user query runs, and after it is stopped', async () => {
    const client = startIndexWorker(WORKER, undefined);
    try {
      await client.opened;
      await client.index({ roots });
      const abort = new AbortController();
      const forever = client.readOnlySql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', { maxRows: 10, timeoutMs: 0, signal: abort.signal });
      forever.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The user query never ends until it is aborted below: an answer at all means listRuns did not queue behind it.
      assert.equal((await client.analytics.listRuns()).length, 10);
      abort.abort();
      await assert.rejects(forever, (e: Error) => e instanceof SqlStoppedError && e.reason === 'cancelled');
      const refused = client.readOnlySql('PRAGMA query_only = OFF; DELETE FROM decisions', { maxRows: 10 });
      await assert.rejects(refused, /read-only/);
      const count = await client.readOnlySql('SELECT COUNT(*) FROM decisions', { maxRows: 1 });
      assert.ok(Number(count.rows[0][0]) > 0);
      // The API's Kysely goes through the same door: reads work, writes are refused.
      assert.equal((await client.readOnlyKysely.selectFrom('runs').select('id').execute()).length, 10);
      await assert.rejects(client.readOnlyKysely.deleteFrom('decisions').execute(), /read-only/);
      // A caller's begin/commit would be separate messages to the worker, free to interleave with an index pass.
      await assert.rejects(client.readOnlyKysely.transaction().execute((trx) => trx.selectFrom('runs').select('id').execute()), /Transactions are refused/);
      assert.equal(Number((await client.kysely.selectFrom('decisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), Number(count.rows[0][0]));
    } finally {
      await client.close();
    }
  });

  it('restarts a worker that died, on the same file, and says so', async () => {
    const file = path.join(dir, 'index.db');
    const seed = startIndexWorker(WORKER, file);
    await seed.opened;
    await seed.index({ roots });
    await seed.save();
    await seed.close();

    const client = startIndexWorker(WORKER, file, { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 } });
    try {
      await client.opened;
      const told = new Promise<string>((resolve) => client.onRestart(resolve));
      // An internal query far too big for the worker's heap: the thread dies of it.
      const huge = CompiledQuery.raw("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) SELECT x, printf('%.200c', 'y') AS pad FROM c");
      await assert.rejects(client.kysely.executeQuery(huge), /index worker/);
      assert.match(await told, /restarted/);
      assert.equal((await client.analytics.listRuns()).length, 10, 'the restarted worker opened the saved index');
    } finally {
      await client.close();
    }
  });
});
