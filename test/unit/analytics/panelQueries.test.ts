/** The analytics questions added for the panels, checked against plain SQL over the same index. */
import { strict as assert } from 'node:assert';
import type { ScenarioIndex } from '../../../src/core/scenarioIndex';
import { indexSampleWorkspace, REGULATORY } from '../webviews/sampleIndex';

describe('analytics for the panels (sample workspace)', function () {
  this.timeout(60000);
  let index: ScenarioIndex;
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

  it('listMetricActors lists the actors of per-actor metrics only', async () => {
    assert.deepEqual(await index.analytics.listMetricActors('position_shift', { scenario: REGULATORY }), ['China', 'European Union', 'Frontier Labs Consortium', 'United States']);
    assert.deepEqual(await index.analytics.listMetricActors('cooperation_level'), []);
  });
});
