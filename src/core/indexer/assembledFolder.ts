/**
 * What one run folder contributes to the database, as plain data (named apart from the table
 * sl_folder_rows, which records which row ids a folder's rows took). assembleFolder() builds it
 * from a ParsedFolder; writeFolder() stores it. Keeping the shape in one place lets tests check
 * the reconstruction rules of docs/format.md#reconstruction without a database.
 */
import type { IndexedAnnotation } from '../annotations/indexedAnnotation';
import type { FolderFormat } from '../db/schema';
import type { Problem, SourceLocation } from '../format/records';
import type { IndexedFile } from './readFolder';

export interface FolderMeta {
  format: FolderFormat;
  runId: string | null;
  scenarioId: string | null;
  scenarioName: string | null;
  scenarioDir: string | null;
  status: string | null;
  lastTurn: number | null;
  leftoverTurn: number | null;
  plannedTurns: number | null;
  firstPersistedTurn: number | null;
  /** SQL datetime of the run start (state file), the best stand-in for Scenario Lab's `created`. */
  startedAt: string | null;
  /** Latest cost/metric timestamp: decides which of several folders sharing a run id is newest (docs/format.md#shared-run-ids). */
  lastRecordAt: string | null;
  /** Latest time any of the run's own files records (records and markdown, leftovers excluded): how recently the run wrote, whatever the file times say. */
  lastWrittenAt: string | null;
  /** `completed_at` of the state file: the run ended, even when its status still reads `running` (docs/format.md#status). */
  completedAt: string | null;
  error: string | null;
  totalCost: number | null;
  /** JSON text of scenario_config. */
  config: string | null;
}

export interface DecisionRow {
  actor: string;
  goals: string[];
  reasoning: string;
  action: string;
  timestamp: string;
  origin: SourceLocation | undefined;
}

export interface CommunicationRow {
  id: string;
  type: string;
  sender: string;
  recipients: string[];
  content: string;
  timestamp: string;
  origin: SourceLocation | undefined;
}

export interface MetricRow {
  name: string;
  value: number;
  /** Scenario Lab's `metrics.actor`: the record's own actor, NULL for every extracted metric (docs/format.md#metrics-file). */
  actor: string | null;
  /** The actor the files record (the record's own, else `metadata.actor`): our sl_metric_actors. */
  recordedActor: string | null;
  timestamp: string;
  origin: SourceLocation | undefined;
}

export interface TurnRows {
  turnNum: number;
  timestamp: string;
  worldState: string | null;
  origin: SourceLocation | undefined;
  decisions: DecisionRow[];
  communications: CommunicationRow[];
  metrics: MetricRow[];
}

export interface CostRow {
  timestamp: string;
  actor: string;
  phase: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  origin: SourceLocation | undefined;
}

export interface AssembledFolder {
  key: string;
  meta: FolderMeta;
  /** SourceLocation of the run row (the state file), when there is one. */
  runOrigin: SourceLocation | undefined;
  turns: TurnRows[];
  costs: CostRow[];
  annotations: IndexedAnnotation[];
  problems: Problem[];
  pending: boolean;
  files: IndexedFile[];
}
