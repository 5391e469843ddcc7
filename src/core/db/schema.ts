/**
 * The one module that owns the database schema.
 *
 * Scenario Lab's own tables are created with exactly the DDL its SQLAlchemy models produce
 * (docs/format.md#schema), so `sqlite3` and Scenario Lab's Python `Database` class read our file as
 * their own. Everything the extension needs beyond that lives in `sl_*` tables that Scenario
 * Lab never looks at. Bump SCHEMA_VERSION whenever any statement here changes: an index file
 * with another version is set aside and rebuilt from the run folders.
 */
import type { ColumnType, Generated } from 'kysely';

export const SCHEMA_VERSION = 8;

/** Scenario Lab's tables, verbatim from `Base.metadata.create_all()` (docs/format.md#schema). */
const SCENARIO_LAB_DDL = `
CREATE TABLE runs (
	id VARCHAR NOT NULL, 
	scenario_id VARCHAR NOT NULL, 
	scenario_name VARCHAR NOT NULL, 
	created DATETIME NOT NULL, 
	status VARCHAR NOT NULL, 
	total_turns INTEGER NOT NULL, 
	total_cost FLOAT NOT NULL, 
	config JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_runs_scenario_id ON runs (scenario_id);
CREATE TABLE turns (
	id INTEGER NOT NULL, 
	run_id VARCHAR NOT NULL, 
	turn_num INTEGER NOT NULL, 
	timestamp DATETIME NOT NULL, 
	world_state TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (id)
);
CREATE INDEX ix_turns_turn_num ON turns (turn_num);
CREATE INDEX ix_turns_run_id ON turns (run_id);
CREATE TABLE costs (
	id INTEGER NOT NULL, 
	run_id VARCHAR NOT NULL, 
	timestamp DATETIME NOT NULL, 
	actor VARCHAR NOT NULL, 
	phase VARCHAR NOT NULL, 
	model VARCHAR NOT NULL, 
	input_tokens INTEGER NOT NULL, 
	output_tokens INTEGER NOT NULL, 
	cost FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (id)
);
CREATE INDEX ix_costs_phase ON costs (phase);
CREATE INDEX ix_costs_actor ON costs (actor);
CREATE INDEX ix_costs_run_id ON costs (run_id);
CREATE TABLE decisions (
	id INTEGER NOT NULL, 
	turn_id INTEGER NOT NULL, 
	actor VARCHAR NOT NULL, 
	goals JSON, 
	reasoning TEXT, 
	action TEXT, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_decisions_actor ON decisions (actor);
CREATE INDEX ix_decisions_turn_id ON decisions (turn_id);
CREATE TABLE communications (
	id VARCHAR NOT NULL, 
	turn_id INTEGER NOT NULL, 
	type VARCHAR NOT NULL, 
	sender VARCHAR NOT NULL, 
	recipients JSON, 
	content TEXT, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_communications_turn_id ON communications (turn_id);
CREATE INDEX ix_communications_sender ON communications (sender);
CREATE TABLE metrics (
	id INTEGER NOT NULL, 
	turn_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	value FLOAT NOT NULL, 
	actor VARCHAR, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_metrics_actor ON metrics (actor);
CREATE INDEX ix_metrics_turn_id ON metrics (turn_id);
CREATE INDEX ix_metrics_name ON metrics (name);
`;

/**
 * The extension's own bookkeeping. `sl_origins` ties every row of a Scenario Lab table to the
 * run folder that produced it (so a folder can be re-indexed alone) and to its source lines.
 */
