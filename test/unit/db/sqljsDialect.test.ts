import { strict as assert } from 'node:assert';
import { Kysely, sql } from 'kysely';
import type { Statement } from 'sql.js';
import { runExclusive } from '../../../src/core/db/connectionLock';
import { saveIndex } from '../../../src/core/db/indexFile';
import { schemaStatements, type IndexDatabase } from '../../../src/core/db/schema';
import { loadSqlJs, type SqlJsDatabase } from '../../../src/core/db/sqljs';
import { SqlJsDialect, toSqlParameter } from '../../../src/core/db/sqljsDialect';
import { insertRun, makeTempDir, removeDir } from './fixtures';
import * as path from 'node:path';

const HOSTILE = "'); DROP TABLE runs; --";

/** Counts prepares and frees on one Database, so tests can see the statement cache at work. */
function spyOnStatements(db: SqlJsDatabase): { prepared: string[]; freed: string[] } {
  const log = { prepared: [] as string[], freed: [] as string[] };
  const prepare = db.prepare.bind(db);
  db.prepare = (sqlText: string): Statement => {
    const statement = prepare(sqlText);
    log.prepared.push(sqlText);
    const free = statement.free.bind(statement);
    statement.free = () => {
      log.freed.push(sqlText);
      return free();
    };
    return statement;
  };
  return log;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SqlJsDialect', () => {
  let db: SqlJsDatabase;
  let kysely: Kysely<IndexDatabase>;

  beforeEach(async () => {
    const SQL = await loadSqlJs();
    db = new SQL.Database();
    db.exec(schemaStatements());
    kysely = new Kysely<IndexDatabase>({ dialect: new SqlJsDialect({ database: db }) });
  });

  afterEach(async () => {
    await kysely.destroy();
    db.close();
  });

  it('selects, inserts, updates and deletes with row counts and insert ids', async () => {
    await insertRun(kysely, 'run-1', 3);
    const turns = await kysely.selectFrom('turns').select(['id', 'turn_num', 'world_state']).orderBy('turn_num').execute();
    assert.deepEqual(turns, [
      { id: 1, turn_num: 1, world_state: 'state 1' },
      { id: 2, turn_num: 2, world_state: 'state 2' },
      { id: 3, turn_num: 3, world_state: 'state 3' },
    ]);

    const inserted = await kysely
      .insertInto('turns')
      .values({ run_id: 'run-1', turn_num: 4, timestamp: '2025-11-24 09:51:00.000000', world_state: null })
      .executeTakeFirstOrThrow();
    assert.equal(inserted.insertId, 4n);

    const updated = await kysely.updateTable('turns').set({ world_state: 'changed' }).where('turn_num', '>=', 3).executeTakeFirstOrThrow();
    assert.equal(updated.numUpdatedRows, 2n);

    const deleted = await kysely.deleteFrom('turns').where('turn_num', '=', 1).executeTakeFirstOrThrow();
    assert.equal(deleted.numDeletedRows, 1n);

    const counted = await kysely.selectFrom('turns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(counted.n, 3);
  });

  it('reports insert ids and row counts for raw SQL writes too', async () => {
    const insert = await sql`insert into sl_scenarios (dir, name, definition) values (${'d1'}, ${'n'}, ${'{}'})`.execute(kysely);
    assert.equal(insert.insertId, 1n);
    assert.equal(insert.numAffectedRows, 1n);
    const update = await sql`update sl_scenarios set name = ${'m'}`.execute(kysely);
    assert.equal(update.numAffectedRows, 1n);
    assert.equal(update.insertId, undefined);
  });

  it('reuses a cached statement after it failed', async () => {
    const insert = (id: string) => kysely.insertInto('sl_scenarios').values({ dir: id, name: 'n', definition: '{}' }).execute();
    await insert('a');
    await assert.rejects(insert('a'), /UNIQUE constraint failed/);
    await insert('b');
    assert.equal((await kysely.selectFrom('sl_scenarios').select('dir').execute()).length, 2);
  });

  it('returns rows from INSERT … RETURNING', async () => {
    const rows = await kysely
      .insertInto('sl_problems')
      .values([
        { folder_id: null, file: 'a.md', line: 1, severity: 'error', message: 'x' },
        { folder_id: null, file: 'b.md', line: 2, severity: 'warning', message: 'y' },
      ])
      .returning(['id', 'file'])
      .execute();
    assert.deepEqual(rows, [
      { id: 1, file: 'a.md' },
      { id: 2, file: 'b.md' },
    ]);
  });

  it('binds a hostile string as a value, never as SQL', async () => {
    await insertRun(kysely, HOSTILE, 1);
    const compiled = kysely.selectFrom('runs').selectAll().where('id', '=', HOSTILE).compile();
    assert.ok(!compiled.sql.includes('DROP'), compiled.sql);

    const viaBuilder = await kysely.selectFrom('runs').select('id').where('id', '=', HOSTILE).execute();
    assert.deepEqual(viaBuilder, [{ id: HOSTILE }]);
    const viaRawSql = await sql<{ id: string }>`select id from runs where id = ${HOSTILE}`.execute(kysely);
    assert.deepEqual(viaRawSql.rows, [{ id: HOSTILE }]);
    const tables = db.exec("select name from sqlite_schema where name = 'runs'");
    assert.equal(tables[0].values.length, 1);
  });

  it('converts parameters: booleans to 0/1, undefined to NULL, safe bigints to numbers', async () => {
    const row = await sql<Record<string, unknown>>`select ${true} as t, ${false} as f, ${undefined} as u, ${42n} as b, typeof(${42n}) as bt`.execute(kysely);
    assert.deepEqual(row.rows, [{ t: 1, f: 0, u: null, b: 42, bt: 'integer' }]);
    assert.deepEqual(toSqlParameter(new Uint8Array([1, 2])), new Uint8Array([1, 2]));
    assert.throws(() => toSqlParameter(2n ** 60n), RangeError);
    assert.throws(() => toSqlParameter([1, 2]), TypeError);
    assert.throws(() => toSqlParameter({ a: 1 }), TypeError);
  });

  it('rejects Date parameters instead of guessing a DATETIME format', async () => {
    await assert.rejects(sql`select ${new Date()} as d`.execute(kysely), /Date.*YYYY-MM-DD HH:MM:SS\.ffffff/);
  });

  it('rolls a transaction back when its callback throws, and stays usable', async () => {
    await assert.rejects(
      kysely.transaction().execute(async (trx) => {
        await insertRun(trx, 'doomed', 2);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await kysely.selectFrom('runs').select('id').execute(), []);
    assert.deepEqual(await kysely.selectFrom('turns').select('id').execute(), []);

    await kysely.transaction().execute((trx) => insertRun(trx, 'kept', 1));
    assert.deepEqual(await kysely.selectFrom('runs').select('id').execute(), [{ id: 'kept' }]);
  });

  it('serialises concurrent transactions and queries', async () => {
    await kysely.insertInto('sl_scenarios').values({ dir: 'counter', name: '0', definition: '{}' }).execute();
    const log: string[] = [];
    const increment = (who: string) =>
      kysely.transaction().execute(async (trx) => {
        log.push(`${who} start`);
        const { name } = await trx.selectFrom('sl_scenarios').select('name').where('dir', '=', 'counter').executeTakeFirstOrThrow();
        await delay(20); // another transaction would run here if the connection were not exclusive
        await trx.updateTable('sl_scenarios').set({ name: String(Number(name) + 1) }).where('dir', '=', 'counter').execute();
        log.push(`${who} end`);
      });
    const transactions = Promise.all([increment('A'), increment('B')]);
    await delay(5); // both transactions have asked for the connection by now; A holds it
    const outside = kysely.selectFrom('sl_scenarios').select('name').executeTakeFirstOrThrow();
    await Promise.all([transactions, outside]);

    assert.deepEqual(log, ['A start', 'A end', 'B start', 'B end']);
    const { name } = await kysely.selectFrom('sl_scenarios').select('name').executeTakeFirstOrThrow();
    assert.equal(name, '2');
    assert.equal((await outside).name, '2', 'the plain query waited for both transactions');
  });

  it('supports savepoints in controlled transactions, quoting their names', async () => {
    const trx = await kysely.startTransaction().execute();
    await insertRun(trx, 'before', 1);
    const withSavepoint = await trx.savepoint('it"s').execute();
    await insertRun(withSavepoint, 'after', 1);
    const back = await withSavepoint.rollbackToSavepoint('it"s').execute();
    await back.releaseSavepoint('it"s').execute();
    await trx.commit().execute();
    assert.deepEqual(await kysely.selectFrom('runs').select('id').execute(), [{ id: 'before' }]);
  });

  it('streams rows in chunks', async () => {
    await kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 250; i++) {
        await trx.insertInto('sl_problems').values({ folder_id: null, file: `f${i}`, line: i, severity: 'info', message: 'm' }).execute();
      }
    });
    let count = 0;
    for await (const row of kysely.selectFrom('sl_problems').select('line').orderBy('line').stream(100)) {
      assert.equal(row.line, count);
      count++;
    }
    assert.equal(count, 250);

    for await (const row of kysely.selectFrom('sl_problems').select('line').stream(10)) {
      assert.equal(typeof row.line, 'number');
      break; // leaving early must free the statement and release the connection
    }
    assert.equal((await kysely.selectFrom('sl_problems').select('line').where('line', '=', 7).execute()).length, 1);
  });

  describe('statement cache', () => {
    it('prepares each SQL text once and rebinds it', async () => {
      const spy = spyOnStatements(db);
      for (const id of ['a', 'b', HOSTILE]) {
        await kysely.selectFrom('runs').select('id').where('id', '=', id).execute();
      }
      const select = spy.prepared.filter((s) => s.startsWith('select'));
      assert.equal(select.length, 1, spy.prepared.join('\n'));
    });

    it('evicts the least recently used statement beyond its size and frees it', async () => {
      const small = new Kysely<IndexDatabase>({ dialect: new SqlJsDialect({ database: db, statementCacheSize: 2 }) });
      const spy = spyOnStatements(db);
      const q = (n: number) => sql`select ${n} + ${sql.lit(n)} as v`.execute(small);
      await q(1);
      await q(2);
      await q(1); // 1 is now the most recent, so 2 goes first
      await q(3);
      assert.deepEqual(spy.freed, ['select ? + 2 as v']);
      await q(1);
      assert.equal(spy.prepared.length, 3, 'statement 1 stayed cached');
      await small.destroy();
      assert.deepEqual(spy.freed.sort(), ['select ? + 1 as v', 'select ? + 2 as v', 'select ? + 3 as v']);
    });

    it('does not cache a statement that fails to prepare', async () => {
      await assert.rejects(sql`select * from no_such_table`.execute(kysely), /no such table/);
      await assert.rejects(sql`select * from no_such_table`.execute(kysely), /no such table/);
    });

    it('keeps working across db.export() and saveIndex', async () => {
      const dir = makeTempDir();
      try {
        const spy = spyOnStatements(db);
        const count = async () =>
          (await kysely.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
        await insertRun(kysely, 'one', 1);
        assert.equal(await count(), 1);
        const preparedBefore = spy.prepared.length;

        db.export();
        await insertRun(kysely, 'two', 1);
        assert.equal(await count(), 2);
        await saveIndex(db, path.join(dir, 'index.db'));
        await insertRun(kysely, 'three', 1);
        assert.equal(await count(), 3);

        assert.equal(spy.prepared.length, preparedBefore, 'no statement was re-prepared');
        assert.deepEqual(spy.freed, []);
      } finally {
        removeDir(dir);
      }
    });
  });

  it('lets raw sql.js work run exclusively between Kysely transactions', async () => {
    const order: string[] = [];
    const transaction = kysely.transaction().execute(async (trx) => {
      await insertRun(trx, 'kysely', 1);
      await delay(20);
      order.push('transaction');
    });
    await delay(5); // the transaction holds the connection now
    const raw = runExclusive(db, () => {
      order.push('raw');
      return db.exec('SELECT count(*) FROM runs')[0].values[0][0];
    });
    await Promise.all([transaction, raw]);
    assert.deepEqual(order, ['transaction', 'raw']);
    assert.equal(await raw, 1, 'raw work saw the committed transaction');
  });
});
