/** The extension's settings (contributes.configuration in package.json), read in one place. */
import * as vscode from 'vscode';

export interface Settings {
  /** Workspace-relative index file; empty = the workspace storage. */
  databasePath: string;
  maxDatabaseSizeMB: number;
  /** Folder names never searched for runs, in addition to .git, node_modules, .cache… */
  excludeFolderNames: string[];
  hoversEnabled: boolean;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('scenarioLab');
  return {
    databasePath: config.get<string>('databasePath', '').trim(),
    maxDatabaseSizeMB: config.get<number>('maxDatabaseSizeMB', 1024),
    excludeFolderNames: config.get<string[]>('excludeFolders', []),
    hoversEnabled: config.get<boolean>('hovers.enabled', true),
  };
}
