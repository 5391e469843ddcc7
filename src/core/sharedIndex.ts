/**
 * A shared index in PostgreSQL: the same analytics as the embedded index (scenarioIndex.ts), with
 * indexing that writes each run folder in its own transaction (indexer/postgres/indexPg.ts).
 * Nothing is held in memory between calls and nothing needs saving: every commit is visible to
 * every other connection at once.
 */
import * as os from 'node:os';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createAnalytics, type Analytics } from './analytics/analytics';
import { metricsCsv } from './analytics/csv';
import type { MetricFilters } from './analytics/types';
import { createPool, databaseSize, ensureSchema, kyselyFor, redactUrl } from './db/postgres/connection';
import type { IndexDatabase } from './db/schema';
import type { IndexRoot } from './folderKeys';
import type { IndexOptions, IndexReport } from './indexer/indexer';
import { indexRootsPg } from './indexer/postgres/indexPg';
import { readerSource } from './indexer/reader/readerSource';

/** The reader thread's heap cap (MB): it holds one chunk of a pass (indexPg.ts CHUNK_FOLDERS) and a few folders read ahead. */
const READER_HEAP_MB = 192;

export interface SharedIndex {
  readonly engine: 'postgres';
  readonly kysely: Kysely<IndexDatabase>;
  readonly analytics: Analytics;
  readonly notices: string[];
  /** The database URL without its password. */
  readonly url: string;
  readonly pool: pg.Pool;
  /** Indexes the roots under `source` (see IndexRoot.source); roots that carry a source keep it. */
  index(options: IndexOptions & { source?: string }): Promise<IndexReport>;
  exportCsv(filters?: MetricFilters): Promise<string>;
  /** Size of the database in bytes, as PostgreSQL counts it. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export interface SharedIndexOptions {
  /** dist/readWorker.js: big passes read and parse on a thread of their own. */
  readWorkerScript?: string;
  /** Create the schema in an empty database (the index command); other commands only read. */
  create?: boolean;
  /** A password from elsewhere (VS Code's SecretStorage); else the URL's, PGPASSWORD's or ~/.pgpass's. */
  password?: string;
}

/** The default source of a folder given on this machine: `host:/absolute/folder`. */
export function defaultSource(absPath: string): string {
  return `${os.hostname()}:${absPath}`;
}

/** The roots with their source: the one given, else each folder's default. */
export function withSource(roots: readonly IndexRoot[], source: string | undefined): IndexRoot[] {
  if (source !== undefined) return roots.map((r) => ({ ...r, source: r.source ?? source }));
  return roots.map((r) => ({ ...r, source: r.source ?? defaultSource(r.absPath) }));
}

/**
 * Connects and checks (or, with `create`, creates) the schema. Throws with the server's message
 * (password redacted) when the database cannot be reached or holds something else.
 */
export async function openSharedIndex(url: string, options: SharedIndexOptions = {}): Promise<SharedIndex> {
  const pool = createPool(url, options.password !== undefined ? { password: options.password } : {});
  // An idle client's error (the server went away) must not end the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await ensureSchema(pool, { create: options.create ?? false });
  } catch (error) {
    await pool.end();
    throw new Error(`${redactUrl(url)}: ${(error as Error).message}`);
  }
  return sharedIndexOn(pool, url, options);
}

/**
 * The index over a pool whose schema is checked (or is being checked: ensureSchema()), for callers
 * that must hand out the analytics before connecting (the VS Code window).
 */
export function sharedIndexOn(pool: pg.Pool, url: string, options: Pick<SharedIndexOptions, 'readWorkerScript'> = {}): SharedIndex {
  const kysely = kyselyFor(pool);
  const analytics = createAnalytics(kysely);
  const folderSource = options.readWorkerScript ? readerSource(options.readWorkerScript, { maxHeapMb: READER_HEAP_MB }) : undefined;
  return {
    engine: 'postgres',
    kysely,
    analytics,
    notices: [],
    url: redactUrl(url),
    pool,
    index: async ({ source, ...indexOptions }) => {
      // Several roots with default sources are indexed one source at a time.
      const roots = withSource(indexOptions.roots, source);
      const sources = [...new Set(roots.map((r) => r.source))];
      let total: IndexReport | undefined;
      for (const s of sources) {
        const report = await indexRootsPg(pool, { folderSource, ...indexOptions, roots: roots.filter((r) => r.source === s) });
        total = total ? addReports(total, report) : report;
      }
      return total!;
    },
    exportCsv: async (filters = {}) => metricsCsv(await analytics.queryMetrics(filters)),
    sizeBytes: () => databaseSize(kysely),
    close: () => kysely.destroy(),
  };
}

function addReports(a: IndexReport, b: IndexReport): IndexReport {
  return {
    foldersSeen: a.foldersSeen + b.foldersSeen, foldersIndexed: a.foldersIndexed + b.foldersIndexed, foldersRemoved: a.foldersRemoved + b.foldersRemoved,
    foldersUnchanged: a.foldersUnchanged + b.foldersUnchanged, pendingFolders: [...a.pendingFolders, ...b.pendingFolders], filesRead: a.filesRead + b.filesRead,
    bytesRead: a.bytesRead + b.bytesRead, problems: b.problems, cancelled: a.cancelled || b.cancelled, scenarios: a.scenarios + b.scenarios, durationMs: a.durationMs + b.durationMs,
  };
}
