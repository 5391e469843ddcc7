/**
 * Finds run folders and scenario definitions under the roots the user indexes.
 *
 * Synchronous on purpose: on this class of machine sync readdir/stat in one thread is ~5x faster
 * than fs.promises for 100k small files (guides/sqljs-performance.md §4). Callers that must not
 * block (the extension host) run discovery in a worker or in yielded chunks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIDECAR_DIR, SIDECAR_FILE, SIDECAR_RELATIVE_PATH } from '../format/annotationModel';
import picomatch from 'picomatch';
import { isBatchFolder } from '../format/batchFiles';
import { classifyRunFile } from '../format/fileKinds';
import type { Problem } from '../format/records';
import { joinKey, keyFor, localKeyFor, type IndexRoot } from '../folderKeys';
import { readEntries } from './entryNames';
import { gitLinkPlaceholder, isInside, LinkGuard, outsideWorkspace, type LinkPolicy } from './links';

export { isInside } from './links';

export interface FileEntry {
  name: string;
  /** Key of the file (folderKeys.ts: keyFor). */
  key: string;
  absPath: string;
  /** Of the file itself, or of a link's target (so a changed target is picked up). */
  size: number;
  mtimeMs: number;
  /**
   * Set when the entry cannot be read (a dangling link, a link an untrusted workspace does not
   * follow, a name that is not UTF-8): the reader reports this sentence instead of reading. It is
   * listed like a file so that its appearance or repair changes the folder and re-reads it.
   */
  fault?: string;
  /** The fault belongs to the folder rather than to a file one can open (an undecodable name). */
  faultAtFolder?: boolean;
}

export interface FolderListing {
  /** The folder's stable identity in the index (folderKeys.ts: keyFor), e.g. `output/ai-summit/run-002`. */
  key: string;
  /**
   * The key without its root's source (IndexRoot.source), as the embedded index would key the
   * folder: what a folder's stand-in run id is made of, so that both engines give it the same id.
   */
  localKey: string;
  absPath: string;
  files: FileEntry[];
}

export interface Discovery {
  runFolders: FolderListing[];
  /** Folders holding a scenario.yaml (scenario definitions, docs/format.md#scenario-definitions). */
  scenarioFolders: FolderListing[];
  /** Batch output folders: holding batch-config.yaml, batch-state.json, batch-costs.json or batch-summary.json (docs/format.md#batches). */
  batchFolders: FolderListing[];
  /** Entries that could not be followed or named, in folders that are not run folders (at the folder). */
  problems: Problem[];
}

export interface DiscoverOptions {
  /** Globs of root-relative folders to look for runs in (default: everywhere). */
  include?: readonly string[];
  /** Globs of root-relative folders never entered, in addition to the built-in names. */
  exclude?: readonly string[];
  /**
   * Symbolic links to folders and files: `follow` (CLI, trusted workspace) reads them wherever
   * they lead; `confine` (the default: an untrusted workspace) only where they stay inside a root.
   * Either way each real folder is walked once and loops end.
   */
  links?: LinkPolicy;
}

/** The policy for these roots and options. */
export function linkGuardFor(roots: readonly IndexRoot[], options: DiscoverOptions): LinkGuard {
  return new LinkGuard(roots.map((r) => r.absPath), options.links ?? 'confine');
}

/** Never entered: caches, VCS data, dependencies, our own review sidecars' temp files. */
const ALWAYS_SKIPPED = new Set(['.cache', '.git', 'node_modules', '.hg', '.svn', '__pycache__', '.venv', 'venv', SIDECAR_DIR]);

/**
 * Every run folder and scenario definition under the roots. Folders reached through links are
 * walked after the plain tree, so that a folder reached both ways keeps its own place, and only
 * when their real folder was not walked yet (no loops, no run twice); keys and paths stay the
 * workspace paths through the link, for navigation.
 */
export function discover(roots: readonly IndexRoot[], options: DiscoverOptions = {}): Discovery {
  const runFolders: FolderListing[] = [];
  const walk = walkRunFolders(roots, options);
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) return { runFolders, ...next.value };
    runFolders.push(next.value);
  }
}

