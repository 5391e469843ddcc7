/** The metric chart's distribution per turn: quantiles over the runs' values, each run counted once per turn. */
import { strict as assert } from 'node:assert';
import { metricDistribution } from '../../../src/core/analytics/metricDistribution';

describe('metric distribution over runs', () => {
  it('gives median, quartiles, 5th/95th percentiles and mean per turn', () => {
    // 20 runs with values 1..20 at turn 1, and 3 runs at turn 2 (one value is NaN and is left out).
    const points = [
      ...Array.from({ length: 20 }, (_, i) => ({ runId: `r${i}`, turn: 1, value: 20 - i, count: 1 })),
      { runId: 'a', turn: 2, value: 3, count: 2 },
      { runId: 'b', turn: 2, value: 1, count: 1 },
      { runId: 'c', turn: 2, value: 2, count: 1 },
      { runId: 'd', turn: 2, value: Number.NaN, count: 1 },
    ];
    const [one, two] = metricDistribution(points);
    // Linear interpolation between order statistics at (n − 1)·p, as numpy.percentile and R's type 7.
    const close = (actual: object, expected: Record<string, number>) =>
      Object.entries(expected).forEach(([k, v]) => assert.ok(Math.abs((actual as Record<string, number>)[k] - v) < 1e-9, `${k}: ${(actual as Record<string, number>)[k]} ≠ ${v}`));
    close(one, { turn: 1, runs: 20, mean: 10.5, p05: 1.95, p25: 5.75, median: 10.5, p75: 15.25, p95: 19.05 });
    close(two, { turn: 2, runs: 3, mean: 2, p05: 1.1, p25: 1.5, median: 2, p75: 2.5, p95: 2.9 });
  });

  it('orders turns and returns nothing for no points', () => {
    assert.deepEqual(metricDistribution([]), []);
    const turns = metricDistribution([5, 1, 3].map((turn) => ({ runId: 'r', turn, value: turn, count: 1 }))).map((d) => d.turn);
    assert.deepEqual(turns, [1, 3, 5]);
  });
});
