/**
 * Entry point of the Scenario Lab extension (bundled by esbuild into dist/extension.js).
 *
 * Activation only starts the index service (the worker does the indexing) and registers the
 * features; nothing waits for the first index pass, so activation stays cheap.
 */
import type { Kysely } from 'kysely';
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { IndexDatabase } from '../core/db/schema';
import { FEATURES } from './features';
import { createIndexService, type IndexChange, type IndexService } from './indexService';

/** The object `activate` returns; other extensions and notebooks reach it through `vscode.extensions.getExtension(id).exports`. */
export interface ScenarioLabApi {
  /** Version of this API's shape; bump it on incompatible changes (2: `analytics` carries no database handle any more; custom queries use `db`). */
  readonly version: 2;
  /** The analytics questions of Scenario Lab's database guide, over the live index (no database handle on it). */
  readonly analytics: Analytics;
  /**
   * Typed access to the index for custom queries. They run through the SQL door (a snapshot of the
   * index in a thread of its own, see src/core/sql/sqlDoor.ts): reads see everything, anything that
   * could change the index or the connection is refused, and each query has the door's time limit.
   * Transactions are refused: each query reads the snapshot of its moment, so a caller's `begin` and
   * `commit` could never bracket other work on the index.
   */
  readonly db: Kysely<IndexDatabase>;
  /** Resolves once the first index pass of the workspace is done. */
  readonly ready: Promise<void>;
  readonly onDidChangeIndex: IndexService['onDidChange'];
  /** The index file (open it with sqlite3 or Python); undefined when the index lives in memory only. */
  readonly indexFile: string | undefined;
}

/** Set while active: the unsaved index is written before VS Code disposes the extension. */
let flushIndex: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ScenarioLabApi {
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
  for (const register of FEATURES) context.subscriptions.push(...register(context, service));
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