/** What a walk finds besides run folders: few folders and problems, whatever the number of runs. */
export type DiscoveryRest = Omit<Discovery, 'runFolders'>;

/**
 * discover() as a stream: yields each run folder as the walk reaches it (same folders, same
 * order, same listings) and returns the rest once the walk is done, so that a caller can index
 * a workspace of any size while holding one folder's listing at a time.
 *
 * With `statRunFiles` false the walk only names what a run folder holds: its files of known run
 * kinds get size and mtime 0 (no stat, no link-placeholder check: a decision file is no link),
 * which makes it several times faster (a readdir per folder). Every other folder, and a run
 * folder that is also a scenario or batch folder, is listed in full, so the rest is what a full
 * walk returns.
 */
export function* walkRunFolders(roots: readonly IndexRoot[], options: DiscoverOptions = {}, statRunFiles = true): Generator<FolderListing, DiscoveryRest, undefined> {
  const walk = newWalk(roots, options, { statRunFiles });
  for (const root of roots) yield* walkFolder(walk, root, root.absPath);
  if (walk.linked.length > 0) yield* walkLinkedFolders(walk);
  const { scenarioFolders, batchFolders, problems } = walk.out;
  return { scenarioFolders, batchFolders, problems };
}

/**
 * The first `count` run folders a full walk would find (in its order), and the scenario folders met
 * on the way: a bounded walk that stats only what it passes, so a big pass can show runs early.
 * Links to folders are not followed here; the full walk finds what lies behind them.
 */
export function discoverFirst(roots: readonly IndexRoot[], options: DiscoverOptions, count: number): Pick<Discovery, 'runFolders' | 'scenarioFolders'> {
  const walk = newWalk(roots, options, { limit: count });
  const runFolders: FolderListing[] = [];
  for (const root of roots) for (const folder of walkFolder(walk, root, root.absPath)) runFolders.push(folder);
  return { runFolders: runFolders.slice(0, count), scenarioFolders: walk.out.scenarioFolders };
}

function newWalk(roots: readonly IndexRoot[], options: DiscoverOptions, extra: Pick<Walk, 'limit'> & { statRunFiles?: boolean }): Walk {
  return {
    roots, filter: folderFilter(options), guard: linkGuardFor(roots, options), out: { scenarioFolders: [], batchFolders: [], problems: [] },
    walked: [], linked: [], runCount: 0, limit: extra.limit, statRunFiles: extra.statRunFiles ?? true,
  };
}

interface Walk {
  roots: readonly IndexRoot[];
  filter: FolderFilter;
  guard: LinkGuard;
  out: DiscoveryRest;
  /** Run folders found so far. */
  runCount: number;
  /** Whether run folders' files are stat'ed (walkRunFolders). */
  statRunFiles: boolean;
  /** Folders walked, in order (their real paths are taken only when links are met). */
  walked: string[];
  /** Links to folders, met along the way, walked last. */
  linked: Array<{ root: IndexRoot } & LinkedFolder>;
  /** Stop once this many run folders are found (discoverFirst). */
  limit?: number;
}

function* walkLinkedFolders(walk: Walk): Generator<FolderListing, void, undefined> {
  const visited = new Set<string>();
  let taken = 0;
  const markWalked = () => {
    for (; taken < walk.walked.length; taken++) visited.add(realOr(walk.walked[taken]));
  };
  markWalked();
  for (let i = 0; i < walk.linked.length; i++) {
    const link = walk.linked[i];
    // A link to a folder of its own path is a loop, also when that folder lies around the roots
    // (the workspace's parent, /) and was never walked: following it would walk everything there.
    if (isInside(link.real, realOr(path.dirname(link.abs)))) {
      const key = keyFor(walk.roots, link.root, path.relative(link.root.absPath, link.abs));
      walk.out.problems.push({ file: key, line: 1, severity: 'info', message: `${path.basename(link.abs)} is a symbolic link to a folder that contains it (a loop); it was not followed.` });
      continue;
    }
    // A link to any other walked folder (a `latest` link) is that folder again.
    if (visited.has(link.real)) continue;
    yield* walkFolder(walk, link.root, link.abs, link.read);
    markWalked();
  }
}

