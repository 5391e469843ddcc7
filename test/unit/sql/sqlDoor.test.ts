/**
 * The SQL door on a real index of the sample workspace: every bypass of "read-only" we know of is
 * refused and leaves the index (and its connection) as it was; time-outs, cancel, row limits and
 * memory limits stop a query without stopping the index.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { createSqlDoor, SqlError, SqlRefusedError, SqlStoppedError, type SqlDoor } from '../../../src/core/sql/sqlDoor';
import { REPO_ROOT } from '../helpers/paths';

const SANDBOX = path.join(REPO_ROOT, 'dist', 'sqlWorker.js');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

/** Statements that would change the index or the connection, each spelled the way someone tried it. */
export const BYPASSES: ReadonlyArray<readonly [string, string]> = [
  ['the issue: query_only off, then delete', 'PRAGMA query_only = OFF; DELETE FROM decisions; SELECT COUNT(*) AS n FROM decisions'],
  ['query_only off spelled with comments and case', 'pRaGmA/* x */query_only\n=\tfalse ; delete from decisions'],
  ['writable_schema then a schema edit', "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'x' WHERE name = 'runs'"],
  ['writable_schema alone', 'PRAGMA writable_schema=1'],
  ['a write after a ; inside a string and a comment', "SELECT 'a;b' -- ; \n; DELETE FROM runs"],
  ['a write hidden after a block comment', 'SELECT 1 /* ; */ ; /**/DELETE/**/FROM/**/runs'],
  ['DELETE … RETURNING, which returns rows like a query', 'DELETE FROM decisions RETURNING id AS addr, id AS opcode'],
  ['UPDATE', "UPDATE runs SET status = 'x'"],
  ['INSERT … SELECT', 'INSERT INTO runs SELECT * FROM runs'],
  ['REPLACE', "REPLACE INTO schema_version(version) VALUES (99)"],
  ['DROP TABLE', 'DROP TABLE metrics'],
  ['DROP TABLE IF EXISTS of a missing table', 'DROP TABLE IF EXISTS no_such_table'],
  ['CREATE TABLE', 'CREATE TABLE x(a)'],
  ['CREATE TEMP TABLE (connection state)', 'CREATE TEMP TABLE t AS SELECT * FROM runs'],
  ['CREATE TEMP VIEW', 'CREATE TEMP VIEW v AS SELECT 1'],
  ['CREATE INDEX', 'CREATE INDEX i ON runs(status)'],
  ['CREATE TRIGGER', 'CREATE TEMP TRIGGER tr AFTER INSERT ON runs BEGIN SELECT 1; END'],
  ['ALTER TABLE', 'ALTER TABLE runs ADD COLUMN x'],
  ['ATTACH a file', "ATTACH DATABASE '/tmp/sl-sql-door-attach.db' AS other"],
  ['ATTACH in memory', "ATTACH ':memory:' AS mem"],
  ['DETACH', 'DETACH DATABASE main'],
  ['VACUUM', 'VACUUM'],
  ['VACUUM INTO a file', "VACUUM INTO '/tmp/sl-sql-door-vacuum.db'"],
  ['ANALYZE', 'ANALYZE'],
  ['REINDEX', 'REINDEX'],
  ['BEGIN (leaves a transaction open)', 'BEGIN'],
  ['BEGIN IMMEDIATE', 'BEGIN IMMEDIATE'],
  ['SAVEPOINT', 'SAVEPOINT s'],
  ['COMMIT', 'COMMIT'],
  ['PRAGMA journal_mode', 'PRAGMA journal_mode = OFF'],
  ['PRAGMA journal_mode through a schema name', 'PRAGMA main.journal_mode = MEMORY'],
  ['PRAGMA foreign_keys', 'PRAGMA foreign_keys = ON'],
  ['PRAGMA user_version', 'PRAGMA user_version = 7'],
  ['PRAGMA application_id', 'PRAGMA application_id = 7'],
  ['PRAGMA schema_version', 'PRAGMA schema_version = 1'],
  ['PRAGMA hard_heap_limit (would starve the connection)', 'PRAGMA hard_heap_limit = 1'],
  ['PRAGMA cache_size', 'PRAGMA cache_size = 1'],
  ['PRAGMA recursive_triggers', 'PRAGMA recursive_triggers = 1'],
  ['PRAGMA reverse_unordered_selects (changes answers)', 'PRAGMA reverse_unordered_selects = 1'],
  ['PRAGMA case_sensitive_like', 'PRAGMA case_sensitive_like = 1'],
  ['PRAGMA temp_store', 'PRAGMA temp_store = FILE'],
  ['PRAGMA optimize (runs ANALYZE)', 'PRAGMA optimize'],
  ['PRAGMA incremental_vacuum', 'PRAGMA incremental_vacuum'],
  ['PRAGMA wal_checkpoint', 'PRAGMA wal_checkpoint(TRUNCATE)'],
  ['a read-only looking first statement, a write second', 'SELECT 1; UPDATE metrics SET value = 0'],
  ['a write inside a CTE statement', 'WITH x AS (SELECT 1) DELETE FROM runs'],
  ['a write in a lower-case, newline-split statement', 'delete\nfrom\nruns\nwhere\n1'],
];

