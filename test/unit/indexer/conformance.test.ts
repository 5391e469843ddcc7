/**
 * Conformance with Scenario Lab itself: index the shared sample workspace from its files and
 * compare every section of workspace-small.reference.json, which holds what Scenario Lab's own
 * Python `Database` class answers on the scenario-lab.db its runner wrote for the same runs.
 * Canonical form (samples/README.md): runs sorted by id, floats rounded to 9 decimals, decision
 * lists ordered by turn_num then run id, `created` dropped (no file records it).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunStatistics } from '../../../src/core/analytics/types';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { SHARED_SAMPLES } from '../helpers/paths';

interface Reference {
  table_counts: Record<string, number>;
  list_runs: Array<{ id: string; scenario_id: string; scenario_name: string; status: string; total_turns: number; total_cost: number }>;
  run_statistics: Record<string, PythonStatistics>;
  compare_runs: { runs: PythonStatistics[] };
  aggregate_metrics: Record<string, { overall: PythonAggregate; by_scenario: Record<string, PythonAggregate> }>;
  query_metrics_counts: Array<{ metric: string; scenario: string | null; actor: string | null; count: number }>;
  decisions_for_actor: Record<string, { count: number; ordered: Array<[string, number]>; by_scenario: Record<string, number> }>;
}

interface PythonStatistics {
  run_id: string;
  scenario: string;
  status: string;
  turns: number;
  decisions: number;
  communications: number;
  metrics: number;
  total_cost: number;
  cost_by_phase: Record<string, number | null>;
}

interface PythonAggregate {
  metric: string;
  min: number | null;
  max: number | null;
  avg: number | null;
  count: number;
  scenario: string | null;
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);

/** Our statistics in the shape Scenario Lab's get_run_statistics returns (docs/format.md#query-api). */
function asPython(s: RunStatistics): PythonStatistics {
  return {
    run_id: s.runId,
    scenario: s.scenarioName,
    status: s.status,
    turns: s.turnCount,
    decisions: s.decisionCount,
    communications: s.communicationCount,
    metrics: s.metricCount,
    total_cost: round(s.totalCost)!,
    cost_by_phase: Object.fromEntries(s.costByPhase.map((c) => [c.phase, round(c.total)])),
  };
}

function roundedPython(s: PythonStatistics): PythonStatistics {
  return { ...s, total_cost: round(s.total_cost)!, cost_by_phase: Object.fromEntries(Object.entries(s.cost_by_phase).map(([k, v]) => [k, round(v)])) };
}

