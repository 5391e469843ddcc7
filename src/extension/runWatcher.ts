/**
 * Watches the indexed roots and asks the index service to re-read what changed. Events arrive in
 * bursts (a batch writing thousands of files, a git checkout, an `mv` of a whole scenario folder);
 * they are coalesced and handed over once the burst pauses. What a changed path means (a run file,
 * a definition, a folder moved in or away) is the core's call (src/core/discover/watchedChanges.ts).
 */
import * as vscode from 'vscode';
import { foldersBeneath, indexedFoldersWithin } from '../core/discover/changedFolders';
import type { IndexRoot } from '../core/folderKeys';
import { emptyChanges, noteChange, settledChanges, type WatchedChanges, type WatchedEvent } from '../core/discover/watchedChanges';

const WATCH_DELAY_MS = 300;

/** What the watcher needs from the index service. */
export interface WatchedIndex {
  /** The indexed roots now (workspace folders and folders added with Index Folder…). */
  roots(): readonly IndexRoot[];
  /** Folders added with Index Folder… (absolute paths): they lie outside the workspace watcher. */
  extraFolders(): string[];
  /** Keys of the folders in the index now (sl_folders); rejects when the index cannot be read. */
  indexedFolderKeys(): Promise<string[]>;
  /** Re-index these folders (absolute paths), or everything when undefined. */
  reindex(onlyFolders: string[] | undefined): void;
}

export interface RunWatchers extends vscode.Disposable {
  /** Starts or stops the watchers of folders added or removed with Index Folder… / Manage Indexed Folders. */
  updateExtraFolders(): void;
}

/** One watcher over the workspace folders, plus one per folder added with Index Folder…. */
export function watchRunFolders(index: WatchedIndex): RunWatchers {
  const onChanges = (changes: WatchedChanges) => void reindexChanged(index, changes);
  const watchers = new Map<string, vscode.Disposable>([['', createRunWatcher('**/*', onChanges)]]);
  const updateExtraFolders = () => {
    const extra = index.extraFolders();
    for (const folder of extra) {
      if (!watchers.has(folder)) watchers.set(folder, createRunWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*'), onChanges));
    }
    for (const [key, watcher] of watchers) {
      if (key !== '' && !extra.includes(key)) {
        watcher.dispose();
        watchers.delete(key);
      }
    }
  };
  updateExtraFolders();
  return {
    updateExtraFolders,
    dispose: () => {
      for (const watcher of watchers.values()) watcher.dispose();
      watchers.clear();
    },
  };
}

/** Turns one burst into the folders to re-index: a definition or a tree too big to list re-checks everything. */
async function reindexChanged(index: WatchedIndex, changes: WatchedChanges): Promise<void> {
  if (changes.definitionsChanged) return index.reindex(undefined);
  const folders = [...changes.folders];
  for (const created of changes.createdFolders) {
    const beneath = foldersBeneath(created);
    if (!beneath) return index.reindex(undefined);
    folders.push(...beneath);
  }
  if (changes.deletedPaths.length > 0) {
    const keys = await index.indexedFolderKeys().catch(() => []);
    for (const gone of changes.deletedPaths) folders.push(gone, ...indexedFoldersWithin(index.roots(), keys, gone));
  }
  if (folders.length > 0) index.reindex([...new Set(folders)]);
}

/** One watcher over `base` (every workspace folder, or one folder added with Index Folder…). */
function createRunWatcher(base: vscode.GlobPattern, onChanges: (changes: WatchedChanges) => void): vscode.Disposable {
  // '**/*' rather than the run file extensions: folders have no extension to match. VS Code's
  // workspace watcher already sees every path, so this costs events that noteChange drops, not watching.
  const watcher = vscode.workspace.createFileSystemWatcher(base);
  let pending = emptyChanges();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    const changes = pending;
    pending = emptyChanges();
    onChanges(settledChanges(changes));
  };
  const note = (uri: vscode.Uri, event: WatchedEvent) => {
    if (uri.scheme !== 'file' || !noteChange(pending, uri.fsPath, event)) return;
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
