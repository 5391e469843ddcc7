/**
 * What a streamed full pass into a shared PostgreSQL index remembers of the run folders it has
 * seen, held by the server instead of the indexer: a temporary table of their keys (on the
 * pass's own connection, gone with it), so that finding the stored folders that are no longer
 * there costs the indexer one page of keys at a time, however many runs the index holds.
 */
import type pg from 'pg';

const TABLE = 'sl_pass_present';

/** Rows of the removal query per round trip. */
const REMOVED_PAGE = 1000;

/** Creates (or empties) the pass's key table on this connection. */
export async function startPassKeys(client: pg.ClientBase): Promise<void> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${TABLE} (path text PRIMARY KEY)`);
  await client.query(`TRUNCATE ${TABLE}`);
}

/** Records run folder keys the walk found (any number of times). */
export async function addPassKeys(client: pg.ClientBase, keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await client.query(`INSERT INTO ${TABLE} SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [keys]);
}

/**
 * The keys of this source's stored folders the walk did not find, in key order, a page at a
 * time: the caller may remove each page's folders before it asks for the next.
 */
export async function* goneKeys(client: pg.ClientBase, source: string): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const { rows } = await client.query<{ path: string }>(
      `SELECT path FROM sl_folders f WHERE left(path, length($1)) = $1 AND path > $2
         AND NOT EXISTS (SELECT 1 FROM ${TABLE} p WHERE p.path = f.path) ORDER BY path LIMIT ${REMOVED_PAGE}`,
      [`${source}/`, after],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.path);
    after = rows[rows.length - 1].path;
  }
}

/** Drops the key table (the connection goes back to the pool); a broken connection is left as it is. */
export async function endPassKeys(client: pg.ClientBase): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => undefined);
}