describe('conformance with Scenario Lab\'s own database (workspace-small)', function () {
  this.timeout(60000);
  const workspace = path.join(SHARED_SAMPLES, 'workspace-small');
  const reference = JSON.parse(fs.readFileSync(path.join(SHARED_SAMPLES, 'workspace-small.reference.json'), 'utf8')) as Reference;
  const referenceIds = reference.list_runs.map((r) => r.id);
  let index: ConnectedScenarioIndex;

  before(async () => {
    index = await openConnectedScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'workspace-small', absPath: workspace }] });
  });
  after(async () => index.close());

  it('holds the same number of rows in every Scenario Lab table, for the runs that database holds', async () => {
    const ids = referenceIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(',');
    const count = (sql: string) => Number(index.db.exec(sql)[0].values[0][0]);
    assert.deepEqual(
      {
        runs: count(`SELECT COUNT(*) FROM runs WHERE id IN (${ids})`),
        turns: count(`SELECT COUNT(*) FROM turns WHERE run_id IN (${ids})`),
        decisions: count(`SELECT COUNT(*) FROM decisions JOIN turns ON turns.id = decisions.turn_id WHERE run_id IN (${ids})`),
        communications: count(`SELECT COUNT(*) FROM communications JOIN turns ON turns.id = communications.turn_id WHERE run_id IN (${ids})`),
        metrics: count(`SELECT COUNT(*) FROM metrics JOIN turns ON turns.id = metrics.turn_id WHERE run_id IN (${ids})`),
        costs: count(`SELECT COUNT(*) FROM costs WHERE run_id IN (${ids})`),
      },
      reference.table_counts,
    );
  });

  it('lists the same runs (list_runs)', async () => {
    const runs = (await index.analytics.listRuns()).filter((r) => referenceIds.includes(r.id));
    const ours = runs
      .map((r) => ({ id: r.id, scenario_id: r.scenarioId, scenario_name: r.scenarioName, status: r.status, total_turns: r.totalTurns, total_cost: round(r.totalCost) }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(ours, reference.list_runs.map((r) => ({ ...r, total_cost: round(r.total_cost) })));
  });

  it('gives the same run statistics for every run (get_run_statistics)', async () => {
    for (const [runId, expected] of Object.entries(reference.run_statistics)) {
      const stats = await index.analytics.getRunStatistics(runId);
      assert.ok(stats, `run ${runId} is indexed`);
      assert.deepEqual(asPython(stats), roundedPython(expected), runId);
    }
  });

  it('compares runs like compare_runs', async () => {
    const comparison = await index.analytics.compareRuns(referenceIds);
    const ours = comparison.runs.map(asPython).sort((a, b) => (a.run_id < b.run_id ? -1 : 1));
    assert.deepEqual(ours, reference.compare_runs.runs.map(roundedPython));
  });

  it('aggregates every metric overall and per scenario (aggregate_metrics)', async () => {
    for (const [metric, expected] of Object.entries(reference.aggregate_metrics)) {
      const check = async (scenario: string | undefined, want: PythonAggregate) => {
        const got = await index.analytics.aggregateMetrics(metric, { scenario, runIds: referenceIds });
        assert.deepEqual(
          { metric: got.metric, min: round(got.min), max: round(got.max), avg: round(got.avg), count: got.count, scenario: got.scenario },
          { ...want, min: round(want.min), max: round(want.max), avg: round(want.avg) },
          `${metric} / ${scenario ?? 'all scenarios'}`,
        );
      };
      await check(undefined, expected.overall);
      for (const [scenario, want] of Object.entries(expected.by_scenario)) await check(scenario, want);
    }
  });

  it('returns the same number of metric records for every filter combination (query_metrics)', async () => {
    for (const q of reference.query_metrics_counts) {
      // Scenario Lab's actor filter reads its metrics.actor column (NULL for extracted per-actor metrics); ours is `actor`.
      const rows = await index.analytics.queryMetrics({ metricName: q.metric, scenario: q.scenario ?? undefined, scenarioLabActor: q.actor ?? undefined, runIds: referenceIds });
      assert.equal(rows.length, q.count, JSON.stringify(q));
    }
  });

  it('returns every actor\'s decisions in turn order (query_decisions_for_actor)', async () => {
    for (const [actor, expected] of Object.entries(reference.decisions_for_actor)) {
      const decisions = (await index.analytics.queryDecisionsForActor(actor)).filter((d) => referenceIds.includes(d.runId));
      assert.equal(decisions.length, expected.count, actor);
      assert.deepEqual(
        decisions.map((d) => [d.runId, d.turnNum]),
        expected.ordered,
        `${actor}: ordered by turn, then run id`,
      );
      for (const [scenario, count] of Object.entries(expected.by_scenario)) {
        const inScenario = (await index.analytics.queryDecisionsForActor(actor, { scenario })).filter((d) => referenceIds.includes(d.runId));
        assert.equal(inScenario.length, count, `${actor} in ${scenario}`);
      }
    }
  });

  it('stores world states, decisions and messages with the same text as Scenario Lab\'s database', async () => {
    const referenceDb = path.join(workspace, 'scenario-lab.db');
    const { execFileSync } = await import('node:child_process');
    const theirs = JSON.parse(
      execFileSync('sqlite3', ['-json', referenceDb, 'SELECT t.run_id, t.turn_num, t.world_state, d.actor, d.goals, d.reasoning, d.action FROM decisions d JOIN turns t ON t.id = d.turn_id ORDER BY t.run_id, t.turn_num, d.actor'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
    const ours = index.db.exec('SELECT t.run_id, t.turn_num, t.world_state, d.actor, d.goals, d.reasoning, d.action FROM decisions d JOIN turns t ON t.id = d.turn_id ORDER BY t.run_id, t.turn_num, d.actor')[0];
    const rows = ours.values
      .map((v) => Object.fromEntries(ours.columns.map((c, i) => [c, v[i]])))
      .filter((r) => referenceIds.includes(r.run_id as string));
    assert.equal(rows.length, theirs.length);
    rows.forEach((row, i) => {
      assert.deepEqual({ ...row, goals: JSON.parse(row.goals as string) }, { ...theirs[i], goals: JSON.parse(theirs[i].goals) }, `${row.run_id} turn ${row.turn_num} ${row.actor}`);
    });
  });
});
