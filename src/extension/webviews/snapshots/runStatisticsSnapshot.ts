/** One run's statistics and turn-by-turn cost. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { RunStatisticsSelection, RunStatisticsSnapshot } from '../../../protocol/messages';
import { runTitle } from '../../runText';
import { runFigures } from './runFigures';

export async function buildRunStatisticsSnapshot(analytics: Analytics, selection: RunStatisticsSelection): Promise<RunStatisticsSnapshot> {
  // Figures per folder: several folders can carry one run id (Scenario Lab's parallel batches).
  const [perFolder, costByTurn, run] = await Promise.all([analytics.runStatisticsPerFolder(selection.runId), analytics.costByTurn(selection.runId), analytics.getRun(selection.runId)]);
  const stats = perFolder.find((s) => s.folder === selection.folder) ?? perFolder[0];
  const shared = perFolder.length > 1;
  const title = `Run statistics: ${run ? runTitle(run) : selection.runId}${shared && stats?.folder ? ` · ${stats.folder}` : ''}`;
  return { panel: 'runStatistics', title, selection, run: stats && runFigures(stats, shared), sharedWith: shared ? perFolder.map((s) => s.folder ?? '') : [], costByTurn };
}