function realOr(abs: string): string {
  try {
    return fs.realpathSync.native(abs);
  } catch {
    return abs;
  }
}

export interface FolderFilter {
  /** Whether the walk enters a folder (root-relative path with `/`). */
  enters(relPath: string): boolean;
  /** Whether run folders at this path are indexed. */
  includes(relPath: string): boolean;
}

/** Built-in skipped names, then the user's exclude globs; include globs select where runs count. */
export function folderFilter(options: DiscoverOptions): FolderFilter {
  const excluded = options.exclude && options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : () => false;
  const included = options.include && options.include.length > 0 ? picomatch([...options.include], { dot: true }) : () => true;
  return {
    enters: (relPath) => !ALWAYS_SKIPPED.has(relPath.split('/').pop() ?? '') && !excluded(relPath),
    includes: (relPath) => included(relPath),
  };
}

/** Walks the folder at workspace path `dir`, reading it at `read` (the same, except behind a git link placeholder); yields its run folders. */
function* walkFolder(walk: Walk, root: IndexRoot, dir: string, read = dir): Generator<FolderListing, void, undefined> {
  if (walk.limit !== undefined && walk.runCount >= walk.limit) return;
  walk.walked.push(read);
  const listing = readListing(walk.roots, root, dir, walk.guard, read, walk.statRunFiles);
  if (!listing) return;
  for (const sub of listing.subfolders) if (walk.filter.enters(relativeKey(root, sub.at))) yield* walkFolder(walk, root, sub.at, sub.read);
  for (const link of listing.linkedFolders) if (walk.filter.enters(relativeKey(root, link.abs))) walk.linked.push({ root, ...link });
  const { folder } = listing;
  const runFolder = isRunFolder(folder.files) && walk.filter.includes(relativeKey(root, dir));
  if (folder.files.some((f) => f.name === 'scenario.yaml' && !f.fault)) walk.out.scenarioFolders.push(folder);
  if (isBatchFolder(folder.files)) walk.out.batchFolders.push(folder);
  // Faults of a run folder travel with its files (the reader reports them); elsewhere they are the discovery's.
  if (!runFolder) for (const f of folder.files) if (f.fault) walk.out.problems.push({ file: f.faultAtFolder ? folder.key : f.key, line: 1, severity: 'warning', message: f.fault });
  if (runFolder) {
    walk.runCount++;
    yield folder;
  }
}

function relativeKey(root: IndexRoot, dir: string): string {
  return path.relative(root.absPath, dir).split(path.sep).join('/');
}

/** A link to a folder: its workspace path, the real folder, and the path to read it at. */
interface LinkedFolder {
  abs: string;
  real: string;
  read: string;
}

interface Listing {
  folder: FolderListing;
  /** Workspace path and path to read at of each sub-folder. */
  subfolders: Array<{ at: string; read: string }>;
  /** Links to folders the policy allows. */
  linkedFolders: LinkedFolder[];
}

/**
 * One folder's files (stat'ed, sorted by name) and its sub-folders; undefined when unreadable or
 * gone. `dir` is the folder's workspace path (keys), `readAt` where its entries are read. With
 * `statRunFiles` false, a run folder's files of known kinds are named only (walkRunFolders).
 */
