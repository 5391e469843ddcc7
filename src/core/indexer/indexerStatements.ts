/**
 * Every SQL statement the embedded (sql.js) indexer runs, by name, and the one cache per
 * connection that prepares each of them once.
 *
 * The indexer writes with raw prepared statements rather than Kysely on purpose: reusing prepared
 * statements inside one transaction is ~2.5x faster than preparing per row in sql.js
 * (guides/sqljs-performance.md §1). They live as long as the connection: sql.js keeps them valid
 * across export() (test/unit/db/sqljsDialect.test.ts pins that) and finalizes every statement of a
 * database when it is closed (closeIndex), so a watcher pass does not prepare them again for each
 * file a running scenario writes. The schema itself is db/schema.ts's; the PostgreSQL writer keeps
 * its own dialect's SQL (postgres/) and shares the table lists (indexTables.ts).
 */
import type { Database, SqlValue } from 'sql.js';
import { LINE_PLACE_SQL } from '../db/linePlace';
import { SCOPE_SCENARIO_SYNC } from '../db/schema';
import { StatementCache } from '../db/statementCache';
import { BATCH_FILES } from '../format/batchFiles';
import { EXPERIMENT_TABLES, FOLDER_TABLES, ROW_TABLES, type RowTable } from './indexTables';

type FolderTable = (typeof FOLDER_TABLES)[number];
type ExperimentTable = (typeof EXPERIMENT_TABLES)[number][0];

