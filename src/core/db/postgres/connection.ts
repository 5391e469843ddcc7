/**
 * Connecting to a shared PostgreSQL index: the pool, its Kysely instance, and the schema.
 *
 * Values come back in the shapes the sql.js engine gives the analytics (so both engines answer
 * alike): timestamps as Scenario Lab's SQLite text (`YYYY-MM-DD HH:MM:SS.ffffff`), JSON columns
 * as their stored text, counts and sums (int8, numeric) as numbers. Passwords come from the URL,
 * `PGPASSWORD` or `~/.pgpass` (pg reads both itself), never from our settings.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { POSTGRES_INDEX_NAMES, postgresIndexChanges, SCHEMA_VERSION, schemaStatements, schemaUpgrade, type IndexDatabase } from '../schema';

/** True for a `postgres://` or `postgresql://` URL (anything else is an index file path). */
export function isPostgresUrl(target: string | undefined): target is string {
  return target !== undefined && /^postgres(ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Scenario Lab's SQLite text for a timestamp: six fractional digits, always. */
export function sqliteTimestamp(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(6, '0').slice(0, 6)}`;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case pg.types.builtins.TIMESTAMP:
        return sqliteTimestamp;
      case pg.types.builtins.JSON:
        return (text: string) => text;
      case pg.types.builtins.INT8:
      case pg.types.builtins.NUMERIC:
        return Number;
      default:
        return pg.types.getTypeParser(oid, format as 'text');
    }
  },
};

/**
 * A pool with our value parsers; `extra` is pg's pool/client configuration (e.g. `password`).
 * Sessions run without JIT compilation (`jit=off`, unless the URL's `options` say otherwise): it
 * compiles a plan once its estimated cost passes 100,000, which the scenario-wide analytics reach
 * near 10,000 runs, and costs 50-300 ms, more than those queries take (JIT pays off for queries of
 * seconds, which the views never send).
 */
export function createPool(url: string, extra: pg.PoolConfig = {}): pg.Pool {
  return new pg.Pool({ connectionString: url, types, max: 4, application_name: 'scenario-lab', options: '-c jit=off', Client: TextSafeClient, ...extra });
}

/**
 * A parameter as PostgreSQL can hold it: text cannot contain U+0000 (PostgreSQL refuses the whole
 * statement, and so the whole run folder whose text carried one), so each becomes U+FFFD, the
 * replacement character; arrays (the writers' unnest() columns) are mapped the same way. The
 * embedded index keeps U+0000 as the file has it: this is where the two engines differ.
 */
export function postgresParam(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value;
  if (Array.isArray(value)) return value.map(postgresParam);
  return value;
}

/** pg's Client with every parameter passed through postgresParam (Kysely and the writers call query(text, values)). */
class TextSafeClient extends pg.Client {
  // pg's query() has many overloads; parameters sit in the second argument or in a config object's `values`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    if (Array.isArray(args[1])) args[1] = args[1].map(postgresParam);
    else if (args[0] && typeof args[0] === 'object' && typeof args[0].submit !== 'function' && Array.isArray(args[0].values)) args[0] = { ...args[0], values: args[0].values.map(postgresParam) };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (super.query as (...a: any[]) => any)(...args);
  }
}

export function kyselyFor(pool: pg.Pool): Kysely<IndexDatabase> {
  return new Kysely<IndexDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** A lock every indexer takes while it creates the schema, so two first indexers do not race. */
const SCHEMA_LOCK = 0x5c1ab;

/**
 * Creates the schema in an empty database, or checks the one there. Throws when the database holds
 * tables of another program (Scenario Lab's own, without ours) or an index of another schema
 * version: a shared database is never dropped or rebuilt behind its other users' backs. With
 * `create`, an index of this version also gets the PostgreSQL-only indexes it lacks (schemaPostgres.ts).
 *
 * An index of the version schemaUpgrade() upgrades in place is upgraded by whoever opens it first,
 * reader or writer: the upgrade only adds our own tables, filled from the rows already there, and
 * without them no scenario view of this version could answer. It holds the schema lock (other
 * openers wait) and blocks writers of the tables it reads while it runs: once per database.
 */
export async function ensureSchema(pool: pg.Pool, options: { create: boolean }): Promise<void> {
  const client = await pool.connect();
  let upgraded = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const tables = new Set(
      (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")).rows.map((r) => r.name),
    );
    if (tables.has('schema_version') && tables.has('sl_folders')) {
      const found = (await client.query<{ version: number }>('SELECT max(version) AS version FROM schema_version')).rows[0]?.version;
      const upgrade = found === SCHEMA_VERSION ? undefined : schemaUpgrade(found, 'postgres');
      if (upgrade) {
        try {
          for (const statement of upgrade) await client.query(statement);
          await client.query('INSERT INTO schema_version (version, created) VALUES ($1, LOCALTIMESTAMP)', [SCHEMA_VERSION]);
        } catch (error) {
          // A reviewer's read-only role meets an index nobody with write rights has opened since the upgrade shipped.
          if ((error as { code?: string }).code === '42501') {
            throw new Error(`This database holds a Scenario Lab index of schema version ${found}, which this scenario-lab upgrades to ${SCHEMA_VERSION} in place on first open, but this role may not create tables (${(error as Error).message}). Open it once as a role that may (for example by running \`scenario-lab index <folders> --db <url>\` as the indexing user), then again.`);
          }
          throw error;
        }
        upgraded = true;
      } else if (found !== SCHEMA_VERSION) {
        throw new Error(`This database holds a Scenario Lab index of schema version ${found}, this scenario-lab writes version ${SCHEMA_VERSION}. Drop its tables (or use another database) and index again.`);
      }
      if (options.create) await ensurePostgresIndexes(client);
    } else if (tables.has('runs') || tables.has('sl_folders')) {
      throw new Error('This database already has a runs table that is not a scenario-lab index (Scenario Lab\'s own database?); scenario-lab leaves it untouched. Use another database.');
    } else if (!options.create) {
      throw new Error('This database holds no Scenario Lab index yet; run `scenario-lab index <folders> --db <url>` first.');
    } else {
      await client.query(schemaStatements('postgres'));
      await ensurePostgresIndexes(client);
      await client.query("INSERT INTO schema_version (version, created) VALUES ($1, LOCALTIMESTAMP)", [SCHEMA_VERSION]);
    }
    await client.query('COMMIT');
    // Outside the transaction (VACUUM refuses one): the new tables' statistics, and the visibility
    // map without which their index-only scans would read every table row anyway.
    if (upgraded) await client.query('VACUUM (ANALYZE) sl_scenario_metrics, sl_scenario_decisions');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Creates the PostgreSQL-only indexes the database lacks and drops the ones they supersede
 * (schemaPostgres.ts), in the caller's transaction. On a big existing index this takes a while
 * and holds off writers of those tables meanwhile: once per database.
 */
async function ensurePostgresIndexes(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY($1::text[])', [POSTGRES_INDEX_NAMES]);
  for (const statement of postgresIndexChanges(new Set(rows.map((r) => r.name)))) await client.query(statement);
}

/** Estimated size of the index in bytes (PostgreSQL's own count for the database). */
export async function databaseSize(db: Kysely<IndexDatabase>): Promise<number> {
  const { rows } = await sql<{ size: number }>`SELECT pg_database_size(current_database()) AS size`.execute(db);
  return Number(rows[0]?.size ?? 0);
}
