/**
 * The Kysely row types of every table in the schema (db/schema.ts owns it; its DDL is in
 * schemaScenarioLab.ts and schemaExtension.ts). Keep them in step with the DDL.
 */
import type { ColumnType, Generated } from 'kysely';

type Datetime = string;
type JsonText = string;

export interface RunsTable {
  id: string;
  scenario_id: string;
  scenario_name: string;
  created: Datetime;
  status: string;
  total_turns: number;
  total_cost: number;
  config: JsonText | null;
}

export interface TurnsTable {
  id: Generated<number>;
  run_id: string;
  turn_num: number;
  timestamp: Datetime;
  world_state: string | null;
}

export interface DecisionsTable {
  id: Generated<number>;
  turn_id: number;
  actor: string;
  goals: JsonText | null;
  reasoning: string | null;
  action: string | null;
  timestamp: Datetime;
}

export interface CommunicationsTable {
  id: string;
  turn_id: number;
  type: string;
  sender: string;
  recipients: JsonText | null;
  content: string | null;
  timestamp: Datetime;
}

export interface MetricsTable {
  id: Generated<number>;
  turn_id: number;
  name: string;
  value: number;
  actor: string | null;
  timestamp: Datetime;
}

export interface CostsTable {
  id: Generated<number>;
  run_id: string;
  timestamp: Datetime;
  actor: string;
  phase: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost: number;
}

export interface SchemaVersionTable {
  version: number;
  created: Datetime;
}

/**
 * v2 / v1: a run folder with its state JSON; markdown: run markdown without a readable state file
 * (a run still in its first turn, or broken JSON), indexed under an invented run id; fragment:
 * loose run documents (e.g. calibration runs), kept as documents only.
 */
export type FolderFormat = 'v2' | 'v1' | 'markdown' | 'fragment';

export interface FoldersTable {
  id: Generated<number>;
  path: string;
  format: FolderFormat;
  run_id: string | null;
  scenario_id: string | null;
  scenario_name: string | null;
  scenario_dir: string | null;
  status: string | null;
  last_turn: number | null;
  /** Highest turn with files beyond last_turn: the turn an interrupted run was in. */
  leftover_turn: number | null;
  planned_turns: number | null;
  first_persisted_turn: number | null;
  started_at: string | null;
  last_record_at: string | null;
  /** Latest time the run's own files record (see FolderMeta.lastWrittenAt). */
  last_written_at: string | null;
  completed_at: string | null;
  error: string | null;
  total_cost: number | null;
  config: JsonText | null;
  pending: ColumnType<number, number | undefined, number>;
}

export interface FilesTable {
  id: Generated<number>;
  path: string;
  folder_id: number | null;
  size: number;
  mtime_ms: number;
  hash: string;
  kind: string;
}

export type OriginTable = 'runs' | 'turns' | 'decisions' | 'communications' | 'metrics' | 'costs';

export interface OriginsTable {
  tbl: OriginTable;
  row_id: number;
  /** sl_files.id of the source file. */
  file_id: number | null;
  start_line: number | null;
  end_line: number | null;
  /** The line a "go to source" should put the cursor on (a decision's Action heading, a message's sender line). */
  focus_line: number | null;
}

export interface FolderRowsTable {
  folder_id: number;
  tbl: OriginTable;
  first_id: number;
  last_id: number;
}

/** sl_metric_actors: metrics.id → the actor the files record for it. */
export interface MetricActorsTable {
  metric_id: number;
  actor: string;
}

/** sl_scenario_metrics (db/schemaScope.ts): a metric row with its scenario, run and turn number; `actor` is the recorded one (sl_metric_actors). */
export interface ScenarioMetricsTable {
  metric_id: number;
  scenario_id: string;
  run_id: string;
  turn_num: number;
  name: string;
  actor: string | null;
  value: number;
  timestamp: string;
}

