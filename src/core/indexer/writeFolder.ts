/**
 * Writes assembled folder rows into the index with raw, reused sql.js prepared statements.
 *
 * This is the one hot write path of the project, so it bypasses Kysely on purpose: reusing
 * prepared statements inside one transaction is ~2.5x faster than preparing per row in sql.js
 * (guides/sqljs-performance.md §1). Callers wrap a batch of folders in one transaction.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import { pythonJson } from '../db/encoding';
import { LINE_PLACE_SQL } from '../db/linePlace';
import type { OriginTable } from '../db/schema';
import { Utf8Params } from '../db/utf8Params';
import type { Problem } from '../format/records';
import type { FolderRows, Origin } from './folderRows';

/** The tables a folder writes rows into (and whose id ranges it records). */
const ROW_TABLES = ['decisions', 'communications', 'metrics', 'turns', 'costs'] as const satisfies readonly OriginTable[];
type RowTable = (typeof ROW_TABLES)[number];

function rowRange(table: RowTable): string {
  return `DELETE FROM ${table} WHERE rowid BETWEEN ? AND ?`;
}

const SQL = {
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
  deleteMetricActors: 'DELETE FROM sl_metric_actors WHERE metric_id BETWEEN ? AND ?',
  insertCost: 'INSERT INTO costs (run_id, timestamp, actor, phase, model, input_tokens, output_tokens, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  insertOrigin: 'INSERT OR REPLACE INTO sl_origins (tbl, row_id, file_id, start_line, end_line, focus_line) VALUES (?, ?, ?, ?, ?, ?)',
  insertFolderRows: 'INSERT OR REPLACE INTO sl_folder_rows (folder_id, tbl, first_id, last_id) VALUES (?, ?, ?, ?)',
  insertProblem: 'INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (?, ?, ?, ?, ?)',
  insertFile: 'INSERT OR REPLACE INTO sl_files (path, folder_id, size, mtime_ms, hash, kind) VALUES (?, ?, ?, ?, ?, ?)',
  insertAnnotation: `INSERT OR REPLACE INTO sl_annotations (folder_id, id, run_id, file, start_line, end_line, outdated, quote, label, rating, resolved,
      turn_num, decision_id, actor, author, body, comments, comment_count, created, updated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  annotationPlace: LINE_PLACE_SQL,
  // A folder's rows and their origins go by the id ranges it wrote, then its bookkeeping.
  folderRows: 'SELECT tbl, first_id, last_id FROM sl_folder_rows WHERE folder_id = ?',
  deleteOrigins: 'DELETE FROM sl_origins WHERE tbl = ? AND row_id BETWEEN ? AND ?',
  deleteFolderRows: 'DELETE FROM sl_folder_rows WHERE folder_id = ?',
  deleteProblems: 'DELETE FROM sl_problems WHERE folder_id = ?',
  // A folder that could not be stored at all keeps its problem under its key, without a folder row.
  deleteUnstoredProblem: 'DELETE FROM sl_problems WHERE folder_id IS NULL AND file = ?',
  deleteFiles: 'DELETE FROM sl_files WHERE folder_id = ?',
  deleteAnnotations: 'DELETE FROM sl_annotations WHERE folder_id = ?',
  deleteFolder: 'DELETE FROM sl_folders WHERE id = ?',
  lastRowId: 'SELECT last_insert_rowid()',
  changes: 'SELECT changes()',
  ...(Object.fromEntries(ROW_TABLES.map((table) => [`delete_${table}`, rowRange(table)])) as Record<`delete_${RowTable}`, string>),
} as const;

type StatementName = keyof typeof SQL;

/** What writeFolder() has written so far: the ids of the folder's files, and each table's id range. */
interface Written {
  fileIds: Map<string, number>;
  ranges: Map<RowTable, [first: number, last: number]>;
}

const DELETE_FOLDER_STATEMENTS = ['deleteFolderRows', 'deleteProblems', 'deleteFiles', 'deleteAnnotations', 'deleteFolder'] as const satisfies readonly StatementName[];

/**
 * The connection's writer. Its prepared statements live as long as the connection (sql.js keeps
 * them across export, and frees them on close), so a watcher pass does not prepare two dozen
 * statements again for every file a running scenario writes.
 */
export function folderWriterFor(db: Database): FolderWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new FolderWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

const writers = new WeakMap<Database, FolderWriter>();

/** Prepared statements that write folders into one connection; get it from folderWriterFor(). */
export class FolderWriter {
  private readonly statements = new Map<StatementName, Statement>();
  private readonly text = new Utf8Params();

  constructor(private readonly db: Database) {}

  /** Deletes everything a folder contributed; returns the run id it belonged to (its run row may need a refresh). */
  removeFolder(folderKey: string): string | null {
    const found = this.one('folderId', [folderKey]);
    if (!found) return null;
    const [folderId, runId] = found as [number, string | null];
    for (const [table, first, last] of this.all('folderRows', [folderId]) as Array<[RowTable, number, number]>) {
      this.exec(`delete_${table}`, [first, last]);
      this.exec('deleteOrigins', [table, first, last]);
      if (table === 'metrics') this.exec('deleteMetricActors', [first, last]);
    }
    for (const name of DELETE_FOLDER_STATEMENTS) this.exec(name, [folderId]);
    return runId;
  }

  /** Drops the problem storeUnstoredFolderProblem() kept for a folder, before the folder is written again. */
  clearUnstoredFolderProblem(folderKey: string): void {
    this.exec('deleteUnstoredProblem', [folderKey]);
  }

  /** Keeps the problem of a folder that could not be stored at all (filed under the folder's key). */
  storeUnstoredFolderProblem(folderKey: string, problem: Problem): void {
    this.exec('deleteUnstoredProblem', [folderKey]);
    this.exec('insertProblem', [null, folderKey, problem.line, problem.severity, problem.message]);
  }

  /** Inserts a folder's rows (remove the old ones first); returns its run id. */
  writeFolder(rows: FolderRows): string | null {
    const m = rows.meta;
    this.exec('insertFolder', [
      rows.key, m.format, m.runId, m.scenarioId, m.scenarioName, m.scenarioDir, m.status, m.lastTurn, m.leftoverTurn,
      m.plannedTurns, m.firstPersistedTurn, m.startedAt, m.lastRecordAt, m.lastWrittenAt, m.completedAt, m.error, m.totalCost, m.config, rows.pending ? 1 : 0,
    ]);
    const folderId = this.lastRowId();
    const written: Written = { fileIds: new Map(), ranges: new Map() };
    for (const f of rows.files) {
      this.exec('insertFile', [f.key, folderId, f.size, f.mtimeMs, f.hash, f.kind]);
      written.fileIds.set(f.key, this.lastRowId());
    }
    for (const p of uniqueProblems(rows.problems)) this.exec('insertProblem', [folderId, p.file, p.line, p.severity, p.message]);
    if (m.runId === null) {
      this.annotations(rows, folderId);
      return null;
    }

    for (const turn of rows.turns) {
      this.text.startRow();
      this.exec('insertTurn', [m.runId, turn.turnNum, turn.timestamp, this.text.of(turn.worldState)]);
      const turnId = this.lastRowId();
      this.origin(written, 'turns', turnId, turn.origin);
      for (const d of turn.decisions) {
        this.text.startRow();
        this.exec('insertDecision', [turnId, d.actor, this.text.of(pythonJson(d.goals)), this.text.of(d.reasoning), this.text.of(d.action), d.timestamp]);
        this.origin(written, 'decisions', this.lastRowId(), d.origin);
      }
      for (const c of turn.communications) {
        this.text.startRow();
        this.exec('insertCommunication', [c.id, turnId, c.type, c.sender, pythonJson(c.recipients), this.text.of(c.content), c.timestamp]);
        // A communication id already stored by a sibling folder of the same run is kept once (docs/format.md#shared-run-ids).
        if (this.one('changes', [])![0] === 1) this.origin(written, 'communications', this.lastRowId(), c.origin);
      }
      for (const x of turn.metrics) {
        this.exec('insertMetric', [turnId, x.name, x.value, x.actor, x.timestamp]);
        const metricId = this.lastRowId();
        if (x.recordedActor !== null) this.exec('insertMetricActor', [metricId, x.recordedActor]);
        this.origin(written, 'metrics', metricId, x.origin);
      }
    }
    for (const c of rows.costs) {
      this.exec('insertCost', [m.runId, c.timestamp, c.actor, c.phase, c.model, c.inputTokens, c.outputTokens, c.cost]);
      this.origin(written, 'costs', this.lastRowId(), c.origin);
    }
    for (const [table, [first, last]] of written.ranges) this.exec('insertFolderRows', [folderId, table, first, last]);
    this.annotations(rows, folderId);
    return m.runId;
  }

  /** After the folder's turns and decisions, so each annotation is linked to the one its lines fall in. */
  private annotations(rows: FolderRows, folderId: number): void {
    for (const { annotation: a, fileKey, startLine, endLine, outdated } of rows.annotations) {
      const [turnNum = null, decisionId = null, actor = null] = this.one('annotationPlace', [folderId, fileKey, startLine]) ?? [];
      const first = a.comments[0];
      this.exec('insertAnnotation', [
        folderId, a.id, rows.meta.runId, fileKey, startLine, endLine, outdated ? 1 : 0, a.quote.join('\n'), a.label, a.rating, a.resolved ? 1 : 0,
        turnNum, decisionId, actor, first?.author ?? null, first?.body ?? null, JSON.stringify(a.comments), a.comments.length, a.created, a.updated,
      ]);
    }
  }

  /** Records a row the folder wrote (its table's id range grows to hold it) and where it came from. */
  private origin(written: Written, tbl: RowTable, rowId: number, origin: Origin | undefined): void {
    const range = written.ranges.get(tbl);
    if (range) range[1] = rowId;
    else written.ranges.set(tbl, [rowId, rowId]);
    const fileId = origin ? (written.fileIds.get(origin.file) ?? null) : null;
    this.exec('insertOrigin', [tbl, rowId, fileId, origin?.startLine ?? null, origin?.endLine ?? null, origin?.focusLine ?? null]);
  }

  private lastRowId(): number {
    return this.one('lastRowId', [])![0] as number;
  }

  private statement(name: StatementName): Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.db.prepare(SQL[name]);
      this.statements.set(name, statement);
    }
    return statement;
  }

  private exec(name: StatementName, params: SqlValue[]): void {
    const statement = this.statement(name);
    statement.run(params);
  }

  private all(name: StatementName, params: SqlValue[]): SqlValue[][] {
    const statement = this.statement(name);
    statement.bind(params);
    try {
      const rows: SqlValue[][] = [];
      while (statement.step()) rows.push(statement.get());
      return rows;
    } finally {
      statement.reset();
    }
  }

  private one(name: StatementName, params: SqlValue[]): SqlValue[] | undefined {
    const statement = this.statement(name);
    statement.bind(params);
    try {
      return statement.step() ? statement.get() : undefined;
    } finally {
      statement.reset();
    }
  }
}

/** The same fact found twice (e.g. by two readers of one file) is one problem, in every list and count. */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\u0000${p.line}\u0000${p.severity}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Rebuilds the `runs` row of each run id from the folders that carry it (docs/format.md#shared-run-ids): the newest folder
 * (greatest record timestamp) gives status, turns, cost and config; `created` is the earliest start
 * (assembleFolder() takes it from the best source each folder has, see runFacts.ts). Scenario Lab's
 * columns are NOT NULL: a start no folder records falls back to the latest record, then to the time
 * of this write, which is what Scenario Lab itself stores (`now()` at its first write, docs/format.md#persistence);
 * never to 1970, which sorted such runs as the oldest.
 */
export function refreshRunRows(db: Database, runIds: Iterable<string>): void {
  const remove = db.prepare('DELETE FROM runs WHERE id = ?');
  const insert = db.prepare(`INSERT INTO runs (id, scenario_id, scenario_name, created, status, total_turns, total_cost, config)
    SELECT f.run_id, f.scenario_id, f.scenario_name,
           COALESCE((SELECT MIN(started_at) FROM sl_folders WHERE run_id = f.run_id), f.last_record_at, strftime('%Y-%m-%d %H:%M:%f000', 'now', 'localtime')),
           COALESCE(f.status, 'unknown'), COALESCE(f.last_turn, 0), COALESCE(f.total_cost, 0), f.config
    FROM sl_folders f WHERE f.run_id = ?
    ORDER BY f.last_record_at DESC NULLS LAST, f.path DESC LIMIT 1`);
  try {
    for (const runId of new Set(runIds)) {
      remove.run([runId]);
      insert.run([runId]);
    }
  } finally {
    remove.free();
    insert.free();
  }
}
