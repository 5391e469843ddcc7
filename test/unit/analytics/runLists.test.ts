/**
 * The run lists on both engines: listRuns and the narrow calls beside it (listRunIds,
 * listRunNames, listFolders without a run, the runs of a metric), on a workspace with a run id two folders carry and a
 * folder that carries none. Each engine must give the known answers, the narrow calls must agree
 * with listRuns, and PostgreSQL must answer exactly what sql.js answers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Analytics } from '../../../src/core/analytics/analytics';
import { indexOn } from '../helpers/engineIndex';
import { REPO_ROOT } from '../helpers/paths';
import { jsonToTwelveDigits } from '../helpers/postgres';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const SOURCE = 'run-lists';
const SUMMIT = 'output/ai-summit';
/** A copy of run-002 (Scenario Lab V2): a second folder carrying the same run id. */
const COPY = `${SUMMIT}/run-002-copy`;
/** A copy of run-001 (V1, its id made from its folder): another run created at the same time. */
const V1_COPY = `${SUMMIT}/run-001-copy`;
/** World-state files only: a folder without a run id. */
const NO_RUN = `${SUMMIT}/leftovers`;

describe('run lists on both engines', function () {
  this.timeout(120000);
  let workspace: string;
  const answers = new Map<string, string>();

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-run-lists-'));
    fs.cpSync(path.join(FIXTURE, 'output'), path.join(workspace, 'output'), { recursive: true });
    fs.cpSync(path.join(FIXTURE, 'scenarios'), path.join(workspace, 'scenarios'), { recursive: true });
    fs.cpSync(path.join(workspace, SUMMIT, 'run-002'), path.join(workspace, COPY), { recursive: true });
    fs.cpSync(path.join(workspace, SUMMIT, 'run-001'), path.join(workspace, V1_COPY), { recursive: true });
    fs.mkdirSync(path.join(workspace, NO_RUN));
    fs.copyFileSync(path.join(workspace, SUMMIT, 'run-001', 'world-state-001.md'), path.join(workspace, NO_RUN, 'world-state-001.md'));
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(engine, function () {
      let analytics: Analytics;
      let close: (() => Promise<void>) | undefined;
      /** A folder's workspace-relative path (the shared index keys folders by source). */
      const relative = (key: string) => key.replace(`${SOURCE}/`, '');

      before(async function () {
        ({ analytics, close } = await indexOn(engine, this, [{ name: 'ws', absPath: workspace }], { prefix: 'sl_run_lists', source: SOURCE }));
      });
      after(() => close?.());

      it('listRuns: newest first (then by id), each run with its folders by path and their fields', async () => {
        const runs = await analytics.listRuns();
        assert.equal(runs.length, 9);
        // The two V1 runs were created at the same time: the id decides.
        assert.deepEqual(runs.slice(-2).map((r) => r.id), [`v1:${SUMMIT}/run-001`, `v1:${V1_COPY}`]);
        const order = runs.map((r) => `${r.created} ${r.id}`);
        assert.deepEqual(order, [...order].sort((a, b) => (a.slice(0, 26) === b.slice(0, 26) ? a.localeCompare(b) : b.localeCompare(a))));
        for (const run of runs) assert.match(run.created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/, 'Scenario Lab\'s SQLite timestamp text');
        const copied = runs.find((r) => r.folders.length === 2)!;
        assert.equal(copied.id, 'run-20251124-094755');
        assert.deepEqual(copied.folders.map((f) => relative(f.path)), [`${SUMMIT}/run-002`, COPY]);
        for (const folder of copied.folders) {
          assert.equal(folder.runId, copied.id);
          assert.equal(folder.pending, false);
          assert.equal(typeof folder.lastTurn, 'number');
        }
        assert.deepEqual(Object.keys(copied.folders[0]), [
          'path', 'format', 'runId', 'scenarioName', 'status', 'lastTurn', 'leftoverTurn', 'plannedTurns', 'firstPersistedTurn',
          'startedAt', 'lastRecordAt', 'lastWrittenAt', 'completedAt', 'error', 'totalCost', 'pending',
        ]);
        assert.deepEqual(Object.keys(copied), ['id', 'scenarioId', 'scenarioName', 'created', 'status', 'totalTurns', 'totalCost', 'folders']);
        assert.ok(runs.every((r) => r.folders.length >= 1), 'every run of the workspace has a folder');
        answers.set(`${engine} listRuns`, comparable(runs));
      });

      it('listRunIds and listRunNames: listRuns narrowed, in its order, for all runs and for one scenario', async () => {
        const scenarios = await analytics.listScenarios();
        assert.equal(scenarios.length, 2);
        for (const scenarioId of [undefined, ...scenarios.map((s) => s.scenarioId)]) {
          const runs = await analytics.listRuns({ scenarioId });
          assert.ok(runs.length > 0);
          assert.deepEqual(await analytics.listRunIds({ scenarioId }), runs.map((r) => r.id));
          const names = await analytics.listRunNames({ scenarioId });
          assert.deepEqual(names, runs.map((r) => ({ id: r.id, folders: r.folders.map((f) => ({ path: f.path })) })));
          answers.set(`${engine} names ${scenarioId}`, comparable(names));
        }
        assert.deepEqual(await analytics.listRunIds({ scenarioId: 'no-such-scenario' }), []);
        assert.deepEqual(await analytics.listRunNames({ scenarioId: 'no-such-scenario' }), []);
      });

      it('listFolders without a run: only the folders that carry no run id', async () => {
        const all = await analytics.listFolders();
        assert.equal(all.length, 11);
        const without = await analytics.listFolders({ withoutRun: true });
        assert.deepEqual(without.map((f) => relative(f.path)), [NO_RUN]);
        assert.deepEqual(without, all.filter((f) => f.runId === null));
        assert.equal(without[0].pending, false);
        answers.set(`${engine} folders`, comparable(all));
      });

      it('folderActivity of running runs: the folders carrying a run whose stored status is running', async () => {
        const running = new Set((await analytics.listRuns()).filter((r) => r.status === 'running').flatMap((r) => r.folders.map((f) => f.path)));
        assert.equal(running.size, 2);
        const all = await analytics.folderActivity();
        const ofRunning = await analytics.folderActivity({ runStatus: 'running' });
        assert.deepEqual(ofRunning, all.filter((a) => running.has(a.folder)));
        assert.deepEqual(await analytics.folderActivity({ runStatus: 'no-such-status' }), []);
        answers.set(`${engine} activity of running runs`, comparable(ofRunning.map((a) => a.folder)));
      });

      it('listMetricRunIds: the runs with records of a metric, as the records themselves name them', async () => {
        const [metric] = await analytics.listMetricNames();
        for (const options of [{ scenario: metric.scenarioId }, {}]) {
          const fromRecords = [...new Set((await analytics.queryMetrics({ metricName: metric.name, ...options })).map((m) => m.runId))].sort();
          const ids = await analytics.listMetricRunIds(metric.name, options);
          assert.ok(ids.length > 0);
          assert.deepEqual(ids, fromRecords);
          answers.set(`${engine} metric runs ${JSON.stringify(options)}`, comparable(ids));
        }
        assert.deepEqual(await analytics.listMetricRunIds('no-such-metric', { scenario: metric.scenarioId }), []);
      });

      if (engine === 'postgres') {
        it('answers exactly what sql.js answers', () => {
          const mine = [...answers].filter(([key]) => key.startsWith('postgres '));
          assert.ok(mine.length >= 4);
          for (const [key, answer] of mine) assert.equal(answer, answers.get(key.replace('postgres ', 'sqlite ')), key);
        });
      }
    });
  }
});

/** JSON text without the shared index's source prefix, numbers to 12 digits (the engines add costs in different orders). */
function comparable(value: unknown): string {
  return jsonToTwelveDigits(value).split(`${SOURCE}/`).join('');
}
