/**
 * User SQL on a shared PostgreSQL index: the counterpart of the SQL door (sqlDoor.ts). There is
 * no snapshot to copy; instead the query runs in a READ ONLY transaction (PostgreSQL itself
 * refuses anything that would write), with a statement time-out, through a cursor from which
 * at most `maxRows` + 1 rows are fetched, and the transaction is rolled back afterwards.
 *
 * READ ONLY only stops writes to the database's tables, so three more lines hold:
 * - the user's text is only ever sent with the extended protocol, which takes one statement:
 *   a `; COPY … TO PROGRAM` after the query (no table write: READ ONLY lets it run) never runs;
 * - the plan (EXPLAIN VERBOSE, which names every function it calls) is refused when it calls a
 *   server function whose effect no rollback undoes (signalling backends, advisory locks,
 *   settings, statistics, files, WAL, other connections);
 * - the connection is closed afterwards, not returned to the pool, so session state a function
 *   of the database took out of sight of that list (a lock, a dblink connection) ends with it.
 */
import type pg from 'pg';
import { SqlError, SqlRefusedError, SqlStoppedError } from './sqlDoor';
import type { QueryResult } from './sqlProtocol';

/** PostgreSQL's codes for "a read-only transaction cannot do this" and "canceled on time-out". */
const READ_ONLY_VIOLATION = '25006';
const QUERY_CANCELED = '57014';
/** A cursor is only declared for a query: a DELETE, UPDATE, INSERT or MERGE fails there as a syntax error. */
const SYNTAX_ERROR = '42601';
/** "DECLARE CURSOR must not contain data-modifying statements in WITH". */
const FEATURE_NOT_SUPPORTED = '0A000';

const CURSOR = 'DECLARE sl_user_query NO SCROLL CURSOR FOR ';

/**
 * Built-in (and common extension) functions that act outside the transaction or on the session,
 * by name as EXPLAIN VERBOSE deparses them. Reading server files (pg_read_file) is reading and
 * left to the role's privileges.
 */
