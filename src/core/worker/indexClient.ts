/**
 * The caller's side of the index worker: a Kysely instance whose queries run in the worker, the
 * analytics API over it, and the index operations as promises. Pure Node (worker_threads), so
 * the extension host and tests use the same code.
 */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  Kysely,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { Worker } from 'node:worker_threads';
import { createAnalytics, type Analytics } from '../analytics/analytics';
import type { QueryResult as ReadOnlyResult } from '../analytics/readOnlySql';
import type { IndexDatabase } from '../db/schema';
import type { IndexProgress, IndexReport } from '../indexer/indexer';
import { unpackQueryResult, type WorkerData, type WorkerIndexOptions, type WorkerReply, type WorkerRequest, type WorkerResults } from './protocol';

export interface IndexClient {
  readonly kysely: Kysely<IndexDatabase>;
  readonly analytics: Analytics;
  /**
   * Resolves when the worker has opened the database, with messages about files it set aside;
   * rejects with the reason when the file was refused (later index passes try it again).
   */
  readonly opened: Promise<string[]>;
  /** Drops the database in memory and loads the file again (after another program changed it). */
  reopen(): Promise<string[]>;
  index(options: WorkerIndexOptions, onProgress?: (progress: IndexProgress) => void): Promise<IndexReport>;
  /** Asks a running index() to stop after the folder it is reading; what was read so far is kept. */
  cancelIndexing(): void;
  save(): Promise<void>;
  /** See ScenarioIndex.backup: an existing destination only with `force`, and only an index of ours. */
  backup(destination: string, options?: { force?: boolean }): Promise<void>;
  readOnlySql(text: string): Promise<ReadOnlyResult>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (p: IndexProgress) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts the worker and returns at once: requests queue in the worker behind the open, so callers
 * never wait for the wasm to load before they can issue queries.
 */
export function startIndexWorker(workerScript: string, file: string | undefined): IndexClient {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(workerScript, { workerData: { cancelFlag } satisfies WorkerData });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  worker.on('message', (message: WorkerReply) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.kind === 'progress') return entry.onProgress?.(message.progress);
    pending.delete(message.id);
    if (message.kind === 'result') entry.resolve(message.result);
    else entry.reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new Error(`The index worker failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`The index worker stopped (exit code ${code}).`)));

  function call<K extends RequestBody['kind']>(body: Extract<RequestBody, { kind: K }>, onProgress?: (p: IndexProgress) => void): Promise<WorkerResults[K]> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      worker.postMessage({ ...body, id });
    });
  }

  const opened = call({ kind: 'open', file }).then((r) => r.notices);
  opened.catch(() => undefined); // the caller decides how to report it; never an unhandled rejection
  const kysely = new Kysely<IndexDatabase>({
    dialect: workerDialect(async (query) => unpackQueryResult(await call({ kind: 'query', sql: query.sql, parameters: query.parameters }))),
  });
  return {
    kysely,
    analytics: createAnalytics(kysely),
    opened,
    reopen: async () => (await call({ kind: 'open', file })).notices,
    index: (options, onProgress) => call({ kind: 'index', options }, onProgress),
    cancelIndexing: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
    save: async () => void (await call({ kind: 'save' })),
    backup: async (destination, options) => void (await call({ kind: 'backup', destination, force: options?.force })),
    readOnlySql: (text) => call({ kind: 'readOnlySql', text }),
    sizeBytes: async () => (await call({ kind: 'size' })).bytes,
    close: async () => {
      try {
        await call({ kind: 'close' });
      } finally {
        await worker.terminate();
      }
    },
  };
}

/** A Kysely dialect that compiles queries here and runs them in the worker. */
function workerDialect(run: (query: CompiledQuery) => Promise<QueryResult<unknown>>): Dialect {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => run(query) as Promise<QueryResult<R>>,
    streamQuery: () => {
      throw new Error('Streaming is not supported across the worker boundary; page with limit/offset.');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('begin'))),
    commitTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('commit'))),
    rollbackTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('rollback'))),
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
