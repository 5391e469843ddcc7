/**
 * One analytics suite, run on both engines: the sample workspace indexed into sql.js and into
 * PostgreSQL, then every analytics question asked of each. Each engine must give the fixture's
 * known answers, and PostgreSQL must give exactly what sql.js gives (folder keys compared
 * without the shared index's source prefix).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Analytics } from '../../../src/core/analytics/analytics';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { openSharedIndex } from '../../../src/core/sharedIndex';
import { indexOn } from '../helpers/engineIndex';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, jsonToTwelveDigits, requirePostgres } from '../helpers/postgres';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const SOURCE = 'engine-suite';
const REGULATORY = 'ai-regulatory-negotiation';
const RUN = 'run-20251124-151111';
const roots = [{ name: 'workspace-small', absPath: WORKSPACE }];

type Question = [name: string, ask: (a: Analytics) => Promise<unknown>];

/** Every analytics question, with arguments the sample workspace answers. */
const QUESTIONS: Question[] = [
  ['getRun', (a) => a.getRun(RUN)],
  ['listRuns', (a) => a.listRuns()],
  ['listRuns by scenario', (a) => a.listRuns({ scenarioId: REGULATORY })],
  ['listFolders', (a) => a.listFolders()],
  ['listFolders without a run', (a) => a.listFolders({ withoutRun: true })],
  ['listRunIds', (a) => a.listRunIds()],
  ['listRunIds by scenario', (a) => a.listRunIds({ scenarioId: REGULATORY })],
  ['listRunNames', (a) => a.listRunNames()],
  ['listRunNames by scenario', (a) => a.listRunNames({ scenarioId: REGULATORY })],
  ['folders of running runs', async (a) => (await a.folderActivity({ runStatus: 'running' })).map((f) => f.folder)],
  ['listScenarios', (a) => a.listScenarios()],
  ['listActors', (a) => a.listActors()],
  ['listMetricNames', (a) => a.listMetricNames()],
  ['listMetricActors', (a) => a.listMetricActors('trust_level')],
  ['listTurns', (a) => a.listTurns(RUN)],
  ['listDecisions', (a) => a.listDecisions(RUN)],
  ['listDecisions of a turn', (a) => a.listDecisions(RUN, 2)],
  ['listCommunications', (a) => a.listCommunications(RUN)],
  ['queryMetrics', (a) => a.queryMetrics({ metricName: 'trust_level' })],
  ['queryMetrics of one turn', (a) => a.queryMetrics({ runIds: [RUN], turnNum: 3 })],
  ['queryMetricsPage', (a) => a.queryMetricsPage({ scenario: REGULATORY }, { offset: 5, limit: 20 })],
  ['queryMetricsPage by name and scenario', async (a) => {
    const [metric] = await a.listMetricNames();
    return a.queryMetricsPage({ metricName: metric.name, scenario: metric.scenarioId }, { offset: 3, limit: 4 });
  }],
  ['queryMetricsPage past the end', async (a) => {
    const [metric] = await a.listMetricNames();
    return a.queryMetricsPage({ metricName: metric.name, scenario: metric.scenarioId }, { offset: 100000, limit: 20 });
  }],
  ['queryDecisionsForActorPage', async (a) => {
    const [first] = await a.listActors();
    return a.queryDecisionsForActorPage(first.actor, { scenario: first.scenarioId }, { offset: 1, limit: 3 });
  }],
  ['metricSeriesByRun', (a) => a.metricSeriesByRun('cooperation_level', { scenario: REGULATORY })],
  ['metricSummaryByRun', (a) => a.metricSummaryByRun([RUN, 'run-20251124-163940'])],
  ['getRunStatistics', (a) => a.getRunStatistics(RUN)],
  ['compareRuns', (a) => a.compareRuns([RUN, 'run-20251124-163940'])],
  ['aggregateMetrics', (a) => a.aggregateMetrics('trust_level')],
  ['aggregateMetrics by scenario', (a) => a.aggregateMetrics('cooperation_level', { scenario: REGULATORY })],
  ['metricEvolution', (a) => a.metricEvolution('cooperation_level')],
  ['costByTurn', (a) => a.costByTurn(RUN)],
  ['declaredMetricRange', (a) => a.declaredMetricRange('cooperation_level')],
  ['metricChartChoices', (a) => a.metricChartChoices('cooperation_level')],
  ['listProblems', (a) => a.listProblems()],
  ['runIdClashes', (a) => a.runIdClashes()],
  ['listExperiments', (a) => a.listExperiments()],
];

