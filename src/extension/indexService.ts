/**
 * The extension's one owner of the index: starts the index worker, decides which folders are
 * indexed and where the database lives, re-indexes what the watcher reports, saves (debounced),
 * and tells the features when data changed. Features only read through `analytics`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { IndexProblem } from '../core/analytics/types';
import { foldersBeneath, indexedFoldersWithin } from '../core/discover/changedFolders';
import { absolutePathOf, isInside, keyFor, type IndexRoot } from '../core/discover/discoverFolders';
import type { IndexProgress, IndexReport } from '../core/indexer/indexer';
import { DEFAULT_PENDING_WINDOW_MS } from '../core/indexer/readFolder';
import { embeddedSizeWarning } from '../core/db/embeddedLimit';
import { startIndexWorker, type IndexClient } from '../core/worker/indexClient';
import { withSource } from '../core/sharedIndex';
import { REMOTE_CHANGE, sharedDatabaseUrl, startSharedClient } from './sharedDatabase';
import { ExtraFolders } from './extraFolders';
import { createRunWatcher, type WatchedChanges } from './runWatcher';
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../core/db/schema';
import type { QueryResult, SqlQueryOptions } from '../core/sql/sqlDoor';
import { readSettings, type Settings } from './settings';

export interface IndexChange {
  report: IndexReport;
  /** True after a full pass (every root walked), false after a watcher-driven partial one. */
  full: boolean;
}

export interface IndexService {
  readonly analytics: Analytics;
  readonly onDidChange: vscode.Event<IndexChange>;
  readonly onDidChangeState: vscode.Event<IndexState>;
  readonly state: IndexState;
  /** Resolves once the first full index pass has finished (or failed). */
  readonly ready: Promise<void>;
  /** Saves what is not saved yet, after any running index pass; rejects with the reason a save failed. */
  flush(): Promise<void>;
  /** Absolute index key → Uri of the file or folder on disk. */
  uriOf(key: string): vscode.Uri | undefined;
  /** Uri → index key (root-relative path), undefined outside the indexed roots. */
  keyOf(uri: vscode.Uri): string | undefined;
  reindexAll(): Promise<IndexReport | undefined>;
  /**
   * Adds a folder outside the workspace folders to the indexed roots (Index Folder…). It is
   * remembered for this workspace (workspaceState) until removed with removeRoots.
   */
  addRoot(folder: vscode.Uri): Promise<IndexReport | undefined>;
  /** The folders added with Index Folder… (absolute paths). */
  extraFolders(): string[];
  /** Stops indexing folders added with Index Folder…; their runs leave the index. */
  removeRoots(folders: string[]): Promise<IndexReport | undefined>;
  cancel(): void;
  /** User SQL on a snapshot of the index (see src/core/sql/sqlDoor.ts); rejects with the door's errors. */
  readOnlySql(text: string, options: SqlQueryOptions): Promise<QueryResult>;
  /** Kysely through the SQL door, for the extension API: reads everything, changes nothing. */
  readonly readOnlyDb: Kysely<IndexDatabase>;
  /** See IndexClient.backup: an existing destination only with `force`, and only an index of ours. */
  backup(destination: vscode.Uri, options?: { force?: boolean }): Promise<void>;
  problems(): Promise<IndexProblem[]>;
  roots(): readonly IndexRoot[];
  databaseLocation(): string | undefined;
}

export type IndexState = { kind: 'starting' } | { kind: 'indexing'; progress: IndexProgress | undefined } | { kind: 'idle' } | { kind: 'failed'; message: string };

const SAVE_DELAY_MS = 2000;
/** Run folders a full pass indexes (and shows) before it walks every folder: about a screenful of runs. */
const FIRST_SLICE = 6;

