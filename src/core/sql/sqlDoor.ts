/**
 * The SQL door: runs SQL a user typed (CLI `sql`, "Run SQL Query…", the extension API's `db`)
 * without any way to change the index. How read-only is enforced, by SQLite itself:
 *
 * 1. The SQL never reaches the index's connection. It runs on a snapshot (the index exported
 *    with SQLite's backup API) opened in a sandbox thread of its own; a bypass of every other
 *    line could only change that copy, which is thrown away.
 * 2. In the sandbox, each statement is compiled with EXPLAIN first and refused if its bytecode
 *    could write, change the schema, a transaction or the connection (statementCheck.ts).
 * 3. The sandbox connection runs with `query_only` on, temp data in SQLite's heap and a hard heap
 *    limit; the thread has V8 heap limits. A query that runs too long, is cancelled or runs out
 *    of memory ends with its thread (terminated); the index itself never waited for it.
 */
import { Worker } from 'node:worker_threads';
import type { QueryResult, SandboxLimits, SandboxReply, SandboxRequest } from './sqlProtocol';

export type { QueryResult } from './sqlProtocol';

/** The default time limit of one query (the 30 s; CLI `--timeout`, setting `scenarioLab.sql.timeoutSeconds`). */
export const DEFAULT_SQL_TIMEOUT_MS = 30_000;
/** Bytes of result rows a query may return before it is cut (also bounds what crosses threads). */
export const DEFAULT_SQL_MAX_BYTES = 256 * 1024 * 1024;
/** A sandbox unused this long is stopped, freeing its copy of the index. */
const IDLE_MS = 60_000;

export interface SqlDoorOptions {
  /** dist/sqlWorker.js. */
  sandboxScript: string;
  /**
   * A consistent copy of the index and the index's generation (any number that changes when the
   * index does): the door keeps a sandbox while the generation is unchanged.
   */
  snapshot: () => Promise<Uint8Array> | Uint8Array;
  generation?: () => number;
  /** SQLite heap of the sandbox (page cache, sorting, temp tables, result values); default 512 MB. */
  heapLimitMb?: number;
  /** V8 old-generation heap of the sandbox thread; default 1024 MB. */
  jsHeapLimitMb?: number;
}

export interface SqlQueryOptions {
  parameters?: readonly unknown[];
  maxRows: number;
  maxBytes?: number;
  /** Default DEFAULT_SQL_TIMEOUT_MS; 0 = no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Why a query ended without rows: each kind is a separate class so callers can pick exit codes and messages. */
export class SqlRefusedError extends Error {
  override name = 'SqlRefusedError';
}
export class SqlError extends Error {
  override name = 'SqlError';
}
export class SqlStoppedError extends Error {
  override name = 'SqlStoppedError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'cancelled' | 'memory' | 'crashed',
  ) {
    super(message);
  }
}

export interface SqlDoor {
  /**
   * Runs `text` (one or more statements; parameters need exactly one) on a snapshot. Resolves with
   * the last statement that has result columns. Rejects with SqlRefusedError (a statement could
   * change something), SqlError (SQLite's message) or SqlStoppedError (time-out, cancel, memory).
   * Queries run one at a time, in call order.
   */
  query(text: string, options: SqlQueryOptions): Promise<QueryResult>;
  /** Stops the sandbox thread; a later query starts a new one. */
  close(): Promise<void>;
}

interface Sandbox {
  worker: Worker;
  generation: number | undefined;
  /** Rejects the running request when the thread dies. */
  onExit?: (error: Error) => void;
}

