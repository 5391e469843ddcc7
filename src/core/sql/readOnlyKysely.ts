/**
 * A Kysely instance whose queries go through the SQL door: what other extensions and notebooks get
 * as the API's `db`, so custom queries can read everything and change nothing; transactions are
 * refused, so a caller's begin/commit never interleave with the index's own work.
 */
import { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { remoteDialect } from '../db/remoteDialect';
import { SqlError, type SqlDoor } from './sqlDoor';

/** Rows one API query may return; more is an error (page with LIMIT/OFFSET) rather than a silent cut. */
export const API_MAX_ROWS = 1_000_000;

export function readOnlyKysely(door: SqlDoor): Kysely<IndexDatabase> {
  return new Kysely<IndexDatabase>({
    dialect: remoteDialect(async (query) => {
      const result = await door.query(query.sql, { parameters: query.parameters, maxRows: API_MAX_ROWS });
      if (result.more) throw new SqlError(`The query returned more than ${result.rows.length} rows; page it with LIMIT and OFFSET.`);
      const rows = result.rows.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])));
      return { rows };
    }, { transactions: false }),
  });
}