/**
 * The answer as JSON text, with the shared index's folder keys back to workspace-relative ones and
 * numbers to 12 significant digits: the engines add a run's costs in different orders.
 */
function comparable(value: unknown): string {
  return jsonToTwelveDigits(value).split(`${SOURCE}/`).join('');
}

describe('analytics on both engines (sample workspace)', function () {
  this.timeout(120000);
  const answers = new Map<string, Map<string, string>>();

  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(engine, function () {
      let analytics: Analytics;
      let close: (() => Promise<void>) | undefined;

      before(async function () {
        ({ analytics, close } = await indexOn(engine, this, roots, { prefix: 'sl_engines', source: SOURCE }));
      });
      after(() => close?.());

      it('knows the sample workspace: 10 runs, their statistics, a metric aggregate', async () => {
        const runs = await analytics.listRuns();
        assert.equal(runs.length, 10);
        const stats = (await analytics.getRunStatistics(RUN))!;
        assert.deepEqual([stats.turnCount, stats.status], [5, 'completed']);
        assert.ok(stats.decisionCount > 0 && stats.communicationCount > 0 && stats.metricCount > 0);
        const coop = (await analytics.metricSummaryByRun([RUN])).find((s) => s.metric === 'cooperation_level')!;
        assert.deepEqual([coop.final, coop.finalTurn, coop.count], [7, 5, 5]);
        const aggregate = await analytics.aggregateMetrics('cooperation_level');
        assert.ok(aggregate.count > 0 && aggregate.min! <= aggregate.avg! && aggregate.avg! <= aggregate.max!);
        // A turn's metrics (what expanding a turn in the Runs tree reads) are the run's records of that turn, in the same order.
        const ofRun = await analytics.queryMetrics({ runIds: [RUN] });
        const ofTurn = await analytics.queryMetrics({ runIds: [RUN], turnNum: 3 });
        assert.ok(ofTurn.length > 0);
        assert.deepEqual(ofTurn, ofRun.filter((m) => m.turnNum === 3));
      });

      it('answers every analytics question', async () => {
        const mine = new Map<string, string>();
        for (const [name, ask] of QUESTIONS) mine.set(name, comparable(await ask(analytics)));
        answers.set(engine, mine);
        if (engine === 'postgres') {
          const embedded = answers.get('sqlite');
          assert.ok(embedded, 'the sqlite half ran first');
          for (const [name] of QUESTIONS) assert.equal(mine.get(name), embedded.get(name), `${name} differs between PostgreSQL and sql.js`);
        }
      });
    });
  }
});

describe('a run folder that records no run id, on both engines', function () {
  this.timeout(120000);
  let workspace: string;
  let url: string | undefined;

  before(function () {
    requirePostgres(this);
    // One V2 run with both state files gone: its id is made from its folder (`folder:<path>`).
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-engines-folder-id-'));
    const run = path.join('output', REGULATORY, 'run-002');
    fs.cpSync(path.join(WORKSPACE, run), path.join(workspace, run), { recursive: true });
    for (const name of ['scenario-state.json', 'scenario-state-v2.json']) fs.rmSync(path.join(workspace, run, name), { force: true });
  });
  after(async () => {
    if (url) await dropDatabase(url);
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('gets the same workspace-relative run id, not one carrying the shared index’s source', async () => {
    const local = [{ name: 'ws', absPath: workspace }];
    const index = await openScenarioIndex(undefined);
    await index.index({ roots: local });
    const embedded = (await index.analytics.listRuns()).map((r) => r.id);
    await index.close();
    assert.deepEqual(embedded, [`folder:output/${REGULATORY}/run-002`]);

    url = await createDatabase('sl_folder_id');
    const shared = await openSharedIndex(url, { create: true });
    try {
      await shared.index({ roots: local, source: SOURCE });
      assert.deepEqual((await shared.analytics.listRuns()).map((r) => r.id), embedded);
      const [folder] = await shared.analytics.listFolders();
      assert.equal(folder.path, `${SOURCE}/output/${REGULATORY}/run-002`, 'the folder itself keeps its source');
    } finally {
      await shared.close();
    }
  });
});
