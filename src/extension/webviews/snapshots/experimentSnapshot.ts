/**
 * The Experiment panel's snapshot: one experiment, one metric — each variation's runs with their
 * final values (and a link to the world state at that turn), its final-value statistics, costs and
 * turn-by-turn distribution, and the Welch comparisons against variation 1. Every figure comes
 * from the analytics API (variationStatistics, variationEvolution); nothing is computed here.
 */
import type { Analytics } from '../../../core/analytics/analytics';
import { inStatisticsScope, type VariationStatistics } from '../../../core/analytics/experiments';
import type { ExperimentRunPoint, ExperimentSelection, ExperimentSnapshot } from '../../../protocol/messages';
import type { SourceLinks } from '../sourceLinks';

export function experimentTitle(name: string): string {
  return `Experiment: ${name}`;
}

export async function buildExperimentSnapshot(analytics: Analytics, selection: ExperimentSelection, links: SourceLinks): Promise<ExperimentSnapshot> {
  const [experiment] = (await analytics.findExperiments(selection.experiment)).filter((e) => e.folder === selection.experiment);
  if (!experiment) {
    return {
      panel: 'experiment', title: experimentTitle(selection.experiment), selection, found: false, experimentName: selection.experiment, folder: selection.experiment,
      baseScenario: null, metrics: [], metric: undefined, variations: [], comparisons: [],
    };
  }
  const folder = experiment.folder;
  const metrics = await analytics.experimentMetricNames(folder);
  const options = { includeFailed: selection.includeFailed };
  // The chosen metric, or the first the runs in statistics have values of (another may only be in failed runs).
  let metric = selection.metric !== undefined && metrics.includes(selection.metric) ? selection.metric : undefined;
  let stats: VariationStatistics | undefined;
  for (const candidate of metric !== undefined ? [metric] : metrics) {
    const s = await analytics.variationStatistics(folder, { ...options, metric: candidate });
    if (!stats || s?.variations.some((v) => (v.final?.n ?? 0) > 0)) [stats, metric] = [s, candidate];
    if (s?.variations.some((v) => (v.final?.n ?? 0) > 0)) break;
  }
  stats ??= await analytics.variationStatistics(folder, options);
  const [summary] = (await analytics.listExperiments()).filter((e) => e.folder === folder);
  const evolution = metric === undefined ? [] : await analytics.variationEvolution(folder, metric, options);
  const shown = (stats?.variations ?? []).map((v) => ({ v, runs: v.runs.filter((r) => r.finalValue !== null && r.finalTurn !== null) }));
  // Every point's world state in one query (the index may be in a worker: one round trip, not one per run).
  const sources = await analytics.worldStateSources(shown.flatMap(({ runs }) => runs.map((r) => ({ folder: r.folder, turn: r.finalTurn! }))));
  let next = 0;
  const variations = shown.map(({ v, runs }) => ({
    variationId: v.variationId,
    description: v.description,
    modifications: v.modifications === null || v.modifications === undefined ? null : JSON.stringify(v.modifications),
    runsCompleted: v.runsCompleted,
    runsFailed: v.runsFailed,
    totalCost: v.totalCost,
    avgCostPerRun: v.avgCostPerRun,
    final: v.final ?? { n: 0, mean: null, sd: null, min: null, max: null, ci95Low: null, ci95High: null },
    runs: runs.map((r): ExperimentRunPoint => ({
      name: r.name,
      batchStatus: r.batchStatus,
      value: r.finalValue!,
      turn: r.finalTurn!,
      inStatistics: inStatisticsScope(r, selection.includeFailed),
      source: links.link(sources[next++]),
    })),
    evolution: evolution.find((e) => e.variationId === v.variationId)?.distribution ?? [],
  }));
  return {
    panel: 'experiment',
    title: experimentTitle(experiment.experimentName),
    selection,
    found: true,
    experimentName: experiment.experimentName,
    folder,
    baseScenario: summary?.baseScenario ?? null,
    metrics,
    metric,
    variations,
    comparisons: stats?.comparisons ?? [],
  };
}
