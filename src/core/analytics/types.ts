/**
 * Result types of the analytics API: camelCase forms of the names the Scenario Lab database
 * guide uses (scenarioName, turnCount, decisionCount, costByPhase as a list of {phase, total}).
 * The CLI's --json output maps them back to the guide's snake_case (see cli/jsonNames.ts).
 */

import type { SourceLocation } from '../format/records';

/** Where a row came from; `file` is the index key (root-relative path) of the source file. */
export type { SourceLocation };

export interface RunFolder {
  path: string;
  format: string;
  runId: string | null;
  scenarioName: string | null;
  status: string | null;
  lastTurn: number | null;
  /** A turn with files beyond the last persisted one: where an interrupted run stopped. */
  leftoverTurn: number | null;
  plannedTurns: number | null;
  firstPersistedTurn: number | null;
  startedAt: string | null;
  lastRecordAt: string | null;
  /** Latest time the run's own files record (not their modification time, which copying refreshes). */
  lastWrittenAt: string | null;
  /** The state file's `completed_at`: the run ended, whatever its status says. */
  completedAt: string | null;
  error: string | null;
  totalCost: number | null;
  pending: boolean;
}

/** A run as lists show it; the run's configuration (a kilobyte or more of JSON per run) only comes with getRun. */
export interface RunSummary {
  id: string;
  scenarioId: string;
  scenarioName: string;
  created: string;
  status: string;
  totalTurns: number;
  totalCost: number;
  /** Folders holding this run (more than one after a resume, or for parallel batch runs sharing an id). */
  folders: RunFolder[];
}

/** A run as far as naming it takes: its id and the paths of the folders holding it (sl_folders.path, by path). */
export interface RunName {
  id: string;
  folders: Array<Pick<RunFolder, 'path'>>;
}

export interface Run extends RunSummary {
  config: unknown;
}

export interface Turn {
  id: number;
  runId: string;
  turnNum: number;
  timestamp: string;
  worldState: string | null;
  source: SourceLocation | undefined;
}

export interface Decision {
  id: number;
  runId: string;
  turnNum: number;
  actor: string;
  goals: string[];
  reasoning: string;
  action: string;
  timestamp: string;
  source: SourceLocation | undefined;
}

export interface Communication {
  id: string;
  runId: string;
  turnNum: number;
  type: string;
  sender: string;
  recipients: string[];
  content: string;
  timestamp: string;
  source: SourceLocation | undefined;
}

export interface Metric {
  id: number;
  runId: string;
  scenarioId: string;
  turnNum: number;
  name: string;
  value: number;
  /** The actor the run files record for this value (the record's own actor, else its metadata.actor; our sl_metric_actors). */
  actor: string | null;
  /** Scenario Lab's `metrics.actor`: NULL for every extracted per-actor metric, as its own database stores it. */
  scenarioLabActor: string | null;
  timestamp: string;
  source: SourceLocation | undefined;
}

export interface PhaseCost {
  phase: string;
  total: number;
}

export interface ActorCost {
  actor: string;
  total: number;
}

export interface ModelCost {
  model: string;
  total: number;
}

export interface TurnCost {
  turn: number;
  total: number;
}

export interface RunStatistics {
  runId: string;
  /**
   * The run folder these figures are of (sl_folders.path): set when they are one folder's, which they
   * always are when several folders carry the run id; null for Scenario Lab's merged get_run_statistics.
   */
  folder: string | null;
  scenarioName: string;
  status: string;
  /** Turn rows stored for the run, or for the folder when `folder` names one of several. */
  turnCount: number;
  decisionCount: number;
  communicationCount: number;
  metricCount: number;
  /** Reviewer annotations on the run's files (the index's copy of the sidecars). */
  annotationCount: number;
  /** runs.total_cost: every LLM call, including world updates that the costs table lacks (docs/format.md#costs-file). */
  totalCost: number;
  costByPhase: PhaseCost[];
  costByActor: ActorCost[];
  costByModel: ModelCost[];
  /**
   * totalCost minus every cost row (ours): world_update / qa_validation calls, which have no actor and
   * so no row in Scenario Lab's costs table; negative when a resumed run's copied costs are stored
   * twice. Each breakdown above plus this line sums to totalCost.
   */
  notItemisedCost: number;
  tokens: { input: number; output: number; total: number };
  created: string;
}

/** The line each cost breakdown gets for RunStatistics.notItemisedCost (world_update, qa_validation), so it sums to the total. */
export const NOT_ITEMISED_COST = 'other / not itemised';

export interface RunComparison {
  runs: RunStatistics[];
}

export interface MetricAggregate {
  metric: string;
  scenario: string | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface MetricEvolutionPoint {
  turn: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export interface MetricFilters {
  metricName?: string;
  scenario?: string;
  /** Records of this actor as the run files record it (ours; what the views, charts and `metrics --actor` use). */
  actor?: string;
  /** Scenario Lab's own filter, `query_metrics(actor=…)` on its `metrics.actor` column (NULL for extracted per-actor metrics). */
  scenarioLabActor?: string;
  runIds?: readonly string[];
  /** One turn number (turns.turn_num), e.g. the records of one turn of a run. */
  turnNum?: number;
}

/** The newest modification time of a run folder's indexed files. */
export interface FolderActivity {
  folder: string;
  lastModifiedMs: number;
}

export interface IndexProblem {
  file: string;
  line: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  folder: string | null;
}

/** One run's value of a metric at one turn: the mean of its records there (metrics without an actor may have several). */
export interface RunMetricPoint {
  runId: string;
  turn: number;
  value: number;
  count: number;
}

/** A metric over one run: mean of every record, and the value at the last turn that has one. */
export interface RunMetricSummary {
  runId: string;
  metric: string;
  mean: number;
  final: number;
  finalTurn: number;
  count: number;
}

/** One page of a long result; `total` counts every matching row. */
export interface Page<T> {
  offset: number;
  limit: number;
  total: number;
  rows: T[];
}
