/**
 * One analytics suite, run on both engines: the sample workspace indexed into sql.js and into
 * PostgreSQL, then every analytics question asked of each. Each engine must give the fixture's
 * known answers, and PostgreSQL must give exactly what sql.js gives (folder keys compared
 * without the shared index's source prefix).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { Analytics } from '../../../src/core/analytics/analytics';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { openSharedIndex } from '../../../src/core/sharedIndex';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';

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
  ['listScenarios', (a) => a.listScenarios()],
  ['listActors', (a) => a.listActors()],
  ['listMetricNames', (a) => a.listMetricNames()],
  ['listMetricActors', (a) => a.listMetricActors('trust_level')],
  ['listTurns', (a) => a.listTurns(RUN)],
  ['listDecisions', (a) => a.listDecisions(RUN)],
  ['listDecisions of a turn', (a) => a.listDecisions(RUN, 2)],
  ['listCommunications', (a) => a.listCommunications(RUN)],
  ['queryMetrics', (a) => a.queryMetrics({ metricName: 'trust_level' })],
  ['queryMetricsPage', (a) => a.queryMetricsPage({ scenario: REGULATORY }, { offset: 5, limit: 20 })],
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
  const text = JSON.stringify(value ?? null, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v));
  return text.split(`${SOURCE}/`).join('');
}

describe('analytics on both engines (sample workspace)', function () {
  this.timeout(120000);
  const answers = new Map<string, Map<string, string>>();

  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(engine, function () {
      let analytics: Analytics;
      let close: () => Promise<void>;
      let url: string | undefined;

      before(async function () {
        if (engine === 'postgres') {
          requirePostgres(this);
          url = await createDatabase('sl_engines');
          const shared = await openSharedIndex(url, { create: true });
          await shared.index({ roots, source: SOURCE });
          ({ analytics } = shared);
          close = () => shared.close();
        } else {
          const index = await openScenarioIndex(undefined);
          await index.index({ roots });
          ({ analytics } = index);
          close = () => index.close();
        }
      });
      after(async () => {
        await close?.();
        if (url) await dropDatabase(url);
      });

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
