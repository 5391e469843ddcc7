/**
 * The read-only SQL door on a PostgreSQL index (sharedQuery.ts): what a READ ONLY transaction does
 * not stop — a second statement after the query, server functions whose effect is not rolled back,
 * session state left on a pooled connection — is refused or cannot outlive the query.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { SqlRefusedError } from '../../../src/core/sql/sqlDoor';
import { sharedQuery } from '../../../src/core/sql/sharedQuery';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';

const LIMITS = { maxRows: 100, timeoutMs: 10_000 };

describe('sharedQuery: the SQL door on PostgreSQL', function () {
  this.timeout(60000);
  let url: string;
  let pool: pg.Pool;
  let dir: string;

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_door');
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await pool.query('CREATE TABLE runs (id integer PRIMARY KEY, status text); INSERT INTO runs VALUES (1, $$ok$$), (2, $$ok$$)');
    // The server (possibly another user) writes into this folder when a bypass works.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-door-'));
    fs.chmodSync(dir, 0o777);
  });
  after(async () => {
    if (pool) await pool.end();
    if (url) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a query', async () => {
    const result = await sharedQuery(pool, 'SELECT count(*)::int AS n FROM runs;', LIMITS);
    assert.deepEqual([result.columns, result.rows], [['n'], [[2]]]);
  });

  it('refuses a second statement after the query (COPY … TO PROGRAM is no write to the database, so READ ONLY lets it run)', async () => {
    const marker = path.join(dir, 'copied');
    for (const text of [`SELECT 1; COPY (SELECT 1) TO PROGRAM 'cat > ${marker}'`, `SELECT 1; COPY (SELECT 1) TO '${marker}'`, "SELECT ';'; SELECT 2"]) {
      await assert.rejects(sharedQuery(pool, text, LIMITS), text);
      assert.equal(fs.existsSync(marker), false, text);
    }
  });

  it('refuses server functions whose effect a rollback does not undo', async () => {
    const other = new pg.Client({ connectionString: url });
    other.on('error', () => undefined); // a terminated connection then fails the test below, not the run
    await other.connect();
    try {
      const { rows } = await other.query('SELECT pg_backend_pid() AS pid');
      for (const text of [
        `SELECT pg_terminate_backend(${rows[0].pid})`,
        `SELECT "pg_cancel_backend"(pid) FROM pg_stat_activity WHERE pid = ${rows[0].pid}`,
        'SELECT pg_catalog.PG_ADVISORY_LOCK(42)',
        'SELECT * FROM runs WHERE pg_try_advisory_lock(id)',
        'SELECT pg_reload_conf()',
        'SELECT pg_stat_reset()',
        "SELECT set_config('default_transaction_read_only', 'off', false)",
      ]) {
        await assert.rejects(sharedQuery(pool, text, LIMITS), SqlRefusedError, text);
      }
      assert.deepEqual((await other.query('SELECT 1 AS one')).rows, [{ one: 1 }], 'the other connection is still there');
      const locks = await other.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      assert.equal(locks.rows[0].n, 0, 'no advisory lock outlives the query');
    } finally {
      await other.end();
    }
  });

  it('leaves no session state on the pooled connection', async () => {
    // A function of the database (here a made-up one) can take a session lock the door cannot see by name.
    await pool.query('CREATE FUNCTION sl_lock_it() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM (SELECT pg_advisory_lock(7)) x $$');
    await sharedQuery(pool, 'SELECT sl_lock_it()', LIMITS).catch(() => undefined);
    const locks = await pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
    assert.equal(locks.rows[0].n, 0);
  });
});
