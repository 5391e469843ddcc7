/** The metric chart's data for one selection, all from the analytics API. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { Metric, MetricFilters, RunMetricPoint } from '../../../core/analytics/types';
import { TABLE_PAGE_SIZE, type MetricChartSelection, type MetricChartSnapshot, type MetricTableRow, type RunSeries, type TablePage } from '../../../protocol/messages';
import type { SourceLinks } from '../sourceLinks';

export function metricFilters(selection: MetricChartSelection): MetricFilters {
  return { metricName: selection.metric, scenario: selection.scenario, actor: selection.actor, runIds: selection.runIds };
}

export async function buildMetricChartSnapshot(analytics: Analytics, selection: MetricChartSelection, links: SourceLinks): Promise<MetricChartSnapshot> {
  const filters = metricFilters(selection);
  const options = { scenario: selection.scenario, actor: selection.actor, runIds: selection.runIds };
  const [names, actors, available, points, evolution, aggregate, table] = await Promise.all([
    analytics.listMetricNames(),
    analytics.listMetricActors(selection.metric, { scenario: selection.scenario }),
    analytics.metricSeriesByRun(selection.metric, { scenario: selection.scenario, actor: selection.actor }),
    analytics.metricSeriesByRun(selection.metric, options),
    analytics.metricEvolution(selection.metric, options),
    analytics.aggregateMetrics(selection.metric, options),
    metricTablePage(analytics, filters, 0, links),
  ]);
  return {
    panel: 'metricChart',
    title: metricChartTitle(selection),
    selection,
    choices: {
      metrics: [...new Set(names.map((n) => n.name))],
      scenarios: names.filter((n) => n.name === selection.metric).map((n) => n.scenarioId),
      actors,
      runs: [...new Set(available.map((p) => p.runId))],
    },
    series: seriesByRun(points),
    band: evolution.map((p) => ({ turn: p.turn, min: p.min, max: p.max, mean: p.avg, count: p.count })),
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

/** Points (ordered by run, then turn) grouped into one line per run. */
export function seriesByRun(points: readonly RunMetricPoint[]): RunSeries[] {
  const byRun = new Map<string, RunSeries>();
  for (const p of points) {
    const series = byRun.get(p.runId) ?? { runId: p.runId, label: p.runId, points: [] };
    series.points.push({ turn: p.turn, value: p.value, count: p.count });
    byRun.set(p.runId, series);
  }
  return [...byRun.values()];
}