export function createSqlDoor(options: SqlDoorOptions): SqlDoor {
  let sandbox: Sandbox | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | undefined;

  const stop = async (s: Sandbox | undefined) => {
    if (sandbox === s) sandbox = undefined;
    await s?.worker.terminate();
  };

  async function ready(): Promise<Sandbox> {
    const generation = options.generation?.();
    if (sandbox && generation !== undefined && sandbox.generation === generation) return sandbox;
    await stop(sandbox);
    const bytes = await options.snapshot();
    const worker = new Worker(options.sandboxScript, {
      resourceLimits: { maxOldGenerationSizeMb: options.jsHeapLimitMb ?? 1024, maxYoungGenerationSizeMb: 64 },
    });
    const created: Sandbox = { worker, generation };
    worker.on('error', (error) => created.onExit?.(stoppedBy(error)));
    worker.on('exit', (code) => created.onExit?.(new SqlStoppedError(`The SQL sandbox stopped unexpectedly (exit code ${code}).`, 'crashed')));
    worker.on('exit', () => {
      if (sandbox === created) sandbox = undefined;
    });
    const loaded = await exchange(created, { kind: 'load', bytes, heapLimitBytes: (options.heapLimitMb ?? 512) * 1024 * 1024 }, [bytes.buffer as ArrayBuffer]);
    if (loaded.kind !== 'loaded') throw new SqlError(`Could not open the index snapshot: ${loaded.kind === 'load-failed' ? loaded.message : loaded.kind}`);
    sandbox = created;
    return created;
  }

  async function run(text: string, q: SqlQueryOptions): Promise<QueryResult> {
    if (q.signal?.aborted) throw new SqlStoppedError('The query was cancelled.', 'cancelled');
    const s = await ready();
    const limits: SandboxLimits = { maxRows: q.maxRows, maxBytes: q.maxBytes ?? DEFAULT_SQL_MAX_BYTES };
    const id = nextId++;
    const timeoutMs = q.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // Time-out and cancel terminate the thread: SQLite's step loop cannot be interrupted otherwise
    // (sql.js has no sqlite3_interrupt), and the snapshot is disposable.
    const stopped = new Promise<never>((_, reject) => {
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          reject(new SqlStoppedError(`The query ran longer than ${formatSeconds(timeoutMs)} and was stopped.`, 'timeout'));
          void stop(s);
        }, timeoutMs);
      }
      onAbort = () => {
        reject(new SqlStoppedError('The query was cancelled.', 'cancelled'));
        void stop(s);
      };
      q.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const reply = await Promise.race([exchange(s, { kind: 'run', id, text, parameters: q.parameters ?? [], limits }), stopped]);
      if (reply.kind === 'result') {
        if (!reply.reusable) await stop(s);
        return reply.result;
      }
      if (reply.kind === 'error') {
        // Compiling a refused statement may have changed the snapshot connection (PRAGMAs apply
        // while they compile): the next query gets a fresh one.
        await stop(s);
        throw reply.refused ? new SqlRefusedError(reply.message) : new SqlError(describeSqliteError(reply.message));
      }
      throw new SqlError(`Unexpected reply from the SQL sandbox: ${reply.kind}`);
    } finally {
      clearTimeout(timer);
      if (onAbort) q.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    query: (text, q) => {
      clearTimeout(idleTimer);
      const next = queue.then(() => run(text, q));
      // An idle sandbox holds a whole copy of the index: let it go after a while.
      void next.finally(() => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => void queue.then(() => stop(sandbox)), IDLE_MS).unref();
      }).catch(() => undefined);
      queue = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      clearTimeout(idleTimer);
      await queue;
      await stop(sandbox);
    },
  };
}

/** One request, one reply; rejects when the thread dies first. */
function exchange(s: Sandbox, request: SandboxRequest, transfer: ArrayBuffer[] = []): Promise<SandboxReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: SandboxReply) => {
      s.worker.off('message', onMessage);
      s.onExit = undefined;
      resolve(reply);
    };
    s.onExit = (error) => {
      s.worker.off('message', onMessage);
      s.onExit = undefined;
      reject(error);
    };
    s.worker.on('message', onMessage);
    s.worker.postMessage(request, transfer);
  });
}

function stoppedBy(error: Error & { code?: string }): SqlStoppedError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return new SqlStoppedError('The query needed more memory than a query may use and was stopped.', 'memory');
  return new SqlStoppedError(`The SQL sandbox failed: ${error.message}`, 'crashed');
}

function describeSqliteError(message: string): string {
  return /out of memory/i.test(message) ? `The query needed more memory than a query may use (SQLite: ${message}).` : message;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
