/**
 * User SQL on a shared PostgreSQL index: the counterpart of the SQL door (sqlDoor.ts). There is
 * no snapshot to copy; instead the query runs in a READ ONLY transaction (PostgreSQL itself
 * refuses anything that would write), with a statement time-out, through a cursor from which
 * at most `maxRows` + 1 rows are fetched, and the transaction is rolled back afterwards.
 */
import type pg from 'pg';
import { SqlError, SqlRefusedError, SqlStoppedError } from './sqlDoor';
import type { QueryResult } from './sqlProtocol';

/** PostgreSQL's codes for "a read-only transaction cannot do this" and "canceled on time-out". */
const READ_ONLY_VIOLATION = '25006';
const QUERY_CANCELED = '57014';

/** One SELECT (or VALUES / WITH … SELECT); rejects like the SQL door: SqlRefusedError, SqlError, SqlStoppedError. */
export async function sharedQuery(pool: pg.Pool, text: string, limits: { maxRows: number; timeoutMs: number }): Promise<QueryResult> {
  const statement = text.trim().replace(/;\s*$/, '');
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(limits.timeoutMs))}`);
    try {
      await client.query(`DECLARE sl_user_query NO SCROLL CURSOR FOR ${statement}`);
      const fetched = await client.query({ text: `FETCH FORWARD ${limits.maxRows + 1} FROM sl_user_query`, rowMode: 'array' });
      const more = fetched.rows.length > limits.maxRows;
      return { columns: fetched.fields.map((f) => f.name), rows: fetched.rows.slice(0, limits.maxRows), more, ...(more ? { cutBy: 'rows' as const } : {}) };
    } catch (error) {
      const e = error as { code?: string; message: string };
      if (e.code === READ_ONLY_VIOLATION) throw new SqlRefusedError(`Refused: ${e.message} (the SQL door only reads).`);
      if (e.code === QUERY_CANCELED) throw new SqlStoppedError(`The query was stopped after ${limits.timeoutMs / 1000} s.`, 'timeout');
      throw new SqlError(`${e.message} (only one SELECT, VALUES or WITH … SELECT statement runs on a PostgreSQL index)`);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
