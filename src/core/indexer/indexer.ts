/**
 * Incremental indexing: finds run folders under the roots, re-reads only folders whose files
 * changed (size, mtime, then content hash), drops folders that disappeared, and writes the
 * result in batched transactions. The database stays the single source for every query.
 */
import type { Database } from 'sql.js';
import * as path from 'node:path';
import { absolutePathOf, discover, folderFilter, isInside, isRunFolder, keyFor, linkGuardFor, listFolder, type DiscoverOptions, type FolderFilter, type FolderListing, type IndexRoot } from '../discover/discoverFolders';
import type { LinkGuard } from '../discover/links';
import type { Problem, ScenarioDefinition } from '../format/records';
import type { FolderRows } from './folderRows';
import { readHere, readJob, type FolderSource, type ReadSettings } from './readJobs';
import type { KnownFile, ReadOptions } from './readFolder';
import { indexBatches } from './indexBatches';
import { readScenarioFolder } from './readScenario';
import { folderWriterFor, refreshRunRows, type FolderWriter } from './writeFolder';

export interface IndexOptions extends DiscoverOptions {
  roots: readonly IndexRoot[];
  /** Absolute folder paths to re-check instead of walking every root (watcher events). */
  onlyFolders?: readonly string[];
  read?: ReadOptions;
  /**
   * Where a pass with many changed folders reads them (default: on this thread). The worker passes
   * a reader thread, so that reading and parsing run beside the database writes.
   */
  folderSource?: FolderSource;
  /** Folders written per transaction: bounds memory and how long one write blocks. */
  batchSize?: number;
  onProgress?: (progress: IndexProgress) => void;
  isCancelled?: () => boolean;
}

export interface IndexProgress {
  phase: 'discover' | 'read' | 'write';
  done: number;
  total: number;
}

export interface IndexReport {
  foldersSeen: number;
  foldersIndexed: number;
  foldersRemoved: number;
  foldersUnchanged: number;
  /** Folders with a JSON file that is still being written; index them again shortly. */
  pendingFolders: string[];
  filesRead: number;
  bytesRead: number;
  /** Problems the index holds after the pass (of every folder and scenario definition, not only those read now): what listProblems() returns. */
  problems: number;
  cancelled: boolean;
  scenarios: number;
  durationMs: number;
}

export interface StoredFolder {
  runId: string | null;
  pending: boolean;
  files: Map<string, KnownFile>;
}

/** Below this many changed folders a pass reads on its own thread: starting a reader costs more than it saves. */
const MIN_FOLDERS_FOR_SOURCE = 16;

