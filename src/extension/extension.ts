/**
 * Entry point of the Scenario Lab extension (dist/extension.js): small on purpose. It gives VS Code
 * our tree views first (treeViews.ts: VS Code shows "There is no data provider registered" in a view
 * it draws before that), and only then loads the rest (extensionMain.ts, its own bundle
 * dist/extensionMain.js, 2.4 MB of code that took 0.1–0.7 s to read and evaluate in a busy extension
 * host, up to 3 s, before activate() could even start).
 */
import * as vscode from 'vscode';
import type { ScenarioLabApi } from './api';
import { ContextKeys } from './constants';
import type * as Main from './extensionMain';
import { createTreeViews } from './treeViews';

export type { ScenarioLabApi } from './api';

let main: typeof Main | undefined;

/** Resolves to the extension's API (api.ts) once the whole extension has started. */
export async function activate(context: vscode.ExtensionContext): Promise<ScenarioLabApi> {
  const trees = createTreeViews(context);
  // The views' registrations wait in the extension host's send buffer until this thread is free, and
  // loading the rest blocks it. VS Code handles our messages in order, so once it has answered this
  // one it has the views too. (The index state it sets is the one the index service starts in.)
  await vscode.commands.executeCommand('setContext', ContextKeys.indexState, 'starting');
  // A separate bundle (esbuild.mjs keeps it out of this one): evaluated only now.
  main = require('./extensionMain.js') as typeof Main;
  return main.activate(context, trees);
}

/** VS Code waits for this promise (the unsaved index being written) before it disposes the extension. */
export function deactivate(): Promise<void> | undefined {
  return main?.deactivate();
}
