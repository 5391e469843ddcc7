/**
 * The caller's side of the index worker: a Kysely instance whose queries run in the worker, the
 * analytics API over it, and the index operations as promises. Pure Node (worker_threads), so
 * the extension host and tests use the same code.
 */
import { Kysely } from 'kysely';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createAnalytics, type Analytics } from '../analytics/analytics';
import { remoteDialect } from '../db/remoteDialect';
import type { IndexDatabase } from '../db/schema';
import { readOnlyKysely } from '../sql/readOnlyKysely';
import { createSqlDoor, type QueryResult as ReadOnlyResult, type SqlQueryOptions } from '../sql/sqlDoor';
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
  /** User SQL through the SQL door (sqlDoor.ts): on a snapshot, never on the index itself. */
  readOnlySql(text: string, options: SqlQueryOptions): Promise<ReadOnlyResult>;
  /** Kysely whose queries go through the SQL door: what the extension API hands to other code. */
  readonly readOnlyKysely: Kysely<IndexDatabase>;
  sizeBytes(): Promise<number>;
  /**
   * Called when the worker stopped unexpectedly (out of memory, a crash) and a new one was started
   * on the same file; what was not saved is gone from the index and should be indexed again.
   */
  onRestart(listener: (message: string) => void): void;
  close(): Promise<void>;
}

export interface IndexWorkerOptions {
  /** V8 heap limits of the worker thread (tests set small ones). */
  resourceLimits?: ResourceLimits;
}

/** A worker that keeps dying is not restarted more often than this within RESTART_WINDOW_MS. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (p: IndexProgress) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts the worker and returns at once: requests queue in the worker behind the open, so callers
 * never wait for the wasm to load before they can issue queries.
 */
export function startIndexWorker(workerScript: string, file: string | undefined, workerOptions: IndexWorkerOptions = {}): IndexClient {
  const cancelFlag = new SharedArrayBuffer(4);
  const pending = new Map<number, Pending>();
  const restartListeners: Array<(message: string) => void> = [];
  const restarts: number[] = [];
  let nextId = 1;
  let failure: Error | undefined;
  let closing = false;
  // Changes whenever the index may have changed: the SQL door keeps its snapshot while it holds.
  let generation = 0;
  let worker = spawn();

  function spawn(): Worker {
    const started = new Worker(workerScript, { workerData: { cancelFlag } satisfies WorkerData, resourceLimits: workerOptions.resourceLimits });
    started.on('message', (message: WorkerReply) => {
      const entry = pending.get(message.id);
      if (!entry) return;
      if (message.kind === 'progress') return entry.onProgress?.(message.progress);
      pending.delete(message.id);
      if (message.kind === 'result') entry.resolve(message.result);
      else entry.reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
    });
    let cause: Error | undefined;
    started.on('error', (error: Error & { code?: string }) => {
      cause = new Error(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'The index worker ran out of memory.' : `The index worker failed: ${error.message}`);
    });
    started.on('exit', (code) => {
      const error = cause ?? new Error(`The index worker stopped (exit code ${code}).`);
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
      if (closing || started !== worker) return;
      const now = Date.now();
      while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        failure = new Error(`${error.message} It stopped ${MAX_RESTARTS} times within a minute and was not restarted again; reload the window.`);
        return;
      }
      restarts.push(now);
      generation++;
      worker = spawn();
      void call({ kind: 'open', file }).then(
        () => restartListeners.forEach((listener) => listener(`${error.message} It was restarted; what was not saved is indexed again.`)),
        // The new worker keeps the reason and tries the file again on the next pass.
        (reopen: Error) => restartListeners.forEach((listener) => listener(`${error.message} It was restarted but could not open the index: ${reopen.message}`)),
      );
    });
    return started;
  }

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
    dialect: remoteDialect(async (query) => unpackQueryResult(await call({ kind: 'query', sql: query.sql, parameters: query.parameters }))),
  });
  const door = createSqlDoor({
    sandboxScript: path.join(path.dirname(workerScript), 'sqlWorker.js'),
    snapshot: () => call({ kind: 'snapshot' }),
    generation: () => generation,
  });
  const index = async (options: WorkerIndexOptions, onProgress?: (p: IndexProgress) => void) => {
    generation++;
    try {
      return await call({ kind: 'index', options }, onProgress);
    } finally {
      generation++;
    }
  };
  return {
    kysely,
    analytics: createAnalytics(kysely),
    opened,
    reopen: async () => {
      generation++;
      return (await call({ kind: 'open', file })).notices;
    },
    index,
    cancelIndexing: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
    save: async () => void (await call({ kind: 'save' })),
    backup: async (destination, options) => void (await call({ kind: 'backup', destination, force: options?.force })),
    readOnlySql: (text, options) => door.query(text, options),
    readOnlyKysely: readOnlyKysely(door),
    sizeBytes: async () => (await call({ kind: 'size' })).bytes,
    onRestart: (listener) => void restartListeners.push(listener),
    close: async () => {
      closing = true;
      try {
        await door.close();
        await call({ kind: 'close' });
      } finally {
        await worker.terminate();
      }
    },
  };
}
