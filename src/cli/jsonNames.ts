/**
 * The CLI's --json output speaks the Scenario Lab database guide's snake_case names (run_id,
 * scenario_name, turn_count, cost_by_phase as [{phase, total}], metric_name, turn_number), so a
 * Python user's scripts written against the guide read it unchanged.
 */
import type { Decision, Metric, MetricAggregate, MetricEvolutionPoint, RunSummary, RunStatistics, SourceLocation } from '../core/analytics/types';

export function runJson(run: RunSummary) {
  return {
    id: run.id,
    scenario_id: run.scenarioId,
    scenario_name: run.scenarioName,
    status: run.status,
    total_turns: run.totalTurns,
    total_cost: run.totalCost,
    created: run.created,
    folders: run.folders.map((f) => ({
      path: f.path,
      format: f.format,
      status: f.status,
      last_turn: f.lastTurn,
      interrupted_turn: f.leftoverTurn,
      planned_turns: f.plannedTurns,
      error: f.error,
    })),
  };
}

export function statisticsJson(s: RunStatistics) {
  return {
    run_id: s.runId,
    // Ours: the run folder the figures are of (several folders can carry one run id).
    folder: s.folder,
    scenario_name: s.scenarioName,
    status: s.status,
    turn_count: s.turnCount,
    decision_count: s.decisionCount,
    communication_count: s.communicationCount,
    metric_count: s.metricCount,
    annotation_count: s.annotationCount,
    total_cost: s.totalCost,
    cost_by_phase: s.costByPhase.map((c) => ({ phase: c.phase, total: c.total })),
    cost_by_actor: s.costByActor.map((c) => ({ actor: c.actor, total: c.total })),
    cost_by_model: s.costByModel.map((c) => ({ model: c.model, total: c.total })),
    // Ours: what no breakdown above itemises (world_update, qa_validation); each breakdown plus this is total_cost.
    cost_not_itemised: s.notItemisedCost,
    tokens: s.tokens,
    created: s.created,
  };
}

export function aggregateJson(a: MetricAggregate) {
  return { metric: a.metric, scenario: a.scenario, avg: a.avg, min: a.min, max: a.max, count: a.count };
}

export function evolutionJson(metric: string, scenario: string | undefined, points: MetricEvolutionPoint[]) {
  return { metric, scenario: scenario ?? null, turns: points.map((p) => ({ turn_number: p.turn, avg: p.avg, min: p.min, max: p.max, count: p.count })) };
}

export function metricJson(m: Metric) {
  return {
    id: m.id,
    run_id: m.runId,
    scenario_id: m.scenarioId,
    turn_number: m.turnNum,
    metric_name: m.name,
    value: m.value,
    actor: m.actor,
    timestamp: m.timestamp,
    source: sourceJson(m.source),
  };
}

export function decisionJson(d: Decision) {
  return {
    id: d.id,
    run_id: d.runId,
    turn_number: d.turnNum,
    actor: d.actor,
    goals: d.goals,
    reasoning: d.reasoning,
    action: d.action,
    timestamp: d.timestamp,
    source: sourceJson(d.source),
  };
}

function sourceJson(s: SourceLocation | undefined) {
  return s ? { file: s.file, start_line: s.startLine, end_line: s.endLine, focus_line: s.focusLine } : null;
}