/** sl_scenario_decisions (db/schemaScope.ts): a decision row with its scenario, run and turn number. */
export interface ScenarioDecisionsTable {
  decision_id: number;
  scenario_id: string;
  run_id: string;
  turn_num: number;
  actor: string;
}

export interface ProblemsTable {
  id: Generated<number>;
  folder_id: number | null;
  file: string;
  line: number;
  severity: string;
  message: string;
}

export interface ScenariosTable {
  dir: string;
  name: string;
  definition: JsonText;
}

/**
 * A copy of the reviewer annotations in the run folders' sidecar files (the sidecar is the
 * original; this copy is rebuilt with the folder). Lines are where the quoted text is now;
 * `outdated` = 1 when the text is gone (lines are then the recorded ones). `turn_num`,
 * `decision_id` and `actor` say which turn / decision the anchor falls in.
 */
export interface AnnotationsTable {
  folder_id: number;
  id: string;
  run_id: string | null;
  /** Index key of the annotated file. */
  file: string;
  start_line: number;
  end_line: number;
  outdated: number;
  /** The quoted lines joined with \n. */
  quote: string;
  label: string | null;
  rating: number | null;
  resolved: number;
  turn_num: number | null;
  decision_id: number | null;
  actor: string | null;
  /** Author and text of the first comment. */
  author: string | null;
  body: string | null;
  /** JSON array of every comment ({id, author, body, created, updated}). */
  comments: JsonText;
  comment_count: number;
  created: string;
  updated: string;
}

/** A batch output folder (docs/format.md#batches). `folder` is its index key; JSON columns hold the batch files as read. */
export interface ExperimentsTable {
  folder: string;
  experiment_name: string;
  description: string | null;
  base_scenario: string | null;
  runs_per_variation: number;
  max_parallel: number | null;
  budget_limit: number | null;
  cost_per_run_limit: number | null;
  output_dir: string | null;
  start_time: string | null;
  end_time: string | null;
  config: JsonText | null;
  cost_summary: JsonText | null;
  summary: JsonText | null;
  has_state: number;
}

/** A variation: from batch-state.json (`source` 'state'), the config's product ('config') or only run folder names ('runs'). */
export interface VariationsTable {
  experiment: string;
  variation_id: number;
  description: string | null;
  modifications: JsonText | null;
  source: string;
}

/**
 * A batch run by folder name. `completed` = listed in `completed_runs`; `failed_count` = its
 * `failed_runs` entries; `status` = `success`, the last failure's status, or null (not recorded yet).
 */
export interface BatchRunsTable {
  experiment: string;
  name: string;
  variation_id: number | null;
  run_number: number | null;
  /** Index key of the run folder (matches sl_folders.path once the folder is indexed). */
  folder: string;
  has_folder: number;
  completed: number;
  failed_count: number;
  status: string | null;
  error: string | null;
}

/** One `run_costs` entry of batch-costs.json, in file order. */
export interface BatchCostsTable {
  experiment: string;
  seq: number;
  run_name: string;
  variation_id: number | null;
  cost: number;
  success: number | null;
  timestamp: string | null;
}

/** The Kysely database type: every table a query may touch. */
export interface IndexDatabase {
  runs: RunsTable;
  turns: TurnsTable;
  decisions: DecisionsTable;
  communications: CommunicationsTable;
  metrics: MetricsTable;
  costs: CostsTable;
  schema_version: SchemaVersionTable;
  sl_folders: FoldersTable;
  sl_files: FilesTable;
  sl_origins: OriginsTable;
  sl_folder_rows: FolderRowsTable;
  sl_metric_actors: MetricActorsTable;
  sl_scenario_metrics: ScenarioMetricsTable;
  sl_scenario_decisions: ScenarioDecisionsTable;
  sl_problems: ProblemsTable;
  sl_scenarios: ScenariosTable;
  sl_annotations: AnnotationsTable;
  sl_experiments: ExperimentsTable;
  sl_variations: VariationsTable;
  sl_batch_runs: BatchRunsTable;
  sl_batch_costs: BatchCostsTable;
}
