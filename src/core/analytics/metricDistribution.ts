/**
 * A metric across many runs, turn by turn, as a distribution: what the metric chart draws by
 * default once there are too many runs for one line each. Quantiles come from simple-statistics
 * (a well-kept statistics library) rather than hand-written numerics; the declared range comes
 * from the scenario's metrics.yaml as the index stored it.
 */
import type { Kysely } from 'kysely';
import { mean, quantileSorted } from 'simple-statistics';
import type { IndexDatabase } from '../db/schema';
import type { ScenarioDefinition } from '../format/records';
import type { DistributionPoint } from '../../protocol/messages';
import type { RunMetricPoint } from './types';

// The shape is the panels' protocol type (a file without imports, shared by host and webview).
export type { DistributionPoint };

/**
 * Per turn, the distribution of the runs' values: each run counts once per turn, with the mean of
 * its records at that turn (several actors, or duplicate records), exactly the points
 * `metricSeriesByRun` returns. Quantiles are simple-statistics' `quantileSorted`: linear
 * interpolation between order statistics at (n − 1)·p, as numpy.percentile and R's type 7 (so
 * p05 ≥ min and p95 ≤ max). NaN values are left out. Turns in order.
 */
export function metricDistribution(points: readonly RunMetricPoint[]): DistributionPoint[] {
  const byTurn = new Map<number, number[]>();
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    const values = byTurn.get(p.turn) ?? [];
    values.push(p.value);
    byTurn.set(p.turn, values);
  }
  return [...byTurn.entries()]
    .sort(([a], [b]) => a - b)
    .map(([turn, values]) => {
      const sorted = values.sort((a, b) => a - b);
      const q = (p: number) => quantileSorted(sorted, p);
      return { turn, runs: sorted.length, mean: mean(sorted), p05: q(0.05), p25: q(0.25), median: q(0.5), p75: q(0.75), p95: q(0.95) };
    });
}

/**
 * The range metrics.yaml declares for a metric (`range: [0, 10]`), in the given scenario or, with
 * none given, the span of every scenario's declared range for that metric; undefined when no
 * indexed scenario declares one.
 */
export async function declaredMetricRange(db: Kysely<IndexDatabase>, metric: string, scenario?: string): Promise<[number, number] | undefined> {
  let query = db.selectFrom('sl_scenarios').select('definition');
  if (scenario !== undefined) query = query.where('name', '=', scenario);
  const ranges = (await query.execute())
    .flatMap((row) => (JSON.parse(row.definition) as ScenarioDefinition).metrics ?? [])
    .filter((m) => m.name === metric && m.range && Number.isFinite(m.range[0]) && Number.isFinite(m.range[1]) && m.range[0] < m.range[1])
    .map((m) => m.range!);
  if (ranges.length === 0) return undefined;
  return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
}

/**
 * What the metric chart offers to switch to: every metric name, and the scenarios that have
 * `metric`. Two index-only reads (ix_metrics_name), where listMetricNames counts every record of
 * every metric per scenario (about 0.5 s on 1,000 runs).
 */
export async function metricChartChoices(db: Kysely<IndexDatabase>, metric: string): Promise<{ metrics: string[]; scenarios: string[] }> {
  const [names, scenarios] = await Promise.all([
    db.selectFrom('metrics').select('name').distinct().orderBy('name').execute(),
    db
      .selectFrom('metrics')
      .innerJoin('turns', 'turns.id', 'metrics.turn_id')
      .innerJoin('runs', 'runs.id', 'turns.run_id')
      .select('runs.scenario_id')
      .distinct()
      .where('metrics.name', '=', metric)
      .orderBy('runs.scenario_id')
      .execute(),
  ]);
  return { metrics: names.map((n) => n.name), scenarios: scenarios.map((s) => s.scenario_id) };
}
