/** The analytics API's run statistics in the protocol's shape (same numbers, generic name/total lists). */
import type { RunStatistics } from '../../../core/analytics/types';
import type { RunFigures } from '../../../protocol/messages';

export function runFigures(s: RunStatistics): RunFigures {
  return {
    runId: s.runId,
    scenarioName: s.scenarioName,
    status: s.status,
    turnCount: s.turnCount,
    decisionCount: s.decisionCount,
    communicationCount: s.communicationCount,
    metricCount: s.metricCount,
    annotationCount: s.annotationCount,
    totalCost: s.totalCost,
    costByPhase: s.costByPhase.map((c) => ({ name: c.phase, total: c.total })),
    costByActor: s.costByActor.map((c) => ({ name: c.actor, total: c.total })),
    costByModel: s.costByModel.map((c) => ({ name: c.model, total: c.total })),
    tokens: { ...s.tokens },
  };
}
