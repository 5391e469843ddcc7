/**
 * The writing side of an index pass: each folder written as it comes, in transactions committed
 * every `batchSize` folders or `commitEveryMs`, a folder SQLite refuses isolated in a savepoint.
 */
import type { Database } from 'sql.js';
import type { Problem } from '../format/records';
import type { AssembledFolder } from './assembledFolder';
import { indexerStatementsFor, type IndexerStatements } from './indexerStatements';
import type { IndexProgress } from './indexReport';
import { FolderWriter, refreshRunRows } from './writeFolder';
import { errorText } from '../text/errorText';

/**
 * Writes each folder as it comes, inside a transaction committed every `batchSize` folders: a
 * transaction per folder would cost 30x in sql.js, and writing at once (rather than collecting a
 * batch) keeps a reader thread busy while this one writes.
 */
export class BatchedWrites {
  readonly writer: FolderWriter;
  /** Keys of the folders written in this pass. */
  readonly keys = new Set<string>();
  /** Run ids those folders carry now or carried before: their `runs` rows need a refresh. */
  readonly runIds = new Set<string>();
  readonly pendingKeys: string[] = [];
  added = 0;
  private open = false;
  private openedAt = 0;
  private inBatch = 0;
  private committed = 0;
  /** Run ids written in the open transaction: their `runs` rows are refreshed before it commits. */
  private batchRunIds = new Set<string>();
  private committedSinceAsked = false;
  private readonly sql: IndexerStatements;

  constructor(
    private readonly db: Database,
    private readonly limits: { batchSize: number; commitEveryMs: number },
    private readonly expected: number,
    private readonly onProgress: ((progress: IndexProgress) => void) | undefined,
    /** Folders of this pass written before (the first slice): counted in the progress. */
    private readonly writtenBefore = 0,
  ) {
    this.writer = new FolderWriter(db);
    this.sql = indexerStatementsFor(db);
  }

  add(rows: AssembledFolder, storedRunId: string | null | undefined): void {
    this.keys.add(rows.key);
    for (const runId of [rows.meta.runId, storedRunId]) {
      if (!runId) continue;
      this.runIds.add(runId);
      this.batchRunIds.add(runId);
    }
    if (rows.pending) this.pendingKeys.push(rows.key);
    this.added++;
    this.write(() => this.writeIsolated(rows));
  }

  /**
   * One folder's write inside its own savepoint, so that a row SQLite refuses (a constraint, a value
   * it cannot bind) costs that folder and never the batch, the pass or later passes. A folder that
   * fails is stored as its files and problems only, with a problem naming the error; should even
   * that fail, the problem is kept without a folder (and the folder is read again next pass).
   */
  private writeIsolated(rows: AssembledFolder): void {
    this.writer.clearUnstoredFolderProblem(rows.key);
    const failure = this.attempt(rows);
    if (failure === undefined) return;
    const problem = writeFailure(rows, failure);
    if (this.attempt(bareFolder(rows, problem)) === undefined) return;
    this.writer.storeUnstoredFolderProblem(rows.key, problem);
  }

  /** Writes the folder in a savepoint; on an error, undoes exactly this folder's changes and returns the error. */
  private attempt(rows: AssembledFolder): unknown {
    this.sql.run('folderSavepoint');
    try {
      this.writer.removeFolder(rows.key);
      this.writer.writeFolder(rows);
      this.sql.run('folderRelease');
      return undefined;
    } catch (error) {
      this.sql.run('folderRollback');
      this.sql.run('folderRelease');
      return error ?? 'unknown error';
    }
  }

  /** Files touched but unchanged: only their new size and mtime are stored. */
  touch(files: ReadonlyArray<{ key: string; size: number; mtimeMs: number }>): void {
    this.write(() => {
      for (const f of files) this.sql.run('touchFile', [f.size, f.mtimeMs, f.key]);
    });
  }

  flush(): void {
    if (!this.open) return;
    // Readers between batches see each run whole as far as it is indexed; the pass refreshes every
    // affected run once more at its end (folders of one run id may arrive in different batches).
    refreshRunRows(this.db, this.batchRunIds);
    this.batchRunIds = new Set();
    this.sql.run('commit');
    this.open = false;
    this.committedSinceAsked = true;
    this.committed += this.inBatch;
    this.inBatch = 0;
    this.onProgress?.({ phase: 'write', done: this.writtenBefore + this.committed, total: Math.max(this.expected, this.writtenBefore + this.added) });
  }

  /** True once after each commit: the moment to let readers in. */
  takeCommitted(): boolean {
    const committed = this.committedSinceAsked;
    this.committedSinceAsked = false;
    return committed;
  }

  /** Drops what the open transaction holds (the pass failed midway). */
  abort(): void {
    if (!this.open) return;
    this.sql.run('rollback');
    this.open = false;
    this.batchRunIds = new Set();
  }

  private write(work: () => void): void {
    if (!this.open) {
      this.sql.run('begin');
      this.open = true;
      this.openedAt = Date.now();
    }
    work();
    if (++this.inBatch >= this.limits.batchSize || Date.now() - this.openedAt >= this.limits.commitEveryMs) this.flush();
  }
}

/** The problem a folder that could not be written gets: at its state file (or the folder), with SQLite's message. */
export function writeFailure(rows: AssembledFolder, error: unknown): Problem {
  const file = rows.files.find((f) => f.kind === 'scenario-state')?.key ?? rows.files[0]?.key ?? rows.key;
  const detail = errorText(error);
  return {
    file,
    line: 1,
    severity: 'error',
    message: `This run folder could not be written to the index (${detail}); none of its turns, decisions, messages, metrics or costs are stored. Other folders are not affected.`,
  };
}

/** What is stored of a folder that could not be written: its files and problems (`problem` added), no run rows. */
export function bareFolder(rows: AssembledFolder, problem: Problem): AssembledFolder {
  return { ...rows, meta: { ...rows.meta, format: 'fragment', runId: null }, turns: [], costs: [], annotations: [], problems: [...rows.problems, problem] };
}
