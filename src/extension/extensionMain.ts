/**
 * The extension itself (bundled by esbuild into dist/extensionMain.js, loaded by extension.ts once
 * VS Code has our tree views): starts the index service (the worker does the indexing) and registers
 * the features; nothing waits for the first index pass, so activation stays cheap.
 */
import * as vscode from 'vscode';
import type { ScenarioLabApi } from './api';
import { FEATURES } from './features';
import { createIndexService, type IndexChange } from './indexService';
import type { TreeViews } from './treeViews';

/** Set while active: the unsaved index is written before VS Code disposes the extension. */
let flushIndex: (() => Promise<void>) | undefined;

/** Starts the index service and every feature; `trees` are the views extension.ts created (each tree feature takes its own). */
export function activate(context: vscode.ExtensionContext, trees: TreeViews): ScenarioLabApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Scenario Lab', { log: true });
  const service = createIndexService(context);
  flushIndex = () => service.flush();
  context.subscriptions.push(
    log,
    service,
    service.onDidChange(async (change) => {
      log.info(describeIndexPass(change));
      for (const clash of await service.analytics.runIdClashes()) {
        log.warn(`Run id ${clash.runId} is used by ${clash.folders.length} folders (${clash.folders.join(', ')}): a resumed, parallel or copied run. They are merged into one run, as Scenario Lab's database does; each stays reachable by its folder.`);
      }
    }),
  );
  for (const register of FEATURES) context.subscriptions.push(...register(context, service, trees));
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms; indexing runs in a worker thread.`);
  return {
    version: 2,
    // The guide's questions are our own fixed reads and stay on the index; custom queries go through the door.
    analytics: service.analytics,
    db: service.readOnlyDb,
    ready: service.ready,
    onDidChangeIndex: service.onDidChange,
    indexFile: service.databaseLocation(),
  };
}

function describeIndexPass({ report, full }: IndexChange): string {
  const kind = full ? 'Full index pass' : 'Index update';
  return (
    `${kind}: ${report.foldersIndexed} folder(s) indexed, ${report.foldersUnchanged} unchanged, ${report.foldersRemoved} removed, ` +
    `${report.filesRead} files (${(report.bytesRead / 1e6).toFixed(1)} MB) in ${report.durationMs} ms; ${report.problems} problem(s).`
  );
}

/** VS Code waits for this promise before it disposes context.subscriptions (which stops the worker). */
export function deactivate(): Promise<void> | undefined {
  const flush = flushIndex;
  flushIndex = undefined;
  return flush?.();
}
