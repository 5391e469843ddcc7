/** One run's statistics and turn-by-turn cost. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { RunStatisticsSelection, RunStatisticsSnapshot } from '../../../protocol/messages';
import { runFigures } from './runFigures';

export async function buildRunStatisticsSnapshot(analytics: Analytics, selection: RunStatisticsSelection): Promise<RunStatisticsSnapshot> {
  const [stats, costByTurn] = await Promise.all([analytics.getRunStatistics(selection.runId), analytics.costByTurn(selection.runId)]);
  return { panel: 'runStatistics', selection, run: stats && runFigures(stats), costByTurn };
}