export async function indexRoots(db: Database, options: IndexOptions): Promise<IndexReport> {
  const started = Date.now();
  const report: IndexReport = {
    foldersSeen: 0, foldersIndexed: 0, foldersRemoved: 0, foldersUnchanged: 0, pendingFolders: [],
    filesRead: 0, bytesRead: 0, problems: 0, cancelled: false, scenarios: 0, durationMs: 0,
  };
  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const guard = linkGuardFor(options.roots, options);
  const { listings, scenarioListings, batchListings, discoveryProblems, scopeKeys } = listCandidates(options, guard);
  const scope = (key: string) => scopeKeys === undefined || scopeKeys.has(key);
  // A watcher pass loads and compares only the folders it names; a full pass compares every file.
  const stored = loadStoredFolders(db, scopeKeys);
  report.foldersSeen = listings.length;

  const scenarioNames = scenarioListings ? writeScenarios(db, scenarioListings, discoveryProblems, guard, report) : loadScenarioNames(db);
  const settings: ReadSettings = { read: options.read, scenarioNames: [...scenarioNames] };

  const changed = listings.filter((l) => hasChanged(l, stored.get(l.key)));
  report.foldersUnchanged = listings.length - changed.length;
  const present = new Set(listings.map((l) => l.key));
  const removed = [...stored.keys()].filter((key) => scope(key) && !present.has(key));
  const removedSet = new Set(removed);

  const writes = new BatchedWrites(db, options.batchSize ?? 200, changed.length, options.onProgress);
  try {
    transaction(db, () => {
      for (const key of removed) writes.writer.removeFolder(key);
    });
    const source = options.folderSource && changed.length >= MIN_FOLDERS_FOR_SOURCE ? options.folderSource : readHere;
    const jobs = changed.map((listing) => ({ listing, known: [...(stored.get(listing.key)?.files ?? [])] }));
    for await (const rows of source(jobs, settings)) {
      if (options.isCancelled?.()) {
        report.cancelled = true;
        break;
      }
      const before = stored.get(rows.key);
      if (sameHashes(rows.files, before) && !before?.pending && !rows.pending) {
        writes.touch(rows.files);
        report.foldersUnchanged++;
        continue;
      }
      report.filesRead += rows.files.length;
      report.bytesRead += rows.files.reduce((n, f) => n + f.size, 0);
      writes.add(rows, before?.runId);
      options.onProgress?.({ phase: 'read', done: writes.added, total: changed.length });
    }

    // Communications shared by folders of one run id are stored once, so siblings are rewritten together.
    const affectedRunIds = new Set(writes.runIds);
    for (const key of removed) {
      const runId = stored.get(key)?.runId;
      if (runId) affectedRunIds.add(runId);
    }
    const listingByKey = new Map(listings.map((l) => [l.key, l]));
    for (const { key, runId } of foldersOfRuns(db, affectedRunIds)) {
      if (!writes.keys.has(key) && !removedSet.has(key)) {
        const listing = listingByKey.get(key) ?? siblingListing(options.roots, key, guard);
        if (listing) writes.add(readJob({ listing, known: [] }, settings), runId);
      }
    }
    writes.flush();
    transaction(db, () => refreshRunRows(db, affectedRunIds));
  } finally {
    writes.abort();
  }
  // Batch problems are stored (folder-less) and counted below with every other one.
  if (!report.cancelled) indexBatches(db, { roots: options.roots, discovered: batchListings, changedFolders: options.onlyFolders });
  report.foldersIndexed = writes.added;
  report.foldersRemoved = removed.length;
  report.pendingFolders = writes.pendingKeys;
  // Every problem the index holds now (this pass's, unchanged folders' and scenario definitions'):
  // exactly what `problems` and the Problems panel list, so the summary never disagrees with them.
  report.problems = Number(db.exec('SELECT COUNT(*) FROM sl_problems')[0].values[0][0]);
  report.durationMs = Date.now() - started;
  return report;
}

/** The same decision discover() makes for a folder it reaches: every ancestor entered, the folder included. */
function inScope(filter: FolderFilter, relPath: string): boolean {
  const parts = relPath.split('/');
  return parts.every((_, i) => filter.enters(parts.slice(0, i + 1).join('/'))) && filter.includes(relPath);
}

/** A folder outside this pass that shares a run id with a changed one (watcher passes only). */
export function siblingListing(roots: readonly IndexRoot[], key: string, guard: LinkGuard): FolderListing | undefined {
  const abs = absolutePathOf(roots, key);
  return abs ? listFolder(roots, abs, guard) : undefined;
}

/** Either every run folder under the roots, or only the folders a watcher named (their keys: the pass's scope). */
export function listCandidates(options: IndexOptions, guard: LinkGuard): {
  listings: FolderListing[];
  scenarioListings: FolderListing[] | undefined;
  batchListings: FolderListing[] | undefined;
  /** Faults discovery found outside run folders (full passes only). */
  discoveryProblems: Problem[];
  scopeKeys: Set<string> | undefined;
} {
  if (!options.onlyFolders) {
    const found = discover(options.roots, options);
    return { listings: found.runFolders, scenarioListings: found.scenarioFolders, batchListings: found.batchFolders, discoveryProblems: found.problems, scopeKeys: undefined };
  }
  const listings: FolderListing[] = [];
  const keys = new Set<string>();
  const filter = folderFilter(options);
  for (const absDir of options.onlyFolders) {
    const root = options.roots.find((r) => isInside(r.absPath, absDir));
    if (!root) continue;
    // A folder that is gone still has a key: its rows must be dropped.
    keys.add(keyFor(options.roots, root, path.relative(root.absPath, absDir)));
    if (!inScope(filter, path.relative(root.absPath, absDir).split(path.sep).join('/'))) continue;
    const listing = listFolder(options.roots, absDir, guard);
    if (listing && isRunFolder(listing.files)) listings.push(listing);
  }
  return { listings, scenarioListings: undefined, batchListings: undefined, discoveryProblems: [], scopeKeys: keys };
}

