/**
 * Watches run files and folders. Events arrive in bursts (a batch writing thousands of files, a
 * git checkout, an `mv` of a whole scenario folder); they are coalesced and handed over once the
 * burst pauses. A folder created, deleted or renamed at any depth is reported as such (a rename
 * is a delete plus a create), whatever its name looks like: folder names may well contain dots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runFolderOfSidecar } from '../core/annotations/sidecarStore';

export interface WatchedChanges {
  /** Folders holding a run file that was created, changed or deleted. */
  folders: string[];
  /** Folders that appeared (created, moved or renamed in), each once, outermost only. */
  createdFolders: string[];
  /** Paths deleted that were not run files: folders moved or renamed away (or other files). */
  deletedPaths: string[];
  /** A scenario or actor definition (YAML) changed: everything must be re-checked. */
  definitionsChanged: boolean;
}

const WATCH_DELAY_MS = 300;
const RUN_FILE = /\.(md|json)$/i;
const DEFINITION_FILE = /\.ya?ml$/i;

/** One watcher over `base` (every workspace folder, or one folder added with Index Folder…). */
export function createRunWatcher(base: vscode.GlobPattern, onChanges: (changes: WatchedChanges) => void): vscode.Disposable {
  // '**/*' rather than the run file extensions: folders have no extension to match. VS Code's
  // workspace watcher already sees every path, so this costs events that `note` drops, not watching.
  const watcher = vscode.workspace.createFileSystemWatcher(base);
  let pending = empty();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    const changes = pending;
    pending = empty();
    onChanges({ ...changes, createdFolders: outermost(changes.createdFolders) });
  };
  const note = (uri: vscode.Uri, kind: 'created' | 'changed' | 'deleted') => {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    if (DEFINITION_FILE.test(file)) pending.definitionsChanged = true;
    // An annotations sidecar belongs to the run folder above its .scenario-lab folder.
    else if (RUN_FILE.test(file) && !(kind === 'created' && isDirectory(file))) pending.folders.push(runFolderOfSidecar(file) ?? path.dirname(file));
    else if (kind === 'deleted') pending.deletedPaths.push(file);
    else if (kind === 'created' && isDirectory(file)) pending.createdFolders.push(file);
    else return;
    clearTimeout(timer);
    timer = setTimeout(flush, WATCH_DELAY_MS);
  };
  const subscriptions = [
    watcher,
    watcher.onDidCreate((uri) => note(uri, 'created')),
    watcher.onDidChange((uri) => note(uri, 'changed')),
    watcher.onDidDelete((uri) => note(uri, 'deleted')),
  ];
  return vscode.Disposable.from(...subscriptions, { dispose: () => clearTimeout(timer) });
}

function empty(): WatchedChanges {
  return { folders: [], createdFolders: [], deletedPaths: [], definitionsChanged: false };
}

function isDirectory(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Drops folders inside another listed one: walking the outer one finds them. */
function outermost(folders: string[]): string[] {
  const unique = [...new Set(folders)].sort();
  return unique.filter((f) => !unique.some((g) => g !== f && f.startsWith(g + path.sep)));
}
