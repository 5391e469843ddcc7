/** CSV of what the comparison and run-statistics panels show (the metric chart exports its records with core's metricsCsv). */
import { toCsv, type CsvCell } from '../../core/analytics/csv';
import { figureTable } from '../../core/analytics/runFigures';
import { SIGNIFICANCE_LEVEL, type ComparisonSnapshot, type ExperimentSnapshot, type RunFigures, type RunStatisticsSnapshot } from '../../protocol/messages';

/** The figure rows both panels show for a run, in display order, as [label, value] (core/analytics/runFigures' list, raw values). */
export function figureRows(runs: readonly RunFigures[]): Array<[string, ...CsvCell[]]> {
  return [
    ['scenario', ...runs.map((r) => r.scenarioName)],
    ['status', ...runs.map((r) => r.status)],
    ...figureTable(runs).map((row): [string, ...CsvCell[]] => [row.label, ...row.values]),
  ];
}

export function comparisonCsv(s: ComparisonSnapshot): string {
  const metricRows = s.metrics.flatMap((m): Array<[string, ...CsvCell[]]> => [
    [`${m.metric} (final)`, ...m.final.map((c) => c?.value)],
    [`${m.metric} (mean)`, ...m.mean.map((c) => c?.value)],
  ]);
  return toCsv(['figure', ...s.runs.map((r) => r.runId)], [...figureRows(s.runs), ...metricRows]);
}

export function runStatisticsCsv(s: RunStatisticsSnapshot): string {
  if (!s.run) return toCsv(['figure', s.selection.runId], []);
  const turns = s.costByTurn.map((t): [string, CsvCell] => [`cost of turn ${t.turn}`, t.total]);
  return toCsv(['figure', s.run.runId], [...figureRows([s.run]), ...turns]);
}

/**
 * The Experiment panel as CSV: one row per variation with what its tables show (final-value
 * statistics of the metric, the comparison with variation 1, batch counts and costs in USD).
 */
export function experimentCsv(s: ExperimentSnapshot): string {
  const headers = ['metric', 'variation_id', 'description', 'n', 'mean', 'sd', 'min', 'max', 'ci95_low', 'ci95_high', 'mean_difference', 'welch_t', 'p_value', 'p_below_0.05', 'runs_completed', 'runs_failed', 'total_cost', 'avg_cost_per_run'];
  const rows = s.variations.map((v): CsvCell[] => {
    const c = s.comparisons.find((x) => x.variationId === v.variationId);
    const f = v.final;
    return [
      s.metric, v.variationId, v.description, f.n, f.mean, f.sd, f.min, f.max, f.ci95Low, f.ci95High,
      c?.meanDifference, c?.welchT, c?.pValue, c?.pValue === null || c?.pValue === undefined ? undefined : c.pValue < SIGNIFICANCE_LEVEL ? 'yes' : 'no',
      v.runsCompleted, v.runsFailed, v.totalCost, v.avgCostPerRun,
    ];
  });
  return toCsv(headers, rows);
}
