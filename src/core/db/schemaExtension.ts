/**
 * The extension's own `sl_*` tables (and `schema_version`), part of the schema that db/schema.ts
 * owns (bump its SCHEMA_VERSION when a statement here changes). Scenario Lab never looks at them.
 */

/**
 * The extension's own bookkeeping. `sl_origins` ties every row of a Scenario Lab table to the
 * run folder that produced it (so a folder can be re-indexed alone) and to its source lines.
 */
export const EXTENSION_DDL = `
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