describe('SQL door', function () {
  this.timeout(60000);
  let index: ConnectedScenarioIndex;
  let door: SqlDoor;
  let counts: () => string;

  before(async () => {
    assert.ok(fs.existsSync(SANDBOX), 'dist/sqlWorker.js is built (npm run build)');
    index = await openConnectedScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
    door = createSqlDoor({ sandboxScript: SANDBOX, snapshot: () => index.snapshot() });
    // Everything a bypass could touch on the index's own connection: rows, schema, settings.
    counts = () =>
      JSON.stringify([
        index.db.exec('SELECT (SELECT COUNT(*) FROM decisions), (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM sqlite_schema), (SELECT group_concat(sql) FROM sqlite_schema)')[0].values,
        ['query_only', 'writable_schema', 'foreign_keys', 'journal_mode', 'user_version', 'cache_size', 'temp_store', 'recursive_triggers', 'reverse_unordered_selects'].map((p) => index.db.exec(`PRAGMA ${p}`)[0]?.values),
        index.db.exec('PRAGMA database_list')[0].values.length,
      ]);
  });
  after(async () => {
    await door.close();
    await index.close();
  });

  for (const [name, text] of BYPASSES) {
    it(`refuses ${name}`, async () => {
      const before = counts();
      await assert.rejects(door.query(text, { maxRows: 100 }), (error: Error) => error instanceof SqlRefusedError && /read-only/.test(error.message));
      assert.equal(counts(), before, 'the index and its connection are unchanged');
      // …and the next query reads the index as it was.
      const after = await door.query('SELECT COUNT(*) AS n FROM decisions', { maxRows: 10 });
      assert.equal(after.rows[0][0], index.db.exec('SELECT COUNT(*) FROM decisions')[0].values[0][0]);
      assert.ok(Number(after.rows[0][0]) > 0);
    });
  }

  it('never writes a file through ATTACH or VACUUM INTO', async () => {
    for (const file of ['/tmp/sl-sql-door-attach.db', '/tmp/sl-sql-door-vacuum.db']) fs.rmSync(file, { force: true });
    await assert.rejects(door.query("VACUUM INTO '/tmp/sl-sql-door-vacuum.db'", { maxRows: 1 }), SqlRefusedError);
    assert.ok(!fs.existsSync('/tmp/sl-sql-door-vacuum.db'));
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), 'sl-sql-door-attach.db')));
  });

  it('answers reads: several statements, ; inside strings and comments, table-valued pragmas, EXPLAIN', async () => {
    const last = await door.query("SELECT 1; SELECT 'a;b' AS s /* ; */ -- ;\n", { maxRows: 10 });
    assert.deepEqual(last, { columns: ['s'], rows: [['a;b']], more: false });
    const info = await door.query("SELECT name FROM pragma_table_info('runs') WHERE pk = 1", { maxRows: 10 });
    assert.deepEqual(info.rows, [['id']]);
    const plan = await door.query('EXPLAIN QUERY PLAN SELECT * FROM runs', { maxRows: 10 });
    assert.deepEqual(plan.columns, ['id', 'parent', 'notused', 'detail']);
    const bound = await door.query('SELECT COUNT(*) FROM runs WHERE status = ?', { maxRows: 1, parameters: ['completed'] });
    assert.ok(Number(bound.rows[0][0]) > 0);
  });

  it('reports SQL errors as SQLite words them', async () => {
    await assert.rejects(door.query('SELECT * FROM no_such_table', { maxRows: 1 }), (e: Error) => e instanceof SqlError && /no such table: no_such_table/.test(e.message));
  });

  it('cuts a result at the row limit and says there were more', async () => {
    const result = await door.query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000000) SELECT x FROM c', { maxRows: 1000 });
    assert.equal(result.rows.length, 1000);
    assert.equal(result.more, true);
    assert.equal(result.cutBy, 'rows');
    const exact = await door.query('SELECT id FROM runs', { maxRows: 10 });
    assert.equal(exact.more, false);
  });

  it('cuts a result at the byte limit', async () => {
    const result = await door.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000) SELECT printf('%.1000c', 'x') FROM c", { maxRows: 1e6, maxBytes: 1e6 });
    assert.equal(result.more, true);
    assert.equal(result.cutBy, 'bytes');
    assert.ok(result.rows.length < 1000);
  });

  it('stops a query that never ends at its time limit, and answers the next one at once', async () => {
    const started = Date.now();
    await assert.rejects(door.query(FOREVER, { maxRows: 10, timeoutMs: 500 }), (e: Error) => e instanceof SqlStoppedError && e.reason === 'timeout' && /longer than 0\.5 s/.test(e.message));
    assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
    const next = await door.query('SELECT COUNT(*) FROM runs', { maxRows: 1 });
    assert.equal(next.rows[0][0], 10);
  });

  it('stops a query when it is cancelled', async () => {
    const abort = new AbortController();
    const running = door.query(FOREVER, { maxRows: 10, timeoutMs: 0, signal: abort.signal });
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(running, (e: Error) => e instanceof SqlStoppedError && e.reason === 'cancelled');
    assert.equal((await door.query('SELECT 2', { maxRows: 1 })).rows[0][0], 2);
  });

  it('bounds memory: SQLite allocations hit the heap limit, JavaScript ones end the sandbox, never the caller', async () => {
    await assert.rejects(door.query('SELECT randomblob(900000000)', { maxRows: 1 }), (e: Error) => e instanceof SqlError && /more memory than a query may use/.test(e.message));
    const small = createSqlDoor({ sandboxScript: SANDBOX, snapshot: () => index.db.export(), jsHeapLimitMb: 16 });
    try {
      await assert.rejects(
        small.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 2000000) SELECT x, printf('%.200c', 'y') FROM c", { maxRows: 2_000_000, maxBytes: 4e9 }),
        (e: Error) => e instanceof SqlStoppedError && e.reason === 'memory',
      );
      assert.equal((await small.query('SELECT COUNT(*) FROM runs', { maxRows: 1 })).rows[0][0], 10);
    } finally {
      await small.close();
    }
  });
});
