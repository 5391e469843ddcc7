/**
 * Incremental indexing: finds run folders under the roots, re-reads only folders whose files
 * changed (size, mtime, then content hash), drops folders that disappeared, and writes the
 * result in batched transactions. The database stays the single source for every query.
 */
import type { Database } from 'sql.js';
import * as path from 'node:path';
import { discover, discoverFirst, type Discovery, folderFilter, isInside, isRunFolder, linkGuardFor, listFolder, type DiscoverOptions, type FolderFilter, type FolderListing } from '../discover/discoverFolders';
import { absolutePathOf, keyFor, type IndexRoot } from '../folderKeys';
import type { LinkGuard } from '../discover/links';
import type { Turns } from '../db/connectionLock';
import type { Problem, ScenarioDefinition } from '../format/records';
import type { AssembledFolder } from './assembledFolder';
import { readHere, readJob, type FolderSource, type ReadSettings } from './readJobs';
import type { KnownFile, ReadOptions } from './readFolder';
import { indexBatches } from './indexBatches';
import { indexerStatementsFor } from './indexerStatements';
import { readScenarioFolder } from './readScenario';
import { refreshRunRows } from './writeFolder';
import { BatchedWrites } from './batchedWrites';
import { emptyReport, type IndexProgress, type IndexReport } from './indexReport';

export type { IndexProgress, IndexReport } from './indexReport';

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
  /** Folders written per transaction at most: bounds memory and how long one write blocks. */
  batchSize?: number;
  /**
   * A transaction is also committed once it has been open this long (ms, default 500), so that the
   * first runs of a big pass are readable within a second of its first folder, not after 200 folders.
   */
  commitEveryMs?: number;
  /**
   * The connection lock's turns (runExclusiveInTurns): after each committed batch, and while the
   * roots are walked elsewhere, queued queries run, so trees and pickers read the runs indexed so
   * far while the pass goes on.
   */
  turns?: Turns;
  /** Walks the roots of a full pass somewhere else (the worker: a thread of its own); default discover() here. */
  discoverer?: (roots: readonly IndexRoot[], options: DiscoverOptions) => Promise<Discovery>;
  onProgress?: (progress: IndexProgress) => void;
  isCancelled?: () => boolean;
  /**
   * A full pass first indexes up to this many run folders found by a short walk, and commits them,
   * before it walks everything (which stats every file: seconds on a 1,000-run batch). Readers see
   * the first runs within a second instead of after the whole walk. 0 or undefined: no first slice.
   */
  firstSlice?: number;
}

export interface StoredFolder {
  runId: string | null;
  pending: boolean;
  files: Map<string, KnownFile>;
}

/** Below this many changed folders a pass reads on its own thread: starting a reader costs more than it saves (either index). */
const MIN_FOLDERS_FOR_SOURCE = 16;

/**
 * The changed folders read and assembled, in `changed` order (either index's pass): on
 * options.folderSource (a reader thread) when at least MIN_FOLDERS_FOR_SOURCE changed, else on this
 * thread. Each job carries the files the index holds of its folder (`stored`).
 */
export function readChangedFolders(changed: readonly FolderListing[], stored: ReadonlyMap<string, StoredFolder>, options: IndexOptions, settings: ReadSettings): AsyncIterable<AssembledFolder> {
  const source = options.folderSource && changed.length >= MIN_FOLDERS_FOR_SOURCE ? options.folderSource : readHere;
  return source(changed.map((listing) => ({ listing, known: [...(stored.get(listing.key)?.files ?? [])] })), settings);
}

/** Adds a read folder's files (count and bytes) to a pass's or a slice's counts. */
export function countRead(counts: { filesRead: number; bytesRead: number }, rows: AssembledFolder): void {
  counts.filesRead += rows.files.length;
  counts.bytesRead += rows.files.reduce((n, f) => n + f.size, 0);
}

