/** The analytics questions added for the panels, checked against plain SQL over the same index. */
import { strict as assert } from 'node:assert';
import type { ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { indexSampleWorkspace, REGULATORY } from '../webviews/sampleIndex';

describe('analytics for the panels (sample workspace)', function () {
  this.timeout(60000);
  let index: ConnectedScenarioIndex;
  const rows = (sql: string, params: (string | number)[] = []) => index.db.exec(sql, params)[0]?.values ?? [];
  before(async () => (index = await indexSampleWorkspace()));
  after(async () => index.close());

  it('metricSeriesByRun gives each run its mean value per turn', async () => {
    const series = await index.analytics.metricSeriesByRun('trust_level', { scenario: REGULATORY });
    const expected = rows(
      `SELECT t.run_id, t.turn_num, AVG(m.value), COUNT(*) FROM metrics m JOIN turns t ON t.id = m.turn_id JOIN runs r ON r.id = t.run_id
       WHERE m.name = 'trust_level' AND r.scenario_id = ? GROUP BY t.run_id, t.turn_num ORDER BY t.run_id, t.turn_num`,
      [REGULATORY],
    );
    assert.deepEqual(series.map((p) => [p.runId, p.turn, p.value, p.count]), expected);
    assert.equal(new Set(series.map((p) => p.runId)).size, 6);
  });

  it('metricSummaryByRun: the mean of every record and the value at the last turn', async () => {
    const summaries = await index.analytics.metricSummaryByRun(['run-20251124-151111', 'run-20251124-163940']);
    const coop = summaries.find((s) => s.metric === 'cooperation_level' && s.runId === 'run-20251124-151111')!;
    assert.deepEqual({ final: coop.final, finalTurn: coop.finalTurn, count: coop.count }, { final: 7, finalTurn: 5, count: 5 });
    assert.equal(coop.mean, (4.5 + 5.5 + 5.5 + 5.5 + 7) / 5);
    const trust = summaries.find((s) => s.metric === 'trust_level' && s.runId === 'run-20251124-151111')!;
    const [[mean, count]] = rows(`SELECT AVG(m.value), COUNT(*) FROM metrics m JOIN turns t ON t.id = m.turn_id WHERE m.name = 'trust_level' AND t.run_id = 'run-20251124-151111'`);
    assert.ok(Math.abs(trust.mean - Number(mean)) < 1e-12);
    assert.equal(trust.count, count);
    assert.deepEqual(await index.analytics.metricSummaryByRun([]), []);
  });

  it('queryMetricsPage pages query_metrics in the same order, with the total', async () => {
    const filters = { metricName: 'trust_level', scenario: REGULATORY };
    const all = await index.analytics.queryMetrics(filters);
    const second = await index.analytics.queryMetricsPage(filters, { offset: 50, limit: 50 });
    assert.equal(second.total, all.length);
    assert.deepEqual(second.rows, all.slice(50, 100));
    assert.equal((await index.analytics.queryMetricsPage(filters, { offset: 1000, limit: 50 })).rows.length, 0);
  });

  it('queryDecisionsForActorPage pages query_decisions_for_actor in the same order, with the total', async () => {
    const all = await index.analytics.queryDecisionsForActor('China', { scenario: REGULATORY });
    assert.ok(all.length > 10, `the sample has ${all.length} decisions of China`);
    const pages = [];
    for (let offset = 0; offset < all.length; offset += 4) {
      const page = await index.analytics.queryDecisionsForActorPage('China', { scenario: REGULATORY }, { offset, limit: 4 });
      assert.equal(page.total, all.length);
      pages.push(...page.rows);
    }
    assert.deepEqual(pages, all);
    const beyond = await index.analytics.queryDecisionsForActorPage('China', { scenario: REGULATORY }, { offset: all.length, limit: 4 });
    assert.deepEqual(beyond.rows, []);
    assert.equal((await index.analytics.queryDecisionsForActorPage('Nobody', {}, { offset: 0, limit: 4 })).total, 0);
  });

  it('compareRuns gives each known run once, in the order asked, with the counts plain SQL finds', async () => {
    const [first, second] = (await index.analytics.listRuns({ scenarioId: REGULATORY })).map((r) => r.id);
    const comparison = await index.analytics.compareRuns([second, 'no-such-run', first, second]);
    assert.deepEqual(comparison.runs.map((s) => s.runId), [second, first]);
    for (const stats of comparison.runs) {
      assert.deepEqual(stats, (await index.analytics.runStatisticsPerFolder(stats.runId))[0]);
      // A run of one folder: the per-folder figures are Scenario Lab's merged ones, labelled with the folder.
      assert.deepEqual({ ...stats, folder: null }, await index.analytics.getRunStatistics(stats.runId));
      assert.ok(stats.folder);
      const count = (table: string) => rows(`SELECT COUNT(*) FROM ${table} x JOIN turns t ON t.id = x.turn_id WHERE t.run_id = ?`, [stats.runId])[0][0];
      assert.deepEqual(
        [stats.turnCount, stats.decisionCount, stats.communicationCount, stats.metricCount],
        [rows('SELECT COUNT(*) FROM turns WHERE run_id = ?', [stats.runId])[0][0], count('decisions'), count('communications'), count('metrics')],
      );
      const [[cost]] = rows('SELECT SUM(cost) FROM costs WHERE run_id = ?', [stats.runId]);
      assert.ok(Math.abs(stats.costByPhase.reduce((n, c) => n + c.total, 0) - Number(cost)) < 1e-9);
    }
    assert.deepEqual(await index.analytics.compareRuns([]), { runs: [] });
  });

  it('lists runs without their configuration; getRun brings it', async () => {
    const [listed] = await index.analytics.listRuns({ scenarioId: REGULATORY });
    assert.equal('config' in listed, false);
    const run = await index.analytics.getRun(listed.id);
    const [[config]] = rows('SELECT config FROM runs WHERE id = ?', [listed.id]);
    assert.deepEqual(run?.config, JSON.parse(String(config)));
    assert.deepEqual({ ...run, config: undefined }, { ...listed, config: undefined });
  });

  it('listMetricActors lists the actors of per-actor metrics only', async () => {
    assert.deepEqual(await index.analytics.listMetricActors('position_shift', { scenario: REGULATORY }), ['China', 'European Union', 'Frontier Labs Consortium', 'United States']);
    assert.deepEqual(await index.analytics.listMetricActors('cooperation_level'), []);
  });
});
