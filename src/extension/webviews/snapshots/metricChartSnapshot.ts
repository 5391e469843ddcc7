/** The metric chart's data for one selection, all from the analytics API. */
import type { Analytics } from '../../../core/analytics/analytics';
import { metricDistribution } from '../../../core/analytics/metricDistribution';
import type { Metric, MetricFilters, RunMetricPoint, RunSummary } from '../../../core/analytics/types';
import { runLabel } from '../../runText';
import { RUN_LINES_LIMIT, TABLE_PAGE_SIZE, type MetricChartSelection, type MetricChartSnapshot, type MetricTableRow, type RunSeries, type TablePage } from '../../../protocol/messages';
import type { SourceLinks } from '../sourceLinks';
import { groupBy } from '../../../core/analytics/grouping';

export function metricFilters(selection: MetricChartSelection): MetricFilters {
  return { metricName: selection.metric, scenario: selection.scenario, actor: selection.actor, runIds: selection.runIds };
}

export async function buildMetricChartSnapshot(analytics: Analytics, selection: MetricChartSelection, links: SourceLinks): Promise<MetricChartSnapshot> {
  const filters = metricFilters(selection);
  const options = { scenario: selection.scenario, actor: selection.actor, runIds: selection.runIds };
  const [choices, actors, points, runs, yRange, aggregate, table] = await Promise.all([
    analytics.metricChartChoices(selection.metric),
    analytics.listMetricActors(selection.metric, { scenario: selection.scenario }),
    analytics.metricSeriesByRun(selection.metric, options),
    analytics.listRuns({ scenarioId: selection.scenario }),
    analytics.declaredMetricRange(selection.metric, selection.scenario),
    analytics.aggregateMetrics(selection.metric, options),
    metricTablePage(analytics, filters, 0, links),
  ]);
  const series = seriesByRun(points, runs);
  const shown = new Set(series.map((s) => s.runId));
  const view = selection.view ?? (series.length > RUN_LINES_LIMIT ? 'distribution' : 'runs');
  const highlighted = new Set(selection.highlight ?? []);
  return {
    panel: 'metricChart',
    title: metricChartTitle(selection),
    selection,
    choices: {
      ...choices,
      actors,
      runs: runs.filter((r) => shown.has(r.id)).map((r) => ({ runId: r.id, label: runLabel(r), folder: r.folders.map((f) => f.path).join(', '), status: r.status })),
    },
    view,
    runCount: series.length,
    series: view === 'runs' ? series : series.filter((s) => highlighted.has(s.runId)),
    distribution: metricDistribution(points),
    yRange: widen(yRange, points),
    aggregate: { avg: aggregate.avg, min: aggregate.min, max: aggregate.max, count: aggregate.count },
    table,
  };
}

/** "Metric: cooperation_level · AI Safety Summit 2026 (India)". */
export function metricChartTitle(selection: MetricChartSelection): string {
  return `Metric: ${selection.metric} · ${selection.scenario ?? 'all scenarios'}${selection.actor ? ` (${selection.actor})` : ''}`;
}

export async function metricTablePage(analytics: Analytics, filters: MetricFilters, offset: number, links: SourceLinks): Promise<TablePage<MetricTableRow>> {
  const page = await analytics.queryMetricsPage(filters, { offset, limit: TABLE_PAGE_SIZE });
  return { ...page, rows: page.rows.map((m) => tableRow(m, links)) };
}

function tableRow(m: Metric, links: SourceLinks): MetricTableRow {
  return { runId: m.runId, turn: m.turnNum, actor: m.actor, value: m.value, timestamp: m.timestamp, source: links.link(m.source) };
}

/** The declared range, widened to the data when values fall outside it (a value is never drawn off the chart). */
function widen(range: [number, number] | undefined, points: readonly RunMetricPoint[]): [number, number] | undefined {
  if (!range) return undefined;
  let [low, high] = range;
  for (const p of points) if (Number.isFinite(p.value)) [low, high] = [Math.min(low, p.value), Math.max(high, p.value)];
  return [low, high];
}

/** Points (ordered by run, then turn) grouped into one line per run, labelled by the run's folder when known. */
export function seriesByRun(points: readonly RunMetricPoint[], runs: readonly RunSummary[] = []): RunSeries[] {
  const labels = new Map(runs.map((r) => [r.id, runLabel(r)]));
  return [...groupBy(points, (p) => p.runId)].map(([runId, own]) => ({
    runId,
    label: labels.get(runId) ?? runId,
    points: own.map((p) => ({ turn: p.turn, value: p.value, count: p.count })),
  }));
}
