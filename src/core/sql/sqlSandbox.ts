/**
 * The sandbox thread of the SQL door (bundled to dist/sqlWorker.js): opens a snapshot of the index
 * as its own sql.js database and runs user SQL on it. Whatever the SQL does, it can only reach this
 * copy; the door terminates the thread on time-out, cancel or out-of-memory, and after any query
 * that could have changed the copy's connection state.
 */
import { parentPort } from 'node:worker_threads';
import type { SqlValue } from 'sql.js';
import { loadSqlJs, type SqlJsDatabase } from '../db/sqljs';
import type { QueryResult, SandboxLimits, SandboxReply, SandboxRequest } from './sqlProtocol';
import { checkStatements } from './statementCheck';
import { errorText } from '../text/errorText';
import { oneLine } from '../text/shortText';

const port = parentPort;
if (!port) throw new Error('sqlSandbox must run in a worker thread');
let db: SqlJsDatabase | undefined;

port.on('message', (request: SandboxRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});

async function handle(request: SandboxRequest): Promise<SandboxReply> {
  if (request.kind === 'load') {
    try {
      const SQL = await loadSqlJs();
      db = new SQL.Database(request.bytes);
      // Second lines of defence behind the statement check: no writes, temp data in SQLite's own
      // (limited) heap rather than in unbounded MEMFS files, and a ceiling on that heap.
      db.run(`PRAGMA query_only = 1; PRAGMA temp_store = MEMORY; PRAGMA hard_heap_limit = ${Math.floor(request.heapLimitBytes)}`);
      return { kind: 'loaded' };
    } catch (error) {
      return { kind: 'load-failed', message: errorText(error) };
    }
  }
  if (!db) return { kind: 'error', id: request.id, message: 'The SQL snapshot is not loaded.', refused: false };
  try {
    return runChecked(db, request.id, request.text, request.parameters, request.limits);
  } catch (error) {
    return { kind: 'error', id: request.id, message: errorText(error), refused: false };
  }
}

function runChecked(db: SqlJsDatabase, id: number, text: string, parameters: readonly unknown[], limits: SandboxLimits): SandboxReply {
  const verdicts = checkStatements(db, text);
  const refused = verdicts.find((v) => v.kind === 'refused');
  if (refused?.kind === 'refused') {
    return { kind: 'error', id, refused: true, message: `Refused: the index is read-only here, and this statement ${refused.reason}: ${oneLine(refused.sql, 120, '...')}` };
  }
  if (verdicts.length === 0) return { kind: 'result', id, result: { columns: [], rows: [], more: false }, reusable: true };
  if (parameters.length > 0 && verdicts.length > 1) throw new Error('Parameters can only be bound to a single statement.');
  let last: QueryResult = { columns: [], rows: [], more: false };
  for (const verdict of verdicts) {
    const result = runOne(db, verdict.sql, parameters, limits);
    if (result.columns.length > 0) last = result;
  }
  return { kind: 'result', id, result: last, reusable: verdicts.every((v) => v.kind === 'read') };
}

function runOne(db: SqlJsDatabase, sql: string, parameters: readonly unknown[], limits: SandboxLimits): QueryResult {
  const statement = db.prepare(sql);
  try {
    if (parameters.length > 0) statement.bind(parameters as SqlValue[]);
    const columns = statement.getColumnNames();
    const rows: SqlValue[][] = [];
    let bytes = 0;
    while (statement.step()) {
      if (rows.length >= limits.maxRows) return { columns, rows, more: true, cutBy: 'rows' };
      const row = statement.get();
      bytes += row.reduce<number>((n, v) => n + sizeOf(v), 0);
      if (bytes > limits.maxBytes) return { columns, rows, more: true, cutBy: 'bytes' };
      rows.push(row);
    }
    return { columns, rows, more: false };
  } finally {
    statement.free();
  }
}

function sizeOf(value: SqlValue): number {
  if (typeof value === 'string') return value.length * 2;
  if (value instanceof Uint8Array) return value.byteLength;
  return 8;
}
