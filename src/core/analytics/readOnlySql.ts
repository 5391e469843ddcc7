/**
 * Runs SQL a user typed (CLI `sql`, the "Run SQL Query…" command) without letting it change the
 * index: SQLite's `query_only` pragma rejects every write, whatever the statement looks like.
 */
import type { SqlValue } from 'sql.js';
import type { SqlJsDatabase } from '../db/sqljs';

export interface QueryResult {
  columns: string[];
  rows: SqlValue[][];
}

/** Returns the result of the last statement that produced rows; throws SQLite's message on errors. */
export function runReadOnlySql(db: SqlJsDatabase, text: string, maxRows = 10_000): QueryResult {
  db.run('PRAGMA query_only = 1');
  try {
    const results = db.exec(text);
    const last = results[results.length - 1];
    return last ? { columns: last.columns, rows: last.values.slice(0, maxRows) } : { columns: [], rows: [] };
  } finally {
    endOpenTransaction(db);
    db.run('PRAGMA query_only = 0');
  }
}

/** A BEGIN in the user's text must not leave the index inside a transaction the indexer would then trip on. */
function endOpenTransaction(db: SqlJsDatabase): void {
  try {
    db.run('ROLLBACK');
  } catch {
    // no transaction was open: the normal case
  }
}
