/**
 * `scenario-lab sql`: user SQL through the SQL door (src/core/sql/sqlDoor.ts), on a snapshot of
 * the index in a sandbox thread, with a time limit and a row limit.
 */
import * as path from 'node:path';
import { toCsv } from '../core/analytics/csv';
import type { ScenarioIndex } from '../core/scenarioIndex';
import { rawCellValue, rowObjects, toGridCell } from '../core/sql/resultGrid';
import type { SharedIndex } from '../core/sharedIndex';
import { sharedQuery } from '../core/sql/sharedQuery';
import { createSqlDoor, DEFAULT_SQL_TIMEOUT_MS, SqlError, SqlRefusedError, type QueryResult } from '../core/sql/sqlDoor';
import { CliFailure, UsageError } from './failures';
import { print, printData, printJson, warn } from './output';
import { textTable } from './textTable';

/** Rows shown by default: a table is read by a person, JSON and CSV by a program. */
export const SQL_TABLE_ROWS = 1_000;
export const SQL_DATA_ROWS = 1_000_000;

export interface SqlCommandOptions {
  json: boolean;
  csv: boolean;
  limit?: string;
  timeout?: string;
}

export async function sqlCommand(index: ScenarioIndex | SharedIndex, text: string, o: SqlCommandOptions): Promise<number> {
  if (o.json && o.csv) throw new UsageError('choose one of --json and --csv');
  const maxRows = o.limit === undefined ? (o.json || o.csv ? SQL_DATA_ROWS : SQL_TABLE_ROWS) : positiveNumber('--limit', o.limit, true);
  const timeoutMs = o.timeout === undefined ? DEFAULT_SQL_TIMEOUT_MS : Math.round(positiveNumber('--timeout', o.timeout, false) * 1000);
  const door =
    index.engine === 'postgres'
      ? { query: (sqlText: string, limits: { maxRows: number; timeoutMs: number }) => sharedQuery(index.pool, sqlText, limits), close: async () => undefined }
      : createSqlDoor({ sandboxScript: path.join(__dirname, 'sqlWorker.js'), snapshot: () => index.snapshot() });
  let result: QueryResult;
  try {
    result = await door.query(text, { maxRows, timeoutMs });
  } catch (error) {
    // The SQL is an argument: a refused or wrong statement is a bad argument (2); a query that
    // was stopped (time, memory) did not do what was asked (1).
    if (error instanceof SqlRefusedError || error instanceof SqlError) throw new CliFailure(error.message, 2);
    throw new CliFailure((error as Error).message, 1);
  } finally {
    await door.close();
  }
  if (o.json) printJson(rowObjects(result.columns, result.rows));
  else if (o.csv) printData(toCsv(result.columns, result.rows.map((row) => row.map(cell))));
  else print(textTable(result.columns, result.rows.map((row) => row.map(cell))));
  if (result.more) {
    const why = result.cutBy === 'bytes' ? 'the result is larger than a query may return' : 'raise --limit to see more';
    warn(`showing the first ${result.rows.length} rows; the query returned more (${why}).`);
  }
  return 0;
}

/** A cell as the grid copies it (rawCellValue): booleans, timestamps and json of a PostgreSQL index as text, BLOBs as `<N bytes>`. */
function cell(value: unknown): string | number | null {
  return rawCellValue(toGridCell(value));
}

function positiveNumber(option: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${option} needs a ${integer ? 'whole ' : ''}number ≥ 0, not '${text}'`);
  }
  return value;
}