const SIDE_EFFECTS =
  /(?<![\w$])(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile\w*|pg_switch_wal|pg_switch_xlog|pg_create_restore_point|pg_stat_reset\w*|pg_advisory_\w+|pg_try_advisory_\w+|set_config|lo_\w+|lowrite|loread|dblink\w*|pg_file_\w+|pg_promote|pg_log_backend_memory_contexts|pg_replication_origin_\w+|pg_\w*replication_slot\w*|pg_logical_\w+|pg_backup_start|pg_backup_stop|pg_start_backup|pg_stop_backup|pg_wal_replay_\w+|pg_xlog_replay_\w+|pg_import_system_collations|pg_notify)\s*\(/i;

/** A plan's ModifyTable operation, as the refusal says it. */
const WRITES: Record<string, string> = { Insert: 'inserts rows', Update: 'updates rows', Delete: 'deletes rows', Merge: 'merges rows' };

/** One SELECT (or VALUES / WITH … SELECT); rejects like the SQL door: SqlRefusedError, SqlError, SqlStoppedError. */
export async function sharedQuery(pool: pg.Pool, text: string, limits: { maxRows: number; timeoutMs: number }): Promise<QueryResult> {
  const statement = text.trim().replace(/;\s*$/, '');
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(limits.timeoutMs))}`);
    const called = await sideEffectCalled(client, statement);
    if (called) throw new SqlRefusedError(`Refused: this statement calls ${called}(), whose effect lasts beyond the query (the SQL door only reads).`);
    try {
      await client.query(oneStatement(`${CURSOR}${statement}`));
      const fetched = await client.query({ text: `FETCH FORWARD ${limits.maxRows + 1} FROM sl_user_query`, rowMode: 'array' });
      const more = fetched.rows.length > limits.maxRows;
      return { columns: fetched.fields.map((f) => f.name), rows: fetched.rows.slice(0, limits.maxRows), more, ...(more ? { cutBy: 'rows' as const } : {}) };
    } catch (error) {
      const e = error as { code?: string; message: string; position?: string };
      if (e.code === SYNTAX_ERROR && /multiple commands/.test(e.message)) throw new SqlRefusedError('Refused: only one statement runs on a PostgreSQL index (one SELECT, VALUES or WITH … SELECT; the SQL door only reads).');
      if (e.code === READ_ONLY_VIOLATION) throw new SqlRefusedError(`Refused: ${e.message} (the SQL door only reads).`);
      if (e.code === QUERY_CANCELED) throw new SqlStoppedError(`The query was stopped after ${limits.timeoutMs / 1000} s.`, 'timeout');
      if (e.code === FEATURE_NOT_SUPPORTED && /data-modifying/.test(e.message)) throw new SqlRefusedError('Refused: this statement changes rows in a WITH clause (the SQL door only reads).');
      const writes = e.code === SYNTAX_ERROR ? await plannedWrite(client, statement) : undefined;
      if (writes) throw new SqlRefusedError(`Refused: this statement ${writes} (the SQL door only reads).`);
      const first = e.code === SYNTAX_ERROR ? firstWordIfNotQuery(statement, Number(e.position)) : undefined;
      if (first) throw new SqlRefusedError(`Refused: ${first} is not a query; on a PostgreSQL index the SQL door runs one SELECT, VALUES or WITH … SELECT, and only reads.`);
      throw new SqlError(`${e.message} (only one SELECT, VALUES or WITH … SELECT statement runs on a PostgreSQL index)`);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
  }
}

/**
 * The first function of SIDE_EFFECTS the statement's plan calls (lower case), or undefined (also
 * when it does not plan: the cursor then says why). Planning runs nothing; a failure is undone
 * by its savepoint so the transaction goes on.
 */
async function sideEffectCalled(client: pg.PoolClient, statement: string): Promise<string | undefined> {
  await client.query('SAVEPOINT sl_plan');
  try {
    for (const expression of strings(await explained(client, 'VERBOSE, FORMAT JSON', statement))) {
      // String literals could spell a name without calling it.
      const match = SIDE_EFFECTS.exec(expression.replace(/'(?:[^']|'')*'/g, "''"));
      if (match) return match[1].toLowerCase();
    }
    return undefined;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT sl_plan');
    return undefined;
  }
}

/**
 * The plan of `statement` as EXPLAIN (`options`, FORMAT JSON among them) gives it, parsed: one
 * statement only (oneStatement). Plans nothing it runs; throws when the statement does not plan.
 */
async function explained(client: pg.PoolClient, options: string, statement: string): Promise<unknown> {
  const result = await client.query<{ 'QUERY PLAN': unknown }>(oneStatement(`EXPLAIN (${options}) ${statement}`));
  // The pool may leave json values as text (the index reads Scenario Lab's JSON columns verbatim).
  const cell = result.rows[0]?.['QUERY PLAN'];
  return typeof cell === 'string' ? JSON.parse(cell) : cell;
}

/**
 * A query sent with the extended protocol, where PostgreSQL refuses more than one statement
 * ("cannot insert multiple commands into a prepared statement"); pg's types do not list the option yet.
 */
function oneStatement(text: string): pg.QueryConfig {
  return { text, queryMode: 'extended' } as pg.QueryConfig;
}

/** Every string in a parsed JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * What a statement that is no query would write, by PostgreSQL's own planner: EXPLAIN without
 * ANALYZE plans it and runs none of it (in a new READ ONLY transaction, the failed one rolled
 * back). Undefined when it plans no ModifyTable, or does not plan at all (DDL, a real syntax error).
 */
async function plannedWrite(client: pg.PoolClient, statement: string): Promise<string | undefined> {
  try {
    await client.query('ROLLBACK');
    await client.query('BEGIN READ ONLY');
    const plans = (await explained(client, 'FORMAT JSON', statement)) as Array<{ Plan?: { 'Node Type'?: string; Operation?: string } }> | undefined;
    const plan = plans?.[0]?.Plan;
    return plan?.['Node Type'] === 'ModifyTable' ? (WRITES[plan.Operation ?? ''] ?? 'changes rows') : undefined;
  } catch {
    return undefined;
  }
}

/** The statement's first word when the syntax error is there (1-based `position` in the cursor text): the statement is no query at all. */
function firstWordIfNotQuery(statement: string, position: number): string | undefined {
  const at = position - 1 - CURSOR.length;
  if (!Number.isInteger(at) || at < 0) return undefined;
  if (statement.slice(0, at).replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '') return undefined;
  return /^[A-Za-z_]+/.exec(statement.slice(at))?.[0].toUpperCase();
}
