/**
 * Writes assembled folder rows into the index with the connection's prepared statements
 * (indexerStatements.ts). This is the one hot write path of the project; callers wrap a batch of
 * folders in one transaction.
 */
import type { Database } from 'sql.js';
import { pythonJson } from '../db/encoding';
import { Utf8Params } from '../db/utf8Params';
import type { Problem, SourceLocation } from '../format/records';
import type { AssembledFolder } from './assembledFolder';
import { indexerStatementsFor, type IndexerStatements } from './indexerStatements';
import { FOLDER_TABLES, type RowTable } from './indexTables';

/** What writeFolder() has written so far: the ids of the folder's files, and each table's id range. */
interface Written {
  fileIds: Map<string, number>;
  ranges: Map<RowTable, [first: number, last: number]>;
}

/** Writes folders into one connection, with its statements (cheap to make: they are prepared once per connection). */
export class FolderWriter {
  private readonly sql: IndexerStatements;
  private readonly text = new Utf8Params();

  constructor(db: Database) {
    this.sql = indexerStatementsFor(db);
  }

  /** Deletes everything a folder contributed; returns the run id it belonged to (its run row may need a refresh). */
  removeFolder(folderKey: string): string | null {
    const found = this.sql.one('folderId', [folderKey]);
    if (!found) return null;
    const [folderId, runId] = found as [number, string | null];
    for (const [table, first, last] of this.sql.all('folderRows', [folderId]) as Array<[RowTable, number, number]>) {
      this.sql.run(`delete_${table}`, [first, last]);
      this.sql.run('deleteOrigins', [table, first, last]);
      if (table === 'metrics') {
        this.sql.run('deleteMetricActors', [first, last]);
        this.sql.run('deleteScenarioMetrics', [first, last]);
      }
      if (table === 'decisions') this.sql.run('deleteScenarioDecisions', [first, last]);
    }
    for (const table of FOLDER_TABLES) this.sql.run(`delete_${table}`, [folderId]);
    this.sql.run('deleteFolder', [folderId]);
    return runId;
  }

  /** Drops the problem storeUnstoredFolderProblem() kept for a folder, before the folder is written again. */
  clearUnstoredFolderProblem(folderKey: string): void {
    this.sql.run('deleteUnstoredProblem', [folderKey]);
  }

  /** Keeps the problem of a folder that could not be stored at all (filed under the folder's key). */
  storeUnstoredFolderProblem(folderKey: string, problem: Problem): void {
    this.sql.run('deleteUnstoredProblem', [folderKey]);
    this.sql.run('insertProblem', [null, folderKey, problem.line, problem.severity, problem.message]);
  }

