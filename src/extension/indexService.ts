/**
 * The extension's one owner of the index: holds the index client (opened where databaseLocation.ts
 * says), decides which folders are indexed, runs the index passes one at a time (the whole roots,
 * or what runWatcher.ts reports), saves (debounced), and tells the features when data or its state
 * changed. Features only read through `analytics`; questions to the user live in features.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { IndexProblem } from '../core/analytics/types';
import { isInside } from '../core/discover/discoverFolders';
import { absolutePathOf, hostKeyOf, hostPathOf, keyFor, type IndexRoot } from '../core/folderKeys';
import type { IndexProgress, IndexReport } from '../core/indexer/indexer';
import { DEFAULT_PENDING_WINDOW_MS } from '../core/indexer/readFolder';
import { withSource } from '../core/sharedIndex';
import { openIndexStore } from './databaseLocation';
import { REMOTE_CHANGE } from './sharedDatabase';
import { ExtraFolders } from './extraFolders';
import { watchRunFolders } from './runWatcher';
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../core/db/schema';
import type { QueryResult, SqlQueryOptions } from '../core/sql/sqlDoor';
import { readSettings } from './settings';

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
  /**
   * Absolute index key → Uri of the file or folder on disk: under the window's roots, or on a shared
   * index also one that exists on this host under a folder indexed elsewhere (the CLI, another
   * window: folderKeys.ts hostPathOf), unless `rootsOnly`.
   */
  uriOf(key: string, options?: { rootsOnly?: boolean }): vscode.Uri | undefined;
  /**
   * Uri → index key (root-relative path); on a shared index a file outside the roots gets the key a
   * default-source root of this host would give it (hostKeyOf). Undefined outside the roots otherwise.
   */
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
  /**
   * Sets the question asked before each save of the embedded index (indexSizePrompts.ts): given
   * the index size in bytes, it resolves true to save now, false to leave it unsaved until the next
   * pass. Without one every save goes ahead. Disposing the returned disposable removes it.
   */
  confirmSaves(ask: SaveQuestion): vscode.Disposable;
}

/** The question asked before a save: the index size in bytes in, true to save now. */
export type SaveQuestion = (sizeBytes: number) => Promise<boolean>;

export type IndexState = { kind: 'starting' } | { kind: 'indexing'; progress: IndexProgress | undefined } | { kind: 'idle' } | { kind: 'failed'; message: string };

const SAVE_DELAY_MS = 2000;
/** Run folders a full pass indexes (and shows) before it walks every folder: about a screenful of runs. */
const FIRST_SLICE = 6;

/**
 * Opens the index (databaseLocation.ts), starts the first full pass and the watchers, and returns
 * the service; disposing it stops the watchers and, after anything still queued, the index client.
 */
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

  // A shared PostgreSQL index has nothing to save, and the views also refresh when another indexer
  // commits a folder (LISTEN/NOTIFY).
  const { client, databaseFile, shared } = openIndexStore(context, settings, (keys) => changeEmitter.fire({ report: REMOTE_CHANGE, full: keys === undefined }));
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
    return shared ? withSource(all, undefined) : all;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  let askBeforeSave: SaveQuestion | undefined;
  /** Saves unless the question asked first says not now; rejects with the reason a save failed. */
  const saveIfConfirmed = async () => {
    if (askBeforeSave && !(await askBeforeSave(await client.sizeBytes()))) return;
    await client.save();
  };
  let saveTimer: NodeJS.Timeout | undefined;
  const scheduleSave = () => {
    if (!databaseFile) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void serialized(() => saveIfConfirmed().then(() => (lastError = undefined), onSaveFailed)), SAVE_DELAY_MS);
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

  const watchers = watchRunFolders({
    roots,
    extraFolders: () => extraFolders.list(),
    indexedFolderKeys: async () => (await client.analytics.listFolders()).map((f) => f.path),
    reindex: (onlyFolders) => void run(onlyFolders),
  });
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
    uriOf: (key, options = {}) => {
      const abs = absolutePathOf(roots(), key) ?? (shared && !options.rootsOnly ? existingHostPath(key) : undefined);
      return abs ? vscode.Uri.file(abs) : undefined;
    },
    keyOf: (uri) => {
      if (uri.scheme !== 'file') return undefined;
      const all = roots();
      const root = all.find((r) => isInside(r.absPath, uri.fsPath));
      if (root) return keyFor(all, root, path.relative(root.absPath, uri.fsPath));
      return shared ? hostKeyOf(os.hostname(), uri.fsPath) : undefined;
    },
    reindexAll: () => run(undefined),
    addRoot: async (folder) => {
      if (!workspaceRoots().some((r) => r.absPath === folder.fsPath) && (await extraFolders.add(folder.fsPath))) watchers.updateExtraFolders();
      return run(undefined);
    },
    extraFolders: () => extraFolders.list(),
    removeRoots: async (folders) => {
      if (!(await extraFolders.remove(folders))) return undefined;
      watchers.updateExtraFolders();
      return run(undefined);
    },
    cancel: () => client.cancelIndexing(),
    readOnlySql: (text, options) => client.readOnlySql(text, options),
    readOnlyDb: client.readOnlyKysely,
    backup: (destination, options) => client.backup(destination.fsPath, options),
    problems: () => client.analytics.listProblems(),
    roots,
    databaseLocation: () => databaseFile,
    confirmSaves: (ask) => {
      askBeforeSave = ask;
      return new vscode.Disposable(() => {
        if (askBeforeSave === ask) askBeforeSave = undefined;
      });
    },
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
      watchers.dispose();
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

/** The path a key of this host names (hostPathOf) when it is there: a host name two machines share must not open a wrong path. */
function existingHostPath(key: string): string | undefined {
  const abs = hostPathOf(os.hostname(), key);
  return abs && existsSync(abs) ? abs : undefined;
}

function workspaceRoots(): IndexRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, absPath: f.uri.fsPath }));
}
