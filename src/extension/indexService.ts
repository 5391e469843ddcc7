/**
 * The extension's one owner of the index: starts the index worker, decides which folders are
 * indexed and where the database lives, re-indexes what the watcher reports, saves (debounced),
 * and tells the features when data changed. Features only read through `analytics`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import { runFolderOfSidecar } from '../core/annotations/sidecarStore';
import type { IndexProblem } from '../core/analytics/types';
import { absolutePathOf, isInside, keyFor, type IndexRoot } from '../core/discover/discoverFolders';
import type { IndexProgress, IndexReport } from '../core/indexer/indexer';
import { DEFAULT_PENDING_WINDOW_MS } from '../core/indexer/readFolder';
import { startIndexWorker, type IndexClient } from '../core/worker/indexClient';
import type { QueryResult } from '../core/analytics/readOnlySql';
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
  /** Saves what is not saved yet, after any running index pass. */
  flush(): Promise<void>;
  /** Absolute index key → Uri of the file or folder on disk. */
  uriOf(key: string): vscode.Uri | undefined;
  /** Uri → index key (root-relative path), undefined outside the indexed roots. */
  keyOf(uri: vscode.Uri): string | undefined;
  reindexAll(): Promise<IndexReport | undefined>;
  /** Adds a folder outside the workspace folders to the indexed roots (Index Folder…). */
  addRoot(folder: vscode.Uri): Promise<IndexReport | undefined>;
  cancel(): void;
  readOnlySql(text: string): Promise<QueryResult>;
  backup(destination: vscode.Uri): Promise<void>;
  problems(): Promise<IndexProblem[]>;
  roots(): readonly IndexRoot[];
  databaseLocation(): string | undefined;
}

export type IndexState = { kind: 'starting' } | { kind: 'indexing'; progress: IndexProgress | undefined } | { kind: 'idle' } | { kind: 'failed'; message: string };

const SAVE_DELAY_MS = 2000;
const WATCH_DELAY_MS = 300;

export function createIndexService(context: vscode.ExtensionContext): IndexService & vscode.Disposable {
  let settings = readSettings();
  const extraRoots: IndexRoot[] = [];
  const changeEmitter = new vscode.EventEmitter<IndexChange>();
  const stateEmitter = new vscode.EventEmitter<IndexState>();
  let state: IndexState = { kind: 'starting' };
  const setState = (next: IndexState) => {
    state = next;
    stateEmitter.fire(next);
  };

  const databaseFile = databaseFileFor(context, settings);
  const client: IndexClient = startIndexWorker(path.join(context.extensionPath, 'dist', 'indexWorker.js'), databaseFile);
  void client.opened.then((notices) => notices.forEach((notice) => void vscode.window.showWarningMessage(`Scenario Lab: ${notice}`)));

  const roots = (): IndexRoot[] => [...workspaceRoots(), ...extraRoots];
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
    saveTimer = setTimeout(() => void serialized(() => saveWithSizeCheck(client, settings)), SAVE_DELAY_MS);
  };

  let pendingTimer: NodeJS.Timeout | undefined;
  const run = (onlyFolders: string[] | undefined) =>
    serialized(async () => {
      setState({ kind: 'indexing', progress: undefined });
      try {
        const report = await client.index(
          { roots: roots(), onlyFolders, include: settings.include, exclude: settings.exclude },
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
        void vscode.window.showErrorMessage(`Scenario Lab could not index the workspace: ${message}`);
        return undefined;
      }
    });

  const watcher = createRunWatcher((folders) => void run(folders), () => void run(undefined));
  const settingsListener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('scenarioLab')) return;
    const before = settings;
    settings = readSettings();
    if (before.include.join('\n') !== settings.include.join('\n') || before.exclude.join('\n') !== settings.exclude.join('\n')) void run(undefined);
  });
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
      if (!roots().some((r) => r.absPath === folder.fsPath)) extraRoots.push({ name: path.basename(folder.fsPath), absPath: folder.fsPath });
      return run(undefined);
    },
    cancel: () => client.cancelIndexing(),
    readOnlySql: (text) => client.readOnlySql(text),
    backup: (destination) => client.backup(destination.fsPath),
    problems: () => client.analytics.listProblems(),
    roots,
    databaseLocation: () => databaseFile,
    flush: () =>
      serialized(async () => {
        clearTimeout(saveTimer);
        if (databaseFile) await client.save().catch(() => undefined);
      }),
    dispose: () => {
      watcher.dispose();
      settingsListener.dispose();
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

async function saveWithSizeCheck(client: IndexClient, settings: Settings): Promise<void> {
  const bytes = await client.sizeBytes();
  const limit = settings.maxDatabaseSizeMB * 1024 * 1024;
  if (bytes > limit) {
    const choice = await vscode.window.showWarningMessage(
      `The Scenario Lab index is ${(bytes / 1048576).toFixed(0)} MB, above the ${settings.maxDatabaseSizeMB} MB limit (scenarioLab.maxDatabaseSizeMB). Save it anyway?`,
      'Save',
      'Not now',
    );
    if (choice !== 'Save') return;
  }
  try {
    await client.save();
  } catch (error) {
    void vscode.window.showErrorMessage(`Scenario Lab could not save its index: ${(error as Error).message}`);
  }
}

/**
 * One watcher for run files. Events arrive in bursts (a batch writing thousands of files, a git
 * checkout); they are coalesced per folder and handed over once the burst pauses.
 */
function createRunWatcher(onFolders: (folders: string[]) => void, onDefinitions: () => void): vscode.Disposable {
  // '**/*' rather than the run file extensions: deleting a folder reports only the folder, whose
  // name matches no extension glob. VS Code's workspace watcher already sees every path, so this
  // costs no extra watching, only events that `note` drops.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  const folders = new Set<string>();
  let definitionsChanged = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (definitionsChanged) onDefinitions();
    else if (folders.size > 0) onFolders([...folders]);
    folders.clear();
    definitionsChanged = false;
  };
  const note = (uri: vscode.Uri, deleted: boolean) => {
    if (uri.scheme !== 'file') return;
    if (/\.ya?ml$/i.test(uri.fsPath)) definitionsChanged = true;
    // An annotations sidecar belongs to the run folder above its .scenario-lab folder.
    else if (/\.(md|json)$/i.test(uri.fsPath)) folders.add(runFolderOfSidecar(uri.fsPath) ?? path.dirname(uri.fsPath));
    else if (deleted && !/\.[^./\\]+$/.test(path.basename(uri.fsPath))) folders.add(uri.fsPath); // a deleted run folder
    else return;
    clearTimeout(timer);
    timer = setTimeout(flush, WATCH_DELAY_MS);
  };
  const subscriptions = [
    watcher,
    watcher.onDidCreate((uri) => note(uri, false)),
    watcher.onDidChange((uri) => note(uri, false)),
    watcher.onDidDelete((uri) => note(uri, true)),
  ];
  return vscode.Disposable.from(...subscriptions, { dispose: () => clearTimeout(timer) });
}
