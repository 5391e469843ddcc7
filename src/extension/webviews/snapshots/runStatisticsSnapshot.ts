/** One run's statistics and turn-by-turn cost. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { RunStatisticsSelection, RunStatisticsSnapshot } from '../../../protocol/messages';
import { runTitle } from '../../runText';
import { runFigures } from './runFigures';

export async function buildRunStatisticsSnapshot(analytics: Analytics, selection: RunStatisticsSelection): Promise<RunStatisticsSnapshot> {
  const [stats, costByTurn, run] = await Promise.all([analytics.getRunStatistics(selection.runId), analytics.costByTurn(selection.runId), analytics.getRun(selection.runId)]);
  const title = `Run statistics: ${run ? runTitle(run) : selection.runId}`;
  return { panel: 'runStatistics', title, selection, run: stats && runFigures(stats), costByTurn };
}
