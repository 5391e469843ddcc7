/**
 * Per-folder serialisation on PostgreSQL, made deterministic: one writer holds a folder's
 * transaction open while a second writer replaces the same folder. The second must wait for the
 * first (advisory lock on source + path) and then replace its rows whole, so the folder is stored
 * once, with no duplicate and no "could not be written" problem; a different folder is not held up.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import pg from 'pg';
import { ensureSchema } from '../../../src/core/db/postgres/connection';
import { listFolder } from '../../../src/core/discover/discoverFolders';
import { readJob } from '../../../src/core/indexer/readJobs';
import { inFolderTransaction, removeFolderPg, writeFolderPg } from '../../../src/core/indexer/postgres/writeFolderPg';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const roots = [{ name: 'ws', absPath: WORKSPACE, source: 'lab' }];
const rowsOf = (rel: string) => readJob({ listing: listFolder(roots, path.join(WORKSPACE, rel))!, known: [] }, { read: undefined, scenarioNames: [] });

describe('PostgreSQL: one folder, two writers', function () {
  this.timeout(60000);
  let url: string;
  let pool: pg.Pool;

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_locks');
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await ensureSchema(pool, { create: true });
  });
  after(async () => {
    await pool?.end();
    if (url) await dropDatabase(url);
  });

  it('the second writer waits for the first, then replaces the folder whole', async () => {
    const rows = rowsOf('output/ai-summit/run-003');
    const other = rowsOf('output/ai-summit/run-004');
    const [first, second, third] = [await pool.connect(), await pool.connect(), await pool.connect()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const replace = (client: pg.PoolClient, name: string, r = rows, pause?: Promise<void>) =>
      inFolderTransaction(client, r.key, async () => {
        events.push(`${name} in`);
        await removeFolderPg(client, r.key);
        await writeFolderPg(client, r);
        await pause;
        events.push(`${name} out`);
      });
    try {
      const a = replace(first, 'first', rows, held);
      while (!events.includes('first in')) await new Promise((r) => setTimeout(r, 10));
      const b = replace(second, 'second');
      await replace(third, 'other folder', other); // a different folder does not wait
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(events, ['first in', 'other folder in', 'other folder out'], 'the second writer waits while the first holds the folder');
      release();
      await Promise.all([a, b]);
      assert.deepEqual(events.slice(3), ['first out', 'second in', 'second out']);
    } finally {
      for (const c of [first, second, third]) c.release();
    }
    const count = async (sql: string) => Number((await pool.query(sql)).rows[0].n);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM sl_folders WHERE path = '${rows.key}'`), 1);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM turns WHERE run_id = '${rows.meta.runId}'`), rows.turns.length);
    const decisions = rows.turns.reduce((n, t) => n + t.decisions.length, 0);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.run_id = '${rows.meta.runId}'`), decisions);
    assert.equal(await count("SELECT COUNT(*) AS n FROM sl_problems WHERE message LIKE '%could not be written%'"), 0);
  });
});
