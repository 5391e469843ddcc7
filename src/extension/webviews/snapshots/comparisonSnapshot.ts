/** Several runs side by side: figures, metric summaries, one metric's overlay, and one turn's actions. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { RunMetricSummary } from '../../../core/analytics/types';
import type { ActorActions, ComparisonSelection, ComparisonSnapshot, Mark, MetricComparisonRow, RunFigures } from '../../../protocol/messages';
import type { SourceLinks } from '../sourceLinks';
import { markExtremes } from './marks';
import { seriesByRun } from './metricChartSnapshot';
import { runFigures } from './runFigures';

export async function buildComparisonSnapshot(analytics: Analytics, selection: ComparisonSelection, links: SourceLinks): Promise<ComparisonSnapshot> {
  const comparison = await analytics.compareRuns(selection.runIds);
  const counts = new Map<string, number>();
  for (const r of comparison.runs) counts.set(r.runId, (counts.get(r.runId) ?? 0) + 1);
  const runs = comparison.runs.map((r) => runFigures(r, (counts.get(r.runId) ?? 0) > 1));
  const runIds = runs.map((r) => r.runId);
  const summaries = await analytics.metricSummaryByRun(runIds);
  const metrics = metricRows(summaries, runIds);
  const metric = metrics.some((m) => m.metric === selection.metric) ? selection.metric : metrics[0]?.metric;
  const overlay = metric ? seriesByRun(await analytics.metricSeriesByRun(metric, { runIds })) : [];
  const turnLists = await Promise.all(runIds.map((id) => analytics.listTurns(id)));
  const turns = [...new Set(turnLists.flat().map((t) => t.turnNum))].sort((a, b) => a - b);
  const turn = selection.turn !== undefined && turns.includes(selection.turn) ? selection.turn : turns[0];
  const scenarios = [...new Set(runs.map((r) => r.scenarioName))];
  return {
    panel: 'comparison',
    title: `Compare ${runs.length} runs: ${scenarios.length === 1 ? scenarios[0] : `${scenarios.length} scenarios`}`,
    selection,
    runs,
    figureMarks: figureMarks(runs),
    metrics,
    overlay: { metric, series: overlay },
    turns,
    turn,
    actions: turn === undefined ? [] : await actionsAt(analytics, runIds, turn, links),
  };
}

/**
 * Marks of the figures table's cost and token rows, compared like with like: per turn, and only
 * among runs that completed. A run halted after 2 turns is cheap because it stopped, not because
 * it was efficient, so it is never marked best (the panel says so under the table). Keys:
 * `costPerTurn`, `tokensPerTurn`, and `phase:NAME` / `actor:NAME` / `model:NAME` for the breakdowns.
 */
export function figureMarks(runs: readonly RunFigures[]): Record<string, Mark[]> {
  const perTurn = (value: (r: RunFigures) => number | undefined) =>
    markExtremes(
      runs.map((r) => {
        const v = r.status === 'completed' && r.turnCount > 0 ? value(r) : undefined;
        return v === undefined ? undefined : v / r.turnCount;
      }),
      'lowerIsBetter',
    );
  const marks: Record<string, Mark[]> = { costPerTurn: perTurn((r) => r.totalCost), tokensPerTurn: perTurn((r) => r.tokens.total) };
  const groups = { phase: (r: RunFigures) => r.costByPhase, actor: (r: RunFigures) => r.costByActor, model: (r: RunFigures) => r.costByModel };
  for (const [group, of] of Object.entries(groups)) {
    for (const name of new Set(runs.flatMap((r) => of(r).map((c) => c.name)))) {
      marks[`${group}:${name}`] = perTurn((r) => of(r).find((c) => c.name === name)?.total);
    }
  }
  return marks;
}

function metricRows(summaries: RunMetricSummary[], runIds: string[]): MetricComparisonRow[] {
  const names = [...new Set(summaries.map((s) => s.metric))].sort();
  return names.map((metric) => {
    const cells = runIds.map((id) => summaries.find((s) => s.metric === metric && s.runId === id));
    const finalMarks = markExtremes(cells.map((c) => c?.final), 'unknown');
    const meanMarks = markExtremes(cells.map((c) => c?.mean), 'unknown');
    return {
      metric,
      final: cells.map((c, i) => c && { value: c.final, turn: c.finalTurn, mark: finalMarks[i] }),
      mean: cells.map((c, i) => c && { value: c.mean, mark: meanMarks[i] }),
    };
  });
}

async function actionsAt(analytics: Analytics, runIds: string[], turn: number, links: SourceLinks): Promise<ActorActions[]> {
  const perRun = await Promise.all(runIds.map((id) => analytics.listDecisions(id, turn)));
  const actors = [...new Set(perRun.flat().map((d) => d.actor))].sort();
  return actors.map((actor) => ({
    actor,
    perRun: perRun.map((decisions) => {
      const d = decisions.find((x) => x.actor === actor);
      return d && { action: d.action, source: links.link(d.source) };
    }),
  }));
}
