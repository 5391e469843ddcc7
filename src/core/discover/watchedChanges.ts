/**
 * What a path a file watcher reports means for the index: a scenario or actor definition changed
 * (everything is re-checked), a run file changed (its run folder is re-read), a folder appeared, or
 * a path went away. The extension's watcher only collects paths; the format knowledge is here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIDECAR_DIR } from '../format/annotationModel';
import { classifyRunFile } from '../format/fileKinds';

/** The changes of one burst of watcher events, absolute paths throughout. */
export interface WatchedChanges {
  /** Folders holding a run file that was created, changed or deleted. */
  folders: string[];
  /** Folders that appeared (created, moved or renamed in), each once, outermost only (after settledChanges). */
  createdFolders: string[];
  /** Paths deleted that were not run files: folders moved or renamed away (or other files). */
  deletedPaths: string[];
  /** A scenario or actor definition (YAML) changed: everything must be re-checked. */
  definitionsChanged: boolean;
}

/** What the watcher saw happen to a path. */
export type WatchedEvent = 'created' | 'changed' | 'deleted';

/**
 * Scenario and actor definitions, metric definitions and batch configs are YAML
 * (docs/format.md#scenario-definitions, docs/format.md#batches): any of them can change what every run means.
 */
const DEFINITION_EXTENSIONS = ['.yaml', '.yml'];
/**
 * Run and batch files are Markdown or JSON (docs/format.md#a-run-folder, docs/format.md#batches). Any such
 * name counts, not only the names classifyRunFile knows: the indexer decides what a folder holds
 * (docs/format.md#which-folders-are-runs), the watcher only says where to look again.
 */
const RUN_FILE_EXTENSIONS = ['.md', '.json'];

/** An empty burst. */
export function emptyChanges(): WatchedChanges {
  return { folders: [], createdFolders: [], deletedPaths: [], definitionsChanged: false };
}

/**
 * Adds one watcher event on `file` (absolute) to `changes`; returns false when the event means
 * nothing to the index (a file of another kind changed or appeared). A folder is told from a file
 * on disk (lstat), whatever its name looks like: folder names may well contain dots. The
 * annotations sidecar (docs/format.md#a-run-folder) belongs to the run folder above `.scenario-lab`;
 * so does the `.scenario-lab` folder itself, since a watcher reports a deleted or moved folder
 * without the files inside it, and the run's index copy of its annotations must follow.
 */
export function noteChange(changes: WatchedChanges, file: string, event: WatchedEvent): boolean {
  if (endsWithAny(file, DEFINITION_EXTENSIONS)) changes.definitionsChanged = true;
  else if (path.basename(file) === SIDECAR_DIR && event !== 'changed') changes.folders.push(path.dirname(file));
  else if (endsWithAny(file, RUN_FILE_EXTENSIONS) && !(event === 'created' && isDirectory(file))) changes.folders.push(runFolderOf(file));
  else if (event === 'deleted') changes.deletedPaths.push(file);
  else if (event === 'created' && isDirectory(file)) changes.createdFolders.push(file);
  else return false;
  return true;
}

/** The burst as handed over once it pauses: created folders inside another created one are dropped (walking the outer one finds them). */
export function settledChanges(changes: WatchedChanges): WatchedChanges {
  return { ...changes, createdFolders: outermost(changes.createdFolders) };
}

/** The run folder a run file belongs to: its own folder, or the one above `.scenario-lab` for the sidecar. */
function runFolderOf(file: string): string {
  const dir = path.dirname(file);
  const sidecar = classifyRunFile(`${path.basename(dir)}/${path.basename(file)}`).kind === 'annotations';
  return sidecar ? path.dirname(dir) : dir;
}

/** Case-insensitive, on the whole name: `.json` alone counts too. */
function endsWithAny(file: string, extensions: readonly string[]): boolean {
  const lower = file.toLowerCase();
  return extensions.some((extension) => lower.endsWith(extension));
}

function isDirectory(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

function outermost(folders: string[]): string[] {
  const unique = [...new Set(folders)].sort();
  return unique.filter((f) => !unique.some((g) => g !== f && f.startsWith(g + path.sep)));
}