export async function indexRoots(db: Database, options: IndexOptions): Promise<IndexReport> {
  const started = Date.now();
  const report = emptyReport();
  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const guard = linkGuardFor(options.roots, options);
  const slice = options.onlyFolders || !options.firstSlice ? undefined : await indexFirstSlice(db, options, guard);
  if (slice) options.onProgress?.({ phase: 'discover', done: slice.keys.size, total: 0 });
  if (slice?.cancelled) return { ...report, cancelled: true, foldersIndexed: slice.keys.size, durationMs: Date.now() - started };
  const { listings, scenarioListings, batchListings, discoveryProblems, scopeKeys } = await listCandidates(options, guard);
  const scope = (key: string) => scopeKeys === undefined || scopeKeys.has(key);
  // A watcher pass loads and compares only the folders it names; a full pass compares every file.
  const stored = loadStoredFolders(db, scopeKeys);
  report.foldersSeen = listings.length;

  const scenarioNames = scenarioListings ? writeScenarios(db, scenarioListings, discoveryProblems, guard, report) : loadScenarioNames(db);
  const settings: ReadSettings = { read: options.read, scenarioNames: [...scenarioNames] };

  // The first slice read its folders with the scenario names known then; read them again if the
  // full walk found other names (a scenario.yaml the short walk had not reached).
  const rereadSlice = slice !== undefined && !sameNames(slice.askedNames, scenarioNames);
  const fromSlice = (key: string) => slice !== undefined && !rereadSlice && slice.keys.has(key);
  const changed = listings.filter((l) => (rereadSlice && slice.keys.has(l.key)) || hasChanged(l, stored.get(l.key)));
  const sliceDone = listings.filter((l) => fromSlice(l.key)).length;
  report.foldersUnchanged = listings.length - changed.length - sliceDone;
  if (slice) {
    report.filesRead += slice.filesRead;
    report.bytesRead += slice.bytesRead;
  }
  const present = new Set(listings.map((l) => l.key));
  const removed = [...stored.keys()].filter((key) => scope(key) && !present.has(key));
  const removedSet = new Set(removed);

  const writes = new BatchedWrites(db, { batchSize: options.batchSize ?? 200, commitEveryMs: options.commitEveryMs ?? 500 }, changed.length + sliceDone, options.onProgress, sliceDone);
  try {
    indexerStatementsFor(db).transaction(() => {
      for (const key of removed) writes.writer.removeFolder(key);
    });
    for await (const rows of readChangedFolders(changed, stored, options, settings)) {
      if (options.isCancelled?.()) {
        report.cancelled = true;
        break;
      }
      const before = stored.get(rows.key);
      const forced = rereadSlice && slice.keys.has(rows.key);
      if (!forced && sameHashes(rows.files, before) && !before?.pending && !rows.pending) {
        writes.touch(rows.files);
        report.foldersUnchanged++;
        continue;
      }
      countRead(report, rows);
      writes.add(rows, before?.runId);
      options.onProgress?.({ phase: 'read', done: writes.added + sliceDone, total: changed.length + sliceDone });
      if (writes.takeCommitted()) await options.turns?.letOthersIn();
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
    indexerStatementsFor(db).transaction(() => refreshRunRows(db, affectedRunIds));
  } finally {
    writes.abort();
  }
  // Batch problems are stored (folder-less) and counted below with every other one.
  if (!report.cancelled) indexBatches(db, { roots: options.roots, discovered: batchListings, changedFolders: options.onlyFolders });
  report.foldersIndexed = writes.added + sliceDone;
  report.foldersRemoved = removed.length;
  report.pendingFolders = writes.pendingKeys;
  // Every problem the index holds now (this pass's, unchanged folders' and scenario definitions'):
  // exactly what `problems` and the Problems panel list, so the summary never disagrees with them.
  report.problems = Number(indexerStatementsFor(db).one('problemCount')![0]);
  report.durationMs = Date.now() - started;
  return report;
}

interface FirstSlice {
  keys: Set<string>;
  /** Scenario folder → the name the slice's runs were given for it (undefined: none known then). */
  askedNames: Map<string, string | undefined>;
  filesRead: number;
  bytesRead: number;
  cancelled: boolean;
}

/**
 * Indexes the first `options.firstSlice` changed run folders a short walk finds, commits them and
 * lets readers in. Undefined when they are all unchanged (a warm index shows its runs already).
 */
async function indexFirstSlice(db: Database, options: IndexOptions, guard: LinkGuard): Promise<FirstSlice | undefined> {
  const first = discoverFirst(options.roots, options, options.firstSlice ?? 0);
  const stored = loadStoredFolders(db, new Set(first.runFolders.map((l) => l.key)));
  const changed = first.runFolders.filter((l) => hasChanged(l, stored.get(l.key)));
  if (changed.length === 0) return undefined;
  const scenarioNames = loadScenarioNames(db);
  for (const listing of first.scenarioFolders) {
    const { definition } = readScenarioFolder(listing, guard);
    if (definition) scenarioNames.set(lastSegment(definition.dir), definition.name);
  }
  // Which scenario folders the slice's runs asked a name for: only those must agree with the full walk's.
  const asked = new Map<string, string | undefined>();
  const recording = new (class extends Map<string, string> {
    override get(dir: string) {
      const name = super.get(dir);
      asked.set(dir, name);
      return name;
    }
  })(scenarioNames);
  const slice: FirstSlice = { keys: new Set(), askedNames: asked, filesRead: 0, bytesRead: 0, cancelled: false };
  const writes = new BatchedWrites(db, { batchSize: Infinity, commitEveryMs: Infinity }, changed.length, undefined);
  const settings: ReadSettings = { read: options.read, scenarioNames: [...scenarioNames] };
  try {
    for (const listing of changed) {
      if (options.isCancelled?.()) {
        slice.cancelled = true;
        break;
      }
      const rows = readJob({ listing, known: [...(stored.get(listing.key)?.files ?? [])] }, settings, recording);
      slice.keys.add(rows.key);
      countRead(slice, rows);
      writes.add(rows, stored.get(rows.key)?.runId);
    }
    writes.flush();
  } finally {
    writes.abort();
  }
  await options.turns?.letOthersIn();
  return slice;
}

/** Whether every name the slice used is the one the full walk found. */
function sameNames(asked: ReadonlyMap<string, string | undefined>, found: ReadonlyMap<string, string>): boolean {
  return [...asked].every(([dir, name]) => found.get(dir) === name);
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
export async function listCandidates(options: IndexOptions, guard: LinkGuard): Promise<{
  listings: FolderListing[];
  scenarioListings: FolderListing[] | undefined;
  batchListings: FolderListing[] | undefined;
  /** Faults discovery found outside run folders (full passes only). */
  discoveryProblems: Problem[];
  scopeKeys: Set<string> | undefined;
}> {
  if (!options.onlyFolders) {
    const { discoverer, turns } = options;
    const found = !discoverer ? discover(options.roots, options) : turns ? await turns.openWhile(discoverer(options.roots, options)) : await discoverer(options.roots, options);
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
  const sql = indexerStatementsFor(db);
  const folders = new Map<string, StoredFolder>();
  const byId = new Map<number, StoredFolder>();
  const rows = keys ? [...keys].flatMap((key) => sql.all('storedFolder', [key])) : sql.all('storedFolders');
  for (const [id, path, runId, pending] of rows as Array<[number, string, string | null, number]>) {
    const folder = { runId, pending: pending === 1, files: new Map<string, KnownFile>() };
    folders.set(path, folder);
    byId.set(id, folder);
  }
  for (const [id, folder] of byId) {
    for (const [path, size, mtimeMs, hash] of sql.all('storedFiles', [id]) as Array<[string, number, number, string]>) {
      folder.files.set(path, { size, mtimeMs, hash });
    }
  }
  return folders;
}

/** Every stored folder that carries one of the run ids. */
function foldersOfRuns(db: Database, runIds: ReadonlySet<string>): Array<{ key: string; runId: string }> {
  const sql = indexerStatementsFor(db);
  return [...runIds].flatMap((runId) => sql.all('foldersOfRun', [runId]).map(([key]) => ({ key: key as string, runId })));
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
  const sql = indexerStatementsFor(db);
  sql.transaction(() => {
    sql.run('deleteScenarios');
    sql.run('deleteFolderlessProblems');
    for (const d of definitions) sql.run('insertScenario', [d.dir, d.name, JSON.stringify(d)]);
    for (const p of problems) sql.run('insertProblem', [null, p.file, p.line, p.severity, p.message]);
  });
  for (const d of definitions) names.set(lastSegment(d.dir), d.name);
  report.scenarios = definitions.length;
  return names;
}

function loadScenarioNames(db: Database): Map<string, string> {
  const names = new Map<string, string>();
  for (const [dir, name] of indexerStatementsFor(db).all('scenarioNames') as Array<[string, string]>) names.set(lastSegment(dir), name);
  return names;
}

export function lastSegment(key: string): string {
  return key.split('/').pop() ?? key;
}