export function createIndexService(context: vscode.ExtensionContext): IndexService & vscode.Disposable {
  let settings = readSettings();
  const extraFolders = new ExtraFolders(context.workspaceState);
  const changeEmitter = new vscode.EventEmitter<IndexChange>();
  const stateEmitter = new vscode.EventEmitter<IndexState>();
  let state: IndexState = { kind: 'starting' };
  const setState = (next: IndexState) => {
    state = next;
    stateEmitter.fire(next);
  };

  // A shared PostgreSQL index (scenarioLab.database.url) replaces the embedded file: nothing to save,
  // and the views also refresh when another indexer commits a folder (LISTEN/NOTIFY).
  let sharedUrl: string | undefined;
  try {
    sharedUrl = sharedDatabaseUrl();
  } catch (error) {
    void vscode.window.showErrorMessage(`Scenario Lab: ${(error as Error).message}`);
  }
  const databaseFile = sharedUrl ? undefined : databaseFileFor(context, settings);
  const client: IndexClient = sharedUrl
    ? startSharedClient(context, sharedUrl, path.join(context.extensionPath, 'dist', 'readWorker.js'), (keys) =>
        changeEmitter.fire({ report: REMOTE_CHANGE, full: keys === undefined }),
      )
    : startIndexWorker(path.join(context.extensionPath, 'dist', 'indexWorker.js'), databaseFile);
  const showNotices = (notices: string[]) => notices.forEach((notice) => void vscode.window.showWarningMessage(`Scenario Lab: ${notice}`));
  client.opened.then(showNotices, (error: Error) => {
    // The worker keeps the reason and tries the file again on the next pass.
    void vscode.window.showErrorMessage(`Scenario Lab could not open its index: ${error.message}`);
  });
  client.onRestart((message) => {
    void vscode.window.showWarningMessage(`Scenario Lab: ${message}`);
    void run(undefined);
  });

  // On a shared index every key starts with its folder's source (this host and the folder): so do the roots.
  const roots = (): IndexRoot[] => {
    const all = [...workspaceRoots(), ...extraFolders.roots()];
    return sharedUrl ? withSource(all, undefined) : all;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  let saveTimer: NodeJS.Timeout | undefined;
  const scheduleSave = () => {
    if (!databaseFile) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void serialized(() => saveWithSizeCheck(client, settings).then(() => (lastError = undefined), onSaveFailed)), SAVE_DELAY_MS);
  };
  /** The last error shown: watcher passes repeat the same failure, and one message is enough. */
  let lastError: string | undefined;
  const tell = (message: string) => {
    if (message === lastError) return;
    lastError = message;
    void vscode.window.showErrorMessage(message);
  };
  const onSaveFailed = (error: Error & { code?: string }) => {
    if (error.code === 'index-changed') {
      // Another program wrote to the index file: take its version and index on top of it, so
      // neither its changes nor ours are lost.
      void vscode.window.showWarningMessage(`Scenario Lab: ${error.message} Loading it again and re-indexing.`);
      void serialized(() => client.reopen().then(showNotices)).then(() => run(undefined), () => undefined);
      return;
    }
    tell(`Scenario Lab could not save its index: ${error.message}`);
  };

  let pendingTimer: NodeJS.Timeout | undefined;
  const run = (onlyFolders: string[] | undefined) =>
    serialized(async () => {
      setState({ kind: 'indexing', progress: undefined });
      try {
        const report = await client.index(
          // Workspace Trust: an untrusted workspace never reads through links that leave its folders.
          {
            roots: roots(),
            onlyFolders,
            include: settings.include,
            exclude: settings.exclude,
            links: vscode.workspace.isTrusted ? 'follow' : 'confine',
            firstSlice: FIRST_SLICE,
          },
          (progress) => setState({ kind: 'indexing', progress }),
        );
        setState({ kind: 'idle' });
        changeEmitter.fire({ report, full: onlyFolders === undefined });
        scheduleSave();
        if (report.pendingFolders.length > 0) {
          // A run is still writing a JSON file: look again once it has had time to finish.
          clearTimeout(pendingTimer);
          const folders = report.pendingFolders.map((key) => absolutePathOf(roots(), key)).filter((p): p is string => !!p);
          pendingTimer = setTimeout(() => void run(folders), DEFAULT_PENDING_WINDOW_MS + 500);
        }
        return report;
      } catch (error) {
        const message = (error as Error).message;
        setState({ kind: 'failed', message });
        tell(`Scenario Lab could not index the workspace: ${message}`);
        return undefined;
      }
    });

  const onWatched = async (changes: WatchedChanges) => {
    if (changes.definitionsChanged) return void run(undefined);
    const folders = [...changes.folders];
    for (const created of changes.createdFolders) {
      const beneath = foldersBeneath(created);
      if (!beneath) return void run(undefined); // a tree too big to list here: re-check everything
      folders.push(...beneath);
    }
    if (changes.deletedPaths.length > 0) {
      const keys = (await client.analytics.listFolders().catch(() => [])).map((f) => f.path);
      for (const gone of changes.deletedPaths) folders.push(gone, ...indexedFoldersWithin(roots(), keys, gone));
    }
    if (folders.length > 0) void run([...new Set(folders)]);
  };
  const watchers = new Map<string, vscode.Disposable>([['', createRunWatcher('**/*', (changes) => void onWatched(changes))]]);
  /** Folders added with Index Folder… lie outside the workspace watcher: each gets its own. */
  const watchExtraRoots = () => {
    const extra = extraFolders.list();
    for (const folder of extra) {
      if (!watchers.has(folder)) watchers.set(folder, createRunWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*'), (changes) => void onWatched(changes)));
    }
    for (const [key, watcher] of watchers) {
      if (key !== '' && !extra.includes(key)) {
        watcher.dispose();
        watchers.delete(key);
      }
    }
  };
  watchExtraRoots();
  const settingsListener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('scenarioLab')) return;
    const before = settings;
    settings = readSettings();
    if (before.include.join('\n') !== settings.include.join('\n') || before.exclude.join('\n') !== settings.exclude.join('\n')) void run(undefined);
  });
  // Links left out while the workspace was untrusted are read once it is trusted.
  const trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => void run(undefined));
  const ready = run(undefined).then(() => undefined);

  const service: IndexService & vscode.Disposable = {
    analytics: client.analytics,
    onDidChange: changeEmitter.event,
    onDidChangeState: stateEmitter.event,
    get state() {
      return state;
    },
    ready,
    uriOf: (key) => {
      const abs = absolutePathOf(roots(), key);
      return abs ? vscode.Uri.file(abs) : undefined;
    },
    keyOf: (uri) => {
      if (uri.scheme !== 'file') return undefined;
      const all = roots();
      const root = all.find((r) => isInside(r.absPath, uri.fsPath));
      return root ? keyFor(all, root, path.relative(root.absPath, uri.fsPath)) : undefined;
    },
    reindexAll: () => run(undefined),
    addRoot: async (folder) => {
      if (!workspaceRoots().some((r) => r.absPath === folder.fsPath) && (await extraFolders.add(folder.fsPath))) watchExtraRoots();
      return run(undefined);
    },
    extraFolders: () => extraFolders.list(),
    removeRoots: async (folders) => {
      if (!(await extraFolders.remove(folders))) return undefined;
      watchExtraRoots();
      return run(undefined);
    },
    cancel: () => client.cancelIndexing(),
    readOnlySql: (text, options) => client.readOnlySql(text, options),
    readOnlyDb: client.readOnlyKysely,
    backup: (destination, options) => client.backup(destination.fsPath, options),
    problems: () => client.analytics.listProblems(),
    roots,
    databaseLocation: () => databaseFile,
    flush: () =>
      serialized(async () => {
        clearTimeout(saveTimer);
        if (!databaseFile) return;
        try {
          await client.save();
        } catch (error) {
          // On deactivate VS Code logs a rejected promise in the extension host log; say it here too.
          void vscode.window.showErrorMessage(`Scenario Lab could not save its index: ${(error as Error).message}`);
          throw error;
        }
      }),
    dispose: () => {
      for (const watcher of watchers.values()) watcher.dispose();
      settingsListener.dispose();
      trustListener.dispose();
      clearTimeout(pendingTimer);
      changeEmitter.dispose();
      stateEmitter.dispose();
      // deactivate() has flushed already (VS Code waits for it); stop the worker after anything still queued.
      clearTimeout(saveTimer);
      void serialized(() => client.close());
    },
  };
  return service;
}