  /** Inserts a folder's rows (remove the old ones first); returns its run id. */
  writeFolder(rows: AssembledFolder): string | null {
    const m = rows.meta;
    this.sql.run('insertFolder', [
      rows.key, m.format, m.runId, m.scenarioId, m.scenarioName, m.scenarioDir, m.status, m.lastTurn, m.leftoverTurn,
      m.plannedTurns, m.firstPersistedTurn, m.startedAt, m.lastRecordAt, m.lastWrittenAt, m.completedAt, m.error, m.totalCost, m.config, rows.pending ? 1 : 0,
    ]);
    const folderId = this.sql.lastRowId();
    const written: Written = { fileIds: new Map(), ranges: new Map() };
    for (const f of rows.files) {
      this.sql.run('insertFile', [f.key, folderId, f.size, f.mtimeMs, f.hash, f.kind]);
      written.fileIds.set(f.key, this.sql.lastRowId());
    }
    for (const p of uniqueProblems(rows.problems)) this.sql.run('insertProblem', [folderId, p.file, p.line, p.severity, p.message]);
    if (m.runId === null) {
      this.annotations(rows, folderId);
      return null;
    }

    for (const turn of rows.turns) {
      this.text.startRow();
      this.sql.run('insertTurn', [m.runId, turn.turnNum, turn.timestamp, this.text.of(turn.worldState)]);
      const turnId = this.sql.lastRowId();
      this.origin(written, 'turns', turnId, turn.origin);
      for (const d of turn.decisions) {
        this.text.startRow();
        this.sql.run('insertDecision', [turnId, d.actor, this.text.of(pythonJson(d.goals)), this.text.of(d.reasoning), this.text.of(d.action), d.timestamp]);
        const decisionId = this.sql.lastRowId();
        this.sql.run('insertScenarioDecision', [decisionId, m.scenarioId, m.runId, turn.turnNum, d.actor]);
        this.origin(written, 'decisions', decisionId, d.origin);
      }
      for (const c of turn.communications) {
        this.text.startRow();
        this.sql.run('insertCommunication', [c.id, turnId, c.type, c.sender, pythonJson(c.recipients), this.text.of(c.content), c.timestamp]);
        // A communication id already stored by a sibling folder of the same run is kept once (docs/format.md#shared-run-ids).
        if (this.sql.changes() === 1) this.origin(written, 'communications', this.sql.lastRowId(), c.origin);
      }
      for (const x of turn.metrics) {
        this.sql.run('insertMetric', [turnId, x.name, x.value, x.actor, x.timestamp]);
        const metricId = this.sql.lastRowId();
        if (x.recordedActor !== null) this.sql.run('insertMetricActor', [metricId, x.recordedActor]);
        this.sql.run('insertScenarioMetric', [metricId, m.scenarioId, m.runId, turn.turnNum, x.name, x.recordedActor, x.value, x.timestamp]);
        this.origin(written, 'metrics', metricId, x.origin);
      }
    }
    for (const c of rows.costs) {
      this.sql.run('insertCost', [m.runId, c.timestamp, c.actor, c.phase, c.model, c.inputTokens, c.outputTokens, c.cost]);
      this.origin(written, 'costs', this.sql.lastRowId(), c.origin);
    }
    for (const [table, [first, last]] of written.ranges) this.sql.run('insertFolderRows', [folderId, table, first, last]);
    this.annotations(rows, folderId);
    return m.runId;
  }

  /** After the folder's turns and decisions, so each annotation is linked to the one its lines fall in. */
  private annotations(rows: AssembledFolder, folderId: number): void {
    for (const { annotation: a, fileKey, startLine, endLine, outdated } of rows.annotations) {
      const [turnNum = null, decisionId = null, actor = null] = this.sql.one('annotationPlace', [folderId, fileKey, startLine]) ?? [];
      const first = a.comments[0];
      this.sql.run('insertAnnotation', [
        folderId, a.id, rows.meta.runId, fileKey, startLine, endLine, outdated ? 1 : 0, a.quote.join('\n'), a.label, a.rating, a.resolved ? 1 : 0,
        turnNum, decisionId, actor, first?.author ?? null, first?.body ?? null, JSON.stringify(a.comments), a.comments.length, a.created, a.updated,
      ]);
    }
  }

  /** Records a row the folder wrote (its table's id range grows to hold it) and where it came from. */
  private origin(written: Written, tbl: RowTable, rowId: number, origin: SourceLocation | undefined): void {
    const range = written.ranges.get(tbl);
    if (range) range[1] = rowId;
    else written.ranges.set(tbl, [rowId, rowId]);
    const fileId = origin ? (written.fileIds.get(origin.file) ?? null) : null;
    this.sql.run('insertOrigin', [tbl, rowId, fileId, origin?.startLine ?? null, origin?.endLine ?? null, origin?.focusLine ?? null]);
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
 * never to 1970, which sorted such runs as the oldest. The per-scenario rows of the run's folders
 * then take the row's scenario (db/schemaScope.ts: SCOPE_SCENARIO_SYNC).
 */
export function refreshRunRows(db: Database, runIds: Iterable<string>): void {
  const sql = indexerStatementsFor(db);
  for (const runId of new Set(runIds)) {
    sql.run('deleteRun', [runId]);
    sql.run('insertRun', [runId]);
    sql.run('syncScenarioMetrics', [runId]);
    sql.run('syncScenarioDecisions', [runId]);
  }
}
