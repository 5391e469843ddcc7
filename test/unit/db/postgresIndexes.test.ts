/**
 * A shared index made by an earlier build. Of the same schema version: an indexer opening it adds the
 * PostgreSQL-only indexes (schemaPostgres.ts) it lacks and drops those they supersede, and the
 * per-folder activity query answers from the (folder_id, mtime_ms) index. Of schema 8: a role that
 * may not create tables is told why it cannot open it yet, and can once the owner has.
 */
import { strict as assert } from 'node:assert';
import pg from 'pg';
import { folderActivity } from '../../../src/core/analytics/bookkeepingQueries';
import { ensureSchema } from '../../../src/core/db/postgres/connection';
import { POSTGRES_INDEX_NAMES } from '../../../src/core/db/schema';
import { openSharedIndex } from '../../../src/core/sharedIndex';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';

describe('PostgreSQL: an index made by an earlier build', function () {
  this.timeout(60000);
  let url: string;
  let pool: pg.Pool;
  const indexNames = async () =>
    new Set((await pool.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()')).rows.map((r) => r.name));

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_indexes');
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await ensureSchema(pool, { create: true });
  });
  after(async () => {
    await pool?.end();
    if (url) await dropDatabase(url);
  });

  it('adds the per-folder file-time index and drops the folder index it supersedes', async () => {
    const fresh = await indexNames();
    assert.ok(fresh.has('sl_pg_files_folder_mtime'), 'a new shared index has the folder/mtime index');
    assert.ok(!fresh.has('ix_sl_files_folder'), 'and not the narrower one');
    // What an earlier build left: the narrow folder index, without the folder/mtime one.
    await pool.query('DROP INDEX sl_pg_files_folder_mtime');
    await pool.query('CREATE INDEX ix_sl_files_folder ON sl_files (folder_id)');
    await ensureSchema(pool, { create: true }); // as an indexer opens it
    const upgraded = await indexNames();
    assert.ok(upgraded.has('sl_pg_files_folder_mtime'));
    assert.ok(!upgraded.has('ix_sl_files_folder'));
    for (const name of POSTGRES_INDEX_NAMES.filter((n) => n.startsWith('sl_pg_'))) assert.ok(upgraded.has(name), `${name} present`);
  });

  it('answers folder activity per folder: the newest file of each, folders without files left out', async () => {
    const index = await openSharedIndex(url);
    try {
      await pool.query("INSERT INTO sl_folders (id, path, format) VALUES (1, 'ws/output/a/run-1', 'v2'), (2, 'ws/output/a/run-2', 'v2')");
      await pool.query(
        "INSERT INTO sl_files (id, path, folder_id, size, mtime_ms, hash, kind) VALUES (1, 'ws/output/a/run-1/x.md', 1, 1, 1000.5, 'h', 'md'), (2, 'ws/output/a/run-1/y.md', 1, 1, 3000.25, 'h', 'md')",
      );
      assert.deepEqual(await folderActivity(index.kysely), [{ folder: 'ws/output/a/run-1', lastModifiedMs: 3000.25 }]);
    } finally {
      await index.close();
    }
  });
  it('tells a read-only role why it cannot open a schema-8 index, which opens once the owner has upgraded it', async () => {
    const reader = `sl_reader_${process.pid}`;
    await pool.query('DROP TABLE sl_scenario_metrics; DROP TABLE sl_scenario_decisions; DELETE FROM schema_version; INSERT INTO schema_version (version, created) VALUES (8, LOCALTIMESTAMP)');
    await pool.query(`CREATE ROLE ${reader} LOGIN`);
    try {
      await pool.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${reader}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`);
      const readerUrl = new URL(url);
      readerUrl.username = reader;
      await assert.rejects(openSharedIndex(readerUrl.toString()), /schema version 8, which this scenario-lab upgrades to \d+ in place on first open, but this role may not create tables/);
      await (await openSharedIndex(url)).close(); // the owner opens it: upgraded
      await pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`);
      const opened = await openSharedIndex(readerUrl.toString());
      try {
        assert.deepEqual(await opened.analytics.aggregateMetrics('trust_level', { scenario: 'none' }), { metric: 'trust_level', scenario: 'none', avg: null, min: null, max: null, count: 0 });
      } finally {
        await opened.close();
      }
    } finally {
      await pool.query(`DROP OWNED BY ${reader}; DROP ROLE ${reader}`);
    }
  });
});
