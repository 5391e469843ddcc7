/**
 * One opened index: the analytics API and the operations that change or persist it. The CLI and
 * the index worker work through this; neither hands a database handle on (ScenarioIndex has none).
 */
import type { Kysely } from 'kysely';
import { createAnalytics, type Analytics } from './analytics/analytics';
import { metricsCsv } from './analytics/csv';
import type { MetricFilters } from './analytics/types';
import { runExclusive, runExclusiveInTurns } from './db/connectionLock';
import { backupIndex, closeIndex, openIndex, saveIndex } from './db/indexFile';
import type { IndexDatabase } from './db/schema';
import type { SqlJsDatabase } from './db/sqljs';
import { indexRoots, type IndexOptions, type IndexReport } from './indexer/indexer';
import { discoverOnThread, readerSource } from './indexer/reader/readerSource';

export interface ScenarioIndex {
  readonly engine: 'sqlite';
  readonly analytics: Analytics;
  /** Messages from opening (e.g. a corrupt index set aside and rebuilt). */
  readonly notices: string[];
  /** The file the index is saved to; undefined for an in-memory index. */
  readonly file: string | undefined;
  index(options: IndexOptions): Promise<IndexReport>;
  exportCsv(filters?: MetricFilters): Promise<string>;
  /**
   * Atomic save to `file` (no-op for an in-memory index). Refuses, writing nothing, when the index
   * was opened read-only or the file changed since it was loaded or last saved (IndexChangedError),
   * and in every case saveIndex refuses.
   */
  save(): Promise<void>;
  /** A copy at `destination`; an existing file only with `force`, and only an index of ours (see backupIndex). */
  backup(destination: string, options?: { force?: boolean }): Promise<void>;
  /**
   * A consistent copy of the database file's bytes (SQLite's serialisation of the connection), taken
   * under the connection lock so no index pass is half-written into it: what the SQL door reads.
   */
  snapshot(): Promise<Uint8Array>;
  /** Size of the database in bytes (what a save writes). */
  sizeBytes(): number;
  /** Frees the sql.js database and its prepared statements; the index is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * A ScenarioIndex with the connection under it, for the index worker (which runs the host's
 * analytics queries on `kysely`) and for tests that look at rows directly. The CLI's commands and
 * the extension never get one.
 */
export interface ConnectedScenarioIndex extends ScenarioIndex {
  readonly db: SqlJsDatabase;
  readonly kysely: Kysely<IndexDatabase>;
}

export interface ScenarioIndexOptions {
  /** dist/readWorker.js: big passes read and parse on a thread of their own (default: on this one). */
  readWorkerScript?: string;
  /** Never write, rename or create anything (see OpenIndexOptions.readOnly); save() then refuses. */
  readOnly?: boolean;
}

/** Opens (or creates) the index at `file`, or an in-memory one; see openIndex for what it refuses. */
export async function openScenarioIndex(file: string | undefined, options: ScenarioIndexOptions = {}): Promise<ScenarioIndex> {
  return openConnectedScenarioIndex(file, options);
}

/** openScenarioIndex with the connection: only for the index worker and tests. */
export async function openConnectedScenarioIndex(file: string | undefined, options: ScenarioIndexOptions = {}): Promise<ConnectedScenarioIndex> {
  const opened = await openIndex(file, { readOnly: options.readOnly });
  const folderSource = options.readWorkerScript ? readerSource(options.readWorkerScript) : undefined;
  const discoverer = options.readWorkerScript ? discoverOnThread(options.readWorkerScript) : undefined;
  const { db, kysely } = opened;
  const analytics = createAnalytics(kysely);
  return {
    engine: 'sqlite',
    db,
    kysely,
    analytics,
    notices: opened.notices,
    file,
    // Indexing writes with raw statements and holds the connection lock, which keeps Kysely
    // transactions out; between its batches (each one committed) the queries that waited run, so
    // readers see runs as their folders are indexed instead of waiting for the whole pass.
    index: (indexOptions) => runExclusiveInTurns(db, (turns) => indexRoots(db, { folderSource, discoverer, turns, ...indexOptions })),
    exportCsv: async (filters = {}) => metricsCsv(await analytics.queryMetrics(filters)),
    save: async () => {
      if (!file) return;
      if (options.readOnly) throw new Error(`The index at ${file} was opened read-only; nothing was saved.`);
      opened.stamp = await saveIndex(db, file, { expected: opened.stamp });
    },
    backup: (destination, backupOptions) => backupIndex(db, destination, backupOptions),
    snapshot: () => runExclusive(db, async () => db.export()),
    sizeBytes: () => {
      const [[pageCount, pageSize]] = db.exec('SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()')[0].values;
      return Number(pageCount) * Number(pageSize);
    },
    close: () => closeIndex(opened),
  };
}