function workspaceRoots(): IndexRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, absPath: f.uri.fsPath }));
}

/**
 * Default: the workspace storage (private to this machine). A workspace-relative setting shares
 * the index with others, but only in a trusted workspace, since it writes into the workspace.
 */
function databaseFileFor(context: vscode.ExtensionContext, settings: Settings): string | undefined {
  const configured = settings.databasePath;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (configured && folder && vscode.workspace.isTrusted) return path.resolve(folder.uri.fsPath, configured);
  const storage = context.storageUri ?? context.globalStorageUri;
  if (storage.scheme !== 'file') return undefined;
  fs.mkdirSync(storage.fsPath, { recursive: true });
  return path.join(storage.fsPath, 'scenario-lab-index.db');
}

let sizeWarned = false;

/** Saves, after asking when the index is above the size limit; rejects with the reason a save failed. */
async function saveWithSizeCheck(client: IndexClient, settings: Settings): Promise<void> {
  const bytes = await client.sizeBytes();
  const advice = embeddedSizeWarning(bytes, 'set scenarioLab.database.url to a postgresql:// URL');
  if (advice && !sizeWarned) {
    sizeWarned = true;
    void vscode.window.showWarningMessage(`Scenario Lab: ${advice}`, 'Open Setting').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'scenarioLab.database.url');
    });
  }
  const limit = settings.maxDatabaseSizeMB * 1024 * 1024;
  if (bytes > limit) {
    const choice = await vscode.window.showWarningMessage(
      `The Scenario Lab index is ${(bytes / 1048576).toFixed(0)} MB, above the ${settings.maxDatabaseSizeMB} MB limit (scenarioLab.maxDatabaseSizeMB). Save it anyway?`,
      'Save',
      'Not now',
    );
    if (choice !== 'Save') return;
  }
  await client.save();
}