const SQL = {
  // Transactions: a pass commits in batches; one folder or experiment SQLite refuses is undone alone in a savepoint.
  begin: 'BEGIN',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  folderSavepoint: 'SAVEPOINT sl_folder',
  folderRollback: 'ROLLBACK TO sl_folder',
  folderRelease: 'RELEASE sl_folder',
  batchSavepoint: 'SAVEPOINT batch',
  batchRollback: 'ROLLBACK TO batch',
  batchRelease: 'RELEASE batch',
  lastRowId: 'SELECT last_insert_rowid()',
  changes: 'SELECT changes()',

  // What the index holds: compared with the folders on disk to find what changed.
  storedFolders: 'SELECT id, path, run_id, pending FROM sl_folders',
  storedFolder: 'SELECT id, path, run_id, pending FROM sl_folders WHERE path = ?',
  storedFiles: 'SELECT path, size, mtime_ms, hash FROM sl_files WHERE folder_id = ?',
  foldersOfRun: 'SELECT path FROM sl_folders WHERE run_id = ?',
  scenarioNames: 'SELECT dir, name FROM sl_scenarios',
  problemCount: 'SELECT COUNT(*) FROM sl_problems',
  // A touched file whose bytes are the same (same hash) only gets its new size and mtime.
  touchFile: 'UPDATE sl_files SET size = ?, mtime_ms = ? WHERE path = ?',

  // Scenario definitions, with the problems that belong to no run folder.
  deleteScenarios: 'DELETE FROM sl_scenarios',
  deleteFolderlessProblems: 'DELETE FROM sl_problems WHERE folder_id IS NULL',
  insertScenario: 'INSERT OR REPLACE INTO sl_scenarios (dir, name, definition) VALUES (?, ?, ?)',

  // A run folder's rows.
  folderId: 'SELECT id, run_id FROM sl_folders WHERE path = ?',
  insertFolder: `INSERT INTO sl_folders (path, format, run_id, scenario_id, scenario_name, scenario_dir, status, last_turn, leftover_turn,
      planned_turns, first_persisted_turn, started_at, last_record_at, last_written_at, completed_at, error, total_cost, config, pending)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // Long texts are bound as UTF-8 bytes and cast back to TEXT (see utf8Params.ts).
  insertTurn: 'INSERT INTO turns (run_id, turn_num, timestamp, world_state) VALUES (?, ?, ?, CAST(? AS TEXT))',
  insertDecision: 'INSERT INTO decisions (turn_id, actor, goals, reasoning, action, timestamp) VALUES (?, ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?)',
  insertCommunication: 'INSERT OR IGNORE INTO communications (id, turn_id, type, sender, recipients, content, timestamp) VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), ?)',
  insertMetric: 'INSERT INTO metrics (turn_id, name, value, actor, timestamp) VALUES (?, ?, ?, ?, ?)',
  insertMetricActor: 'INSERT INTO sl_metric_actors (metric_id, actor) VALUES (?, ?)',
  // The per-scenario copies (db/schemaScope.ts); scenario_id is the folder's until refreshRunRows() syncs it with the run row.
  insertScenarioMetric: 'INSERT INTO sl_scenario_metrics (metric_id, scenario_id, run_id, turn_num, name, actor, value, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  insertScenarioDecision: 'INSERT INTO sl_scenario_decisions (decision_id, scenario_id, run_id, turn_num, actor) VALUES (?, ?, ?, ?, ?)',
  insertCost: 'INSERT INTO costs (run_id, timestamp, actor, phase, model, input_tokens, output_tokens, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  insertOrigin: 'INSERT OR REPLACE INTO sl_origins (tbl, row_id, file_id, start_line, end_line, focus_line) VALUES (?, ?, ?, ?, ?, ?)',
  insertFolderRows: 'INSERT OR REPLACE INTO sl_folder_rows (folder_id, tbl, first_id, last_id) VALUES (?, ?, ?, ?)',
  // folder_id NULL: a problem of no run folder (scenario definitions, discovery, batch files, a folder that could not be stored).
  insertProblem: 'INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (?, ?, ?, ?, ?)',
  insertFile: 'INSERT OR REPLACE INTO sl_files (path, folder_id, size, mtime_ms, hash, kind) VALUES (?, ?, ?, ?, ?, ?)',
  insertAnnotation: `INSERT OR REPLACE INTO sl_annotations (folder_id, id, run_id, file, start_line, end_line, outdated, quote, label, rating, resolved,
      turn_num, decision_id, actor, author, body, comments, comment_count, created, updated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  annotationPlace: LINE_PLACE_SQL,
  // A folder's rows and their origins go by the id ranges it wrote, then its bookkeeping.
  folderRows: 'SELECT tbl, first_id, last_id FROM sl_folder_rows WHERE folder_id = ?',
  deleteOrigins: 'DELETE FROM sl_origins WHERE tbl = ? AND row_id BETWEEN ? AND ?',
  deleteMetricActors: 'DELETE FROM sl_metric_actors WHERE metric_id BETWEEN ? AND ?',
  deleteScenarioMetrics: 'DELETE FROM sl_scenario_metrics WHERE metric_id BETWEEN ? AND ?',
  deleteScenarioDecisions: 'DELETE FROM sl_scenario_decisions WHERE decision_id BETWEEN ? AND ?',
  // A folder that could not be stored at all keeps its problem under its key, without a folder row.
  deleteUnstoredProblem: 'DELETE FROM sl_problems WHERE folder_id IS NULL AND file = ?',
  deleteFolder: 'DELETE FROM sl_folders WHERE id = ?',
  ...(Object.fromEntries(ROW_TABLES.map((t) => [`delete_${t}`, `DELETE FROM ${t} WHERE rowid BETWEEN ? AND ?`])) as Record<`delete_${RowTable}`, string>),
  ...(Object.fromEntries(FOLDER_TABLES.map((t) => [`delete_${t}`, `DELETE FROM ${t} WHERE folder_id = ?`])) as Record<`delete_${FolderTable}`, string>),

  // The `runs` row of a run id, rebuilt from its folders (see refreshRunRows()).
  deleteRun: 'DELETE FROM runs WHERE id = ?',
  insertRun: `INSERT INTO runs (id, scenario_id, scenario_name, created, status, total_turns, total_cost, config)
    SELECT f.run_id, f.scenario_id, f.scenario_name,
           COALESCE((SELECT MIN(started_at) FROM sl_folders WHERE run_id = f.run_id), f.last_record_at, strftime('%Y-%m-%d %H:%M:%f000', 'now', 'localtime')),
           COALESCE(f.status, 'unknown'), COALESCE(f.last_turn, 0), COALESCE(f.total_cost, 0), f.config
    FROM sl_folders f WHERE f.run_id = ?
    ORDER BY f.last_record_at DESC NULLS LAST, f.path DESC LIMIT 1`,
  syncScenarioMetrics: SCOPE_SCENARIO_SYNC[0],
  syncScenarioDecisions: SCOPE_SCENARIO_SYNC[1],

  // Batch experiments (keyed by their folder), replaced whole by the batch step.
  experimentFolders: 'SELECT folder FROM sl_experiments',
  insertExperiment: `INSERT INTO sl_experiments (folder, experiment_name, description, base_scenario, runs_per_variation, max_parallel,
      budget_limit, cost_per_run_limit, output_dir, start_time, end_time, config, cost_summary, summary, has_state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertVariation: 'INSERT INTO sl_variations (experiment, variation_id, description, modifications, source) VALUES (?, ?, ?, ?, ?)',
  insertBatchRun: `INSERT INTO sl_batch_runs (experiment, name, variation_id, run_number, folder, has_folder, completed, failed_count, status, error)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertBatchCost: 'INSERT INTO sl_batch_costs (experiment, seq, run_name, variation_id, cost, success, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
  // Parameters: the keys of the experiment's batch files (BATCH_FILES under its folder).
  deleteBatchProblems: `DELETE FROM sl_problems WHERE folder_id IS NULL AND file IN (${BATCH_FILES.map(() => '?').join(', ')})`,
  ...(Object.fromEntries(EXPERIMENT_TABLES.map(([t, column]) => [`delete_${t}`, `DELETE FROM ${t} WHERE ${column} = ?`])) as Record<`delete_${ExperimentTable}`, string>),
} as const;

export type StatementName = keyof typeof SQL;

/** The indexer's statements on one connection; get it from indexerStatementsFor(). */
export class IndexerStatements {
  // Sized to hold every named statement, so none is ever evicted and prepared again.
  private readonly cache: StatementCache;

  constructor(db: Database) {
    this.cache = new StatementCache(db, Object.keys(SQL).length);
  }

  /** Runs a statement that returns no rows (throws SQLite's error, e.g. a constraint it refuses). */
  run(name: StatementName, params: SqlValue[] = []): void {
    const statement = this.cache.get(SQL[name]);
    statement.bind(params);
    try {
      statement.step();
    } finally {
      // Also frees the WASM copies of bound strings and blobs.
      statement.reset();
    }
  }

  /** The first row of a query, or undefined when it has none. */
  one(name: StatementName, params: SqlValue[] = []): SqlValue[] | undefined {
    const statement = this.cache.get(SQL[name]);
    statement.bind(params);
    try {
      return statement.step() ? statement.get() : undefined;
    } finally {
      statement.reset();
    }
  }

  /** Every row of a query (read whole, so the statement is free again when this returns). */
  all(name: StatementName, params: SqlValue[] = []): SqlValue[][] {
    const statement = this.cache.get(SQL[name]);
    statement.bind(params);
    try {
      const rows: SqlValue[][] = [];
      while (statement.step()) rows.push(statement.get());
      return rows;
    } finally {
      statement.reset();
    }
  }

  /** The rowid of the last row inserted on this connection. */
  lastRowId(): number {
    return this.one('lastRowId')![0] as number;
  }

  /** How many rows the last INSERT, UPDATE or DELETE changed. */
  changes(): number {
    return this.one('changes')![0] as number;
  }

  /** Runs `work` in a transaction: committed when it returns, rolled back (and the error rethrown) when it throws. */
  transaction(work: () => void): void {
    this.run('begin');
    try {
      work();
      this.run('commit');
    } catch (error) {
      this.run('rollback');
      throw error;
    }
  }
}

const byConnection = new WeakMap<Database, IndexerStatements>();

/** The indexer's statements on `db`, made on first use and kept as long as the connection. */
export function indexerStatementsFor(db: Database): IndexerStatements {
  let statements = byConnection.get(db);
  if (!statements) {
    statements = new IndexerStatements(db);
    byConnection.set(db, statements);
  }
  return statements;
}