const EXTENSION_DDL = `
CREATE TABLE schema_version (version INTEGER NOT NULL, created DATETIME NOT NULL);
CREATE TABLE sl_folders (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	format TEXT NOT NULL,
	run_id TEXT,
	scenario_id TEXT,
	scenario_name TEXT,
	scenario_dir TEXT,
	status TEXT,
	last_turn INTEGER,
	leftover_turn INTEGER,
	planned_turns INTEGER,
	first_persisted_turn INTEGER,
	started_at TEXT,
	last_record_at TEXT,
	last_written_at TEXT,
	completed_at TEXT,
	error TEXT,
	total_cost REAL,
	config TEXT,
	pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_sl_folders_run_id ON sl_folders (run_id);
CREATE TABLE sl_files (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	folder_id INTEGER,
	size INTEGER NOT NULL,
	mtime_ms REAL NOT NULL,
	hash TEXT NOT NULL,
	kind TEXT NOT NULL
);
CREATE INDEX ix_sl_files_folder ON sl_files (folder_id);
-- One row per stored row (400,000 at 1,000 runs), so kept narrow: the file is an sl_files id, and
-- without a rowid a row's origin is one b-tree search.
CREATE TABLE sl_origins (
	tbl TEXT NOT NULL,
	row_id INTEGER NOT NULL,
	file_id INTEGER,
	start_line INTEGER,
	end_line INTEGER,
	focus_line INTEGER,
	PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
-- The rows a folder wrote into each table: one writeFolder() inserts them in a row, so their ids
-- are consecutive. A folder's rows and origins are found by range, with no index over every origin.
CREATE TABLE sl_folder_rows (
	folder_id INTEGER NOT NULL,
	tbl TEXT NOT NULL,
	first_id INTEGER NOT NULL,
	last_id INTEGER NOT NULL,
	PRIMARY KEY (folder_id, tbl, first_id)
) WITHOUT ROWID;
-- The actor the run files record for a metric row (the record's own actor, else metadata.actor).
-- Scenario Lab's metrics.actor stays NULL for extracted per-actor metrics, as its runner stores it;
-- our views and the CLI's --actor read this table. Rows exist only for metrics with an actor.
CREATE TABLE sl_metric_actors (
	metric_id INTEGER PRIMARY KEY,
	actor TEXT NOT NULL
);
CREATE INDEX ix_sl_metric_actors_actor ON sl_metric_actors (actor, metric_id);
CREATE TABLE sl_problems (
	id INTEGER PRIMARY KEY,
	folder_id INTEGER,
	file TEXT NOT NULL,
	line INTEGER NOT NULL,
	severity TEXT NOT NULL,
	message TEXT NOT NULL
);
CREATE INDEX ix_sl_problems_folder ON sl_problems (folder_id);
CREATE TABLE sl_scenarios (
	dir TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	definition JSON NOT NULL
);
CREATE TABLE sl_annotations (
	folder_id INTEGER NOT NULL,
	id TEXT NOT NULL,
	run_id TEXT,
	file TEXT NOT NULL,
	start_line INTEGER NOT NULL,
	end_line INTEGER NOT NULL,
	outdated INTEGER NOT NULL,
	quote TEXT NOT NULL,
	label TEXT,
	rating INTEGER,
	resolved INTEGER NOT NULL,
	turn_num INTEGER,
	decision_id INTEGER,
	actor TEXT,
	author TEXT,
	body TEXT,
	comments JSON NOT NULL,
	comment_count INTEGER NOT NULL,
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	PRIMARY KEY (folder_id, id)
);
CREATE INDEX ix_sl_annotations_run ON sl_annotations (run_id);
CREATE INDEX ix_sl_annotations_file ON sl_annotations (file, start_line);
-- Batch experiments (docs/format.md#batches), one row per batch output folder, from its batch-*.json/yaml files.
CREATE TABLE sl_experiments (
	folder TEXT PRIMARY KEY,
	experiment_name TEXT NOT NULL,
	description TEXT,
	base_scenario TEXT,
	runs_per_variation INTEGER NOT NULL,
	max_parallel INTEGER,
	budget_limit REAL,
	cost_per_run_limit REAL,
	output_dir TEXT,
	start_time TEXT,
	end_time TEXT,
	config JSON,
	cost_summary JSON,
	summary JSON,
	has_state INTEGER NOT NULL
);
CREATE TABLE sl_variations (
	experiment TEXT NOT NULL,
	variation_id INTEGER NOT NULL,
	description TEXT,
	modifications JSON,
	source TEXT NOT NULL,
	PRIMARY KEY (experiment, variation_id)
);
-- Batch runs by folder name (var-VVV-run-RRR): parallel runs share a run id, never a folder.
CREATE TABLE sl_batch_runs (
	experiment TEXT NOT NULL,
	name TEXT NOT NULL,
	variation_id INTEGER,
	run_number INTEGER,
	folder TEXT NOT NULL,
	has_folder INTEGER NOT NULL,
	completed INTEGER NOT NULL,
	failed_count INTEGER NOT NULL,
	status TEXT,
	error TEXT,
	PRIMARY KEY (experiment, name)
);
CREATE INDEX ix_sl_batch_runs_folder ON sl_batch_runs (folder);
CREATE TABLE sl_batch_costs (
	experiment TEXT NOT NULL,
	seq INTEGER NOT NULL,
	run_name TEXT NOT NULL,
	variation_id INTEGER,
	cost REAL NOT NULL,
	success INTEGER,
	timestamp TEXT,
	PRIMARY KEY (experiment, seq)
);
CREATE INDEX sl_ix_turns_run_turn ON turns (run_id, turn_num);
-- Cover every metric query by name (aggregates, evolution, query_metrics), so none reads the table (hovers: 45 -> 16 ms at 1,000 runs).
CREATE INDEX sl_ix_metrics_name_turn ON metrics (name, turn_id, value, actor, timestamp);
CREATE INDEX sl_ix_decisions_actor_turn ON decisions (actor, turn_id);
`;

