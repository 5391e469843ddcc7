/**
 * Where the index lives, and the client that opens it there: a shared PostgreSQL database
 * (`scenarioLab.database.url`), a file set by `scenarioLab.databasePath`, or a file in the
 * workspace storage. Decided once per activation; a changed setting applies after a reload.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startIndexWorker, type IndexClient } from '../core/worker/indexClient';
import { sharedDatabaseUrl, startSharedClient } from './sharedDatabase';
import type { Settings } from './settings';

export interface IndexStore {
  client: IndexClient;
  /** The embedded index file the worker saves to; undefined on a shared index or an index in memory only. */
  databaseFile: string | undefined;
  /** True on a shared PostgreSQL index: nothing to save, and every key starts with its folder's source. */
  shared: boolean;
}

/**
 * Opens the index where the settings say. A malformed `scenarioLab.database.url` is reported and
 * the embedded index used instead. `onRemoteChange` gets the folder keys another connection
 * committed to a shared index (undefined after a reconnect, when some may have been missed).
 */
export function openIndexStore(context: vscode.ExtensionContext, settings: Settings, onRemoteChange: (keys: string[] | undefined) => void): IndexStore {
  let sharedUrl: string | undefined;
  try {
    sharedUrl = sharedDatabaseUrl();
  } catch (error) {
    void vscode.window.showErrorMessage(`Scenario Lab: ${(error as Error).message}`);
  }
  if (sharedUrl) {
    const client = startSharedClient(context, sharedUrl, path.join(context.extensionPath, 'dist', 'readWorker.js'), onRemoteChange);
    return { client, databaseFile: undefined, shared: true };
  }
  const databaseFile = databaseFileFor(context, settings);
  return { client: startIndexWorker(path.join(context.extensionPath, 'dist', 'indexWorker.js'), databaseFile), databaseFile, shared: false };
}

/**
 * Default: the workspace storage (private to this machine). A workspace-relative setting shares
 * the index with others, but only in a trusted workspace, since it writes into the workspace.
 * Undefined when the storage is not on disk (a virtual workspace): the index then lives in memory.
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