/** The stored folders with the given keys (every one when undefined), each with its files. */
function loadStoredFolders(db: Database, keys: ReadonlySet<string> | undefined): Map<string, StoredFolder> {
  const folders = new Map<string, StoredFolder>();
  const byId = new Map<number, StoredFolder>();
  const statement = db.prepare(`SELECT id, path, run_id, pending FROM sl_folders${keys ? ' WHERE path = ?' : ''}`);
  const readRows = () => {
    while (statement.step()) {
      const [id, path, runId, pending] = statement.get() as [number, string, string | null, number];
      const folder = { runId, pending: pending === 1, files: new Map<string, KnownFile>() };
      folders.set(path, folder);
      byId.set(id, folder);
    }
  };
  if (keys) {
    for (const key of keys) {
      statement.bind([key]);
      readRows();
      statement.reset();
    }
  } else readRows();
  statement.free();
  const files = db.prepare('SELECT path, size, mtime_ms, hash FROM sl_files WHERE folder_id = ?');
  for (const [id, folder] of byId) {
    files.bind([id]);
    while (files.step()) {
      const [path, size, mtimeMs, hash] = files.get() as [string, number, number, string];
      folder.files.set(path, { size, mtimeMs, hash });
    }
    files.reset();
  }
  files.free();
  return folders;
}

/** Every stored folder that carries one of the run ids. */
function foldersOfRuns(db: Database, runIds: ReadonlySet<string>): Array<{ key: string; runId: string }> {
  const found: Array<{ key: string; runId: string }> = [];
  const statement = db.prepare('SELECT path FROM sl_folders WHERE run_id = ?');
  for (const runId of runIds) {
    statement.bind([runId]);
    while (statement.step()) found.push({ key: statement.get()[0] as string, runId });
    statement.reset();
  }
  statement.free();
  return found;
}

export function hasChanged(listing: FolderListing, stored: StoredFolder | undefined): boolean {
  if (!stored || stored.pending || stored.files.size !== listing.files.length) return true;
  return listing.files.some((f) => {
    const s = stored.files.get(f.key);
    return !s || s.size !== f.size || s.mtimeMs !== f.mtimeMs;
  });
}

/** A touched but identical file (same hash) needs no re-index, only its new mtime. */
export function sameHashes(files: ReadonlyArray<{ key: string; hash: string }>, stored: StoredFolder | undefined): boolean {
  if (!stored || stored.files.size !== files.length) return false;
  return files.every((f) => stored.files.get(f.key)?.hash === f.hash);
}

function touchFiles(db: Database, files: ReadonlyArray<{ key: string; size: number; mtimeMs: number }>): void {
  const statement = db.prepare('UPDATE sl_files SET size = ?, mtime_ms = ? WHERE path = ?');
  for (const f of files) statement.run([f.size, f.mtimeMs, f.key]);
  statement.free();
}

/**
 * Writes each folder as it comes, inside a transaction committed every `batchSize` folders: a
 * transaction per folder would cost 30x in sql.js, and writing at once (rather than collecting a
 * batch) keeps a reader thread busy while this one writes.
 */
class BatchedWrites {
  readonly writer: FolderWriter;
  /** Keys of the folders written in this pass. */
  readonly keys = new Set<string>();
  /** Run ids those folders carry now or carried before: their `runs` rows need a refresh. */
  readonly runIds = new Set<string>();
  readonly pendingKeys: string[] = [];
  added = 0;
  private open = false;
  private inBatch = 0;
  private committed = 0;

  constructor(
    private readonly db: Database,
    private readonly batchSize: number,
    private readonly expected: number,
    private readonly onProgress: IndexOptions['onProgress'],
  ) {
    this.writer = folderWriterFor(db);
  }

