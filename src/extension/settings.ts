/** The extension's settings (contributes.configuration in package.json), read in one place. */
import * as vscode from 'vscode';

export interface Settings {
  /** Workspace-relative index file; empty = the workspace storage. */
  databasePath: string;
  maxDatabaseSizeMB: number;
  /** Globs of workspace-relative folders to look for runs in (default: the whole workspace). */
  include: string[];
  /** Globs of workspace-relative folders never searched, besides .git, node_modules, .cache… */
  exclude: string[];
  hoversEnabled: boolean;
  /** Time limit of one Run SQL Query… query in ms; 0 = none. */
  sqlTimeoutMs: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('scenarioLab', null);
  return {
    databasePath: config.get<string>('databasePath', '').trim(),
    maxDatabaseSizeMB: config.get<number>('maxDatabaseSizeMB', 1024),
    include: config.get<string[]>('include', []),
    exclude: config.get<string[]>('exclude', []),
    hoversEnabled: config.get<boolean>('hovers.enabled', true),
    sqlTimeoutMs: Math.max(0, config.get<number>('sql.timeoutSeconds', 30)) * 1000,
  };
}