/** The engines an index can live in: the embedded sql.js file, or a shared PostgreSQL database. */
export type Engine = 'sqlite' | 'postgres';

/**
 * The schema as DDL for one engine. PostgreSQL gets the same statements mapped the way SQLAlchemy
 * maps Scenario Lab's models there (`test/python/read_with_sqlalchemy.py` prints them:
 * DATETIME → TIMESTAMP WITHOUT TIME ZONE, an integer `id` primary key → SERIAL, FLOAT stays
 * double precision, JSON stays JSON), our REAL → DOUBLE PRECISION (PostgreSQL's REAL is 4 bytes),
 * and one addition: `communications.rowid`, the implicit row number SQLite gives every table,
 * which sl_origins uses to key a communication's origin (its own id is text). SQLAlchemy reads
 * only the columns its models name, so Scenario Lab never sees it.
 */
export function schemaStatements(engine: Engine = 'sqlite'): string {
  const ddl = `${SCENARIO_LAB_DDL}${EXTENSION_DDL}`;
  return engine === 'sqlite' ? ddl : postgresDdl(ddl);
}

function postgresDdl(ddl: string): string {
  return ddl
    .replace(/--[^\n]*\n/g, '\n')
    .replace(/\bDATETIME\b/g, 'TIMESTAMP WITHOUT TIME ZONE')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\) WITHOUT ROWID;/g, ');')
    .replace(/\bid INTEGER PRIMARY KEY\b/g, 'id SERIAL PRIMARY KEY')
    // Scenario Lab's integer ids (declared `id INTEGER NOT NULL, ... PRIMARY KEY (id)`).
    .replace(/\bid INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,')
    .replace(/(CREATE TABLE communications \(\n)/, '$1\trowid BIGSERIAL UNIQUE, \n');
}

/** Tables Scenario Lab's Python models create; the order is a safe order to delete rows in. */
export const SCENARIO_LAB_TABLES = ['decisions', 'communications', 'metrics', 'turns', 'costs', 'runs'] as const;

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
  sl_problems: ProblemsTable;
  sl_scenarios: ScenariosTable;
  sl_annotations: AnnotationsTable;
  sl_experiments: ExperimentsTable;
  sl_variations: VariationsTable;
  sl_batch_runs: BatchRunsTable;
  sl_batch_costs: BatchCostsTable;
}