  add(rows: FolderRows, storedRunId: string | null | undefined): void {
    this.keys.add(rows.key);
    if (rows.meta.runId) this.runIds.add(rows.meta.runId);
    if (storedRunId) this.runIds.add(storedRunId);
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
  private writeIsolated(rows: FolderRows): void {
    this.writer.clearUnstoredFolderProblem(rows.key);
    const failure = this.attempt(rows);
    if (failure === undefined) return;
    const problem = writeFailure(rows, failure);
    const bare: FolderRows = { ...rows, meta: { ...rows.meta, format: 'fragment', runId: null }, turns: [], costs: [], annotations: [], problems: [...rows.problems, problem] };
    if (this.attempt(bare) === undefined) return;
    this.writer.storeUnstoredFolderProblem(rows.key, problem);
  }

  /** Writes the folder in a savepoint; on an error, undoes exactly this folder's changes and returns the error. */
  private attempt(rows: FolderRows): unknown {
    this.db.run('SAVEPOINT sl_folder');
    try {
      this.writer.removeFolder(rows.key);
      this.writer.writeFolder(rows);
      this.db.run('RELEASE sl_folder');
      return undefined;
    } catch (error) {
      this.db.run('ROLLBACK TO sl_folder');
      this.db.run('RELEASE sl_folder');
      return error ?? 'unknown error';
    }
  }

  /** Files touched but unchanged: only their new size and mtime are stored. */
  touch(files: ReadonlyArray<{ key: string; size: number; mtimeMs: number }>): void {
    this.write(() => touchFiles(this.db, files));
  }

  flush(): void {
    if (!this.open) return;
    this.db.run('COMMIT');
    this.open = false;
    this.committed += this.inBatch;
    this.inBatch = 0;
    this.onProgress?.({ phase: 'write', done: this.committed, total: Math.max(this.expected, this.added) });
  }

  /** Drops what the open transaction holds (the pass failed midway). */
  abort(): void {
    if (!this.open) return;
    this.db.run('ROLLBACK');
    this.open = false;
  }

  private write(work: () => void): void {
    if (!this.open) {
      this.db.run('BEGIN');
      this.open = true;
    }
    work();
    if (++this.inBatch >= this.batchSize) this.flush();
  }
}

/** The problem a folder that could not be written gets: at its state file (or the folder), with SQLite's message. */
export function writeFailure(rows: FolderRows, error: unknown): Problem {
  const file = rows.files.find((f) => f.kind === 'scenario-state')?.key ?? rows.files[0]?.key ?? rows.key;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    file,
    line: 1,
    severity: 'error',
    message: `This run folder could not be written to the index (${detail}); none of its turns, decisions, messages, metrics or costs are stored. Other folders are not affected.`,
  };
}

export function transaction(db: Database, work: () => void): void {
  db.run('BEGIN');
  try {
    work();
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
}

/**
 * Stores the scenario definitions found in this pass (the hovers read metric patterns from them),
 * with the problems that belong to no run folder: theirs and discovery's.
 */
function writeScenarios(db: Database, listings: FolderListing[], discoveryProblems: readonly Problem[], guard: LinkGuard, report: IndexReport): Map<string, string> {
  const names = new Map<string, string>();
  const definitions: ScenarioDefinition[] = [];
  const problems = listings.flatMap((listing) => {
    const { definition, problems } = readScenarioFolder(listing, guard);
    if (definition) definitions.push(definition);
    return problems;
  });
  problems.push(...discoveryProblems);
  transaction(db, () => {
    db.run('DELETE FROM sl_scenarios');
    db.run('DELETE FROM sl_problems WHERE folder_id IS NULL');
    const insert = db.prepare('INSERT OR REPLACE INTO sl_scenarios (dir, name, definition) VALUES (?, ?, ?)');
    for (const d of definitions) insert.run([d.dir, d.name, JSON.stringify(d)]);
    insert.free();
    const problem = db.prepare('INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (NULL, ?, ?, ?, ?)');
    for (const p of problems) problem.run([p.file, p.line, p.severity, p.message]);
    problem.free();
  });
  for (const d of definitions) names.set(lastSegment(d.dir), d.name);
  report.scenarios = definitions.length;
  return names;
}

function loadScenarioNames(db: Database): Map<string, string> {
  const names = new Map<string, string>();
  const statement = db.prepare('SELECT dir, name FROM sl_scenarios');
  while (statement.step()) {
    const [dir, name] = statement.get() as [string, string];
    names.set(lastSegment(dir), name);
  }
  statement.free();
  return names;
}

export function lastSegment(key: string): string {
  return key.split('/').pop() ?? key;
}
