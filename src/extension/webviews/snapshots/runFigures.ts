/** The analytics API's run statistics in the protocol's shape (same numbers, generic name/total lists). */
import { namedBreakdowns } from '../../../core/analytics/runFigures';
import type { RunStatistics } from '../../../core/analytics/types';
import type { RunFigures } from '../../../protocol/messages';

/** `shared`: several folders carry the run id, so the label names the folder too. */
export function runFigures(s: RunStatistics, shared = false): RunFigures {
  return {
    runId: s.runId,
    label: shared && s.folder ? `${s.runId} (${s.folder})` : s.runId,
    folder: s.folder,
    scenarioName: s.scenarioName,
    status: s.status,
    turnCount: s.turnCount,
    decisionCount: s.decisionCount,
    communicationCount: s.communicationCount,
    metricCount: s.metricCount,
    annotationCount: s.annotationCount,
    totalCost: s.totalCost,
    // Each breakdown sums to the total: world_update / qa_validation costs get their own line.
    ...namedBreakdowns(s),
    tokens: { ...s.tokens },
  };
}
