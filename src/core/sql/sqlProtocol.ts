/**
 * Messages between the SQL door (sqlDoor.ts, in the caller's thread) and a sandbox thread
 * (sqlSandbox.ts) that holds a disposable snapshot of the index and runs the user's SQL on it.
 */
import type { SqlValue } from 'sql.js';

/** What a read-only query returns: the last statement that has result columns. */
export interface QueryResult {
  columns: string[];
  rows: SqlValue[][];
  /** True when the statement had more rows than were returned (the row or byte limit was hit). */
  more: boolean;
  /** Why rows were cut, for the "showing the first N" note: 'rows' or 'bytes'. */
  cutBy?: 'rows' | 'bytes';
}

export interface SandboxLimits {
  /** Most rows returned of the last statement; one more is read to know whether there are more. */
  maxRows: number;
  /** Most bytes (approximate: text length, blob size, 8 per number) of returned rows. */
  maxBytes: number;
}

export type SandboxRequest =
  | { kind: 'load'; bytes: Uint8Array; heapLimitBytes: number }
  | { kind: 'run'; id: number; text: string; parameters: readonly unknown[]; limits: SandboxLimits };

export type SandboxReply =
  | { kind: 'loaded' }
  | { kind: 'load-failed'; message: string }
  /** `reusable`: the snapshot connection is exactly as loaded (no refused or EXPLAIN statement was compiled). */
  | { kind: 'result'; id: number; result: QueryResult; reusable: boolean }
  | { kind: 'error'; id: number; message: string; refused: boolean };