function readListing(roots: readonly IndexRoot[], root: IndexRoot, dir: string, guard: LinkGuard, readAt = dir, statRunFiles = true): Listing | undefined {
  let read: ReturnType<typeof readEntries>;
  try {
    read = readEntries(readAt);
  } catch {
    return undefined;
  }
  const key = keyFor(roots, root, path.relative(root.absPath, dir));
  const localKey = localKeyFor(roots, root, path.relative(root.absPath, dir));
  const files: FileEntry[] = [];
  const subfolders: Listing['subfolders'] = [];
  const linkedFolders: Listing['linkedFolders'] = [];
  const fault = (name: string, abs: string, message: string, atFolder = false) => {
    const stat = atFolder ? undefined : lstatOrUndefined(abs);
    files.push({ name, key: joinKey(key, name), absPath: abs, size: stat?.size ?? 0, mtimeMs: stat?.mtimeMs ?? 0, fault: message, ...(atFolder ? { faultAtFolder: true } : {}) });
  };
  for (const { shown, folder } of read.undecodable) {
    fault(shown, path.join(readAt, shown), `The ${folder ? 'folder' : 'file'} name ${shown} in this folder is not valid UTF-8 (bad bytes shown as \\xNN); it was skipped. Rename it (e.g. with convmv) to index it.`, true);
  }
  let namedOnly = false;
  for (const entry of read.entries) {
    const abs = path.join(readAt, entry.name);
    if (!statRunFiles && entry.isFile() && classifyRunFile(entry.name).kind !== 'unknown') {
      files.push({ name: entry.name, key: joinKey(key, entry.name), absPath: abs, size: 0, mtimeMs: 0 });
      namedOnly = true;
      continue;
    }
    const stat = entry.isFile() ? statOrUndefined(abs) : undefined;
    const placeholder = stat ? gitLinkPlaceholder(abs, stat) : undefined;
    if (entry.isSymbolicLink() || placeholder) {
      const target = guard.resolve(placeholder ?? abs, entry.name);
      const at = path.join(dir, entry.name);
      if (target.kind === 'folder' && entry.name === SIDECAR_DIR) addSidecar(target.real, key, guard, files);
      else if (target.kind === 'folder') linkedFolders.push({ abs: at, real: target.real, read: placeholder ? target.real : abs });
      else if (target.kind === 'file') files.push({ name: entry.name, key: joinKey(key, entry.name), absPath: placeholder ? target.real : abs, size: target.stat.size, mtimeMs: target.stat.mtimeMs });
      else fault(entry.name, abs, target.message);
      continue;
    }
    if (entry.isDirectory()) {
      subfolders.push({ at: path.join(dir, entry.name), read: abs });
      // The annotations sidecar counts as a file of its run folder, so a change to it re-indexes the folder.
      if (entry.name === SIDECAR_DIR) addSidecar(abs, key, guard, files);
    } else if (stat) {
      files.push({ name: entry.name, key: joinKey(key, entry.name), absPath: abs, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
  // Only a plain run folder may stay named-only: anything else is listed as a full walk lists it.
  if (namedOnly && (!isRunFolder(files) || isBatchFolder(files) || files.some((f) => f.name === 'scenario.yaml'))) return readListing(roots, root, dir, guard, readAt);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { folder: { key, localKey, absPath: readAt, files }, subfolders, linkedFolders };
}

/** The sidecar file, unless it (or its folder) is a link the policy does not follow. */
function addSidecar(sidecarDir: string, folderKey: string, guard: LinkGuard, files: FileEntry[]): void {
  const sidecar = path.join(sidecarDir, SIDECAR_FILE);
  const stat = statOrUndefined(sidecar);
  if (!stat?.isFile()) return;
  const entry = { name: SIDECAR_RELATIVE_PATH, key: joinKey(folderKey, SIDECAR_RELATIVE_PATH), absPath: sidecar, size: stat.size, mtimeMs: stat.mtimeMs };
  if (guard.mayRead(sidecar)) files.push(entry);
  else files.push({ ...entry, fault: outsideWorkspace(SIDECAR_RELATIVE_PATH) });
}

function statOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** docs/format.md#which-folders-are-runs: a run folder holds state JSON, a world state, or decision/communication markdown. */
export function isRunFolder(files: readonly { name: string }[]): boolean {
  return files.some((f) => {
    const kind = classifyRunFile(f.name).kind;
    return kind === 'scenario-state' || kind === 'scenario-state-v2' || kind === 'world-state' || kind === 'communication';
  });
}

/** Lists one folder again (after a watcher event), with the same shape discover() gives. */
export function listFolder(roots: readonly IndexRoot[], absDir: string, guard: LinkGuard = linkGuardFor(roots, {})): FolderListing | undefined {
  const root = roots.find((r) => isInside(r.absPath, absDir));
  return root && readListing(roots, root, absDir, guard)?.folder;
}
