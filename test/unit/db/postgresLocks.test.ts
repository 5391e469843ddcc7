/**
 * Per-folder serialisation on PostgreSQL, made deterministic: one writer holds a folder's
 * transaction open while a second writer replaces the same folder. The second must wait for the
 * first (advisory lock on source + path) and then replace its rows whole, so the folder is stored
 * once, with no duplicate and no "could not be written" problem; a different folder is not held up.
 * Two folders that share a run id (parallel batch runs) written at once leave the `runs` row the
 * rule picks from both (the run's lock), not the one the later writer saw alone.
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

  it('two folders of one run id written at once: the runs row is built from both', async () => {
    const batch = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'shared-run-id-batch');
    const batchRoots = [{ name: 'batch', absPath: batch, source: 'lab' }];
    const read = (rel: string) => readJob({ listing: listFolder(batchRoots, path.join(batch, rel))!, known: [] }, { read: undefined, scenarioNames: [] });
    const pair = ['experiments/model-comparison/runs/var-001-run-001', 'experiments/model-comparison/runs/var-001-run-002'].map(read);
    assert.equal(pair[0].meta.runId, pair[1].meta.runId, 'the fixture folders share a run id');
    assert.notEqual(pair[0].meta.totalCost, pair[1].meta.totalCost, 'and differ in cost, so the row tells which one it came from');
    // The rule keeps the folder with the latest record (then the greater path): write that one first and
    // hold it open, so a writer that does not wait would build the row from the other folder alone.
    const [winner, other] = [...pair].sort((a, b) => String(b.meta.lastRecordAt).localeCompare(String(a.meta.lastRecordAt)) || b.key.localeCompare(a.key));
    const [first, second] = [await pool.connect(), await pool.connect()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstIn = false;
    try {
      const a = inFolderTransaction(first, winner.key, async () => {
        await removeFolderPg(first, winner.key);
        await writeFolderPg(first, winner);
        firstIn = true;
        await held;
      });
      while (!firstIn) await new Promise((r) => setTimeout(r, 10));
      const b = inFolderTransaction(second, other.key, async () => {
        await removeFolderPg(second, other.key);
        await writeFolderPg(second, other);
      });
      await new Promise((r) => setTimeout(r, 300));
      release();
      await Promise.all([a, b]);
    } finally {
      first.release();
      second.release();
    }
    const run = (await pool.query('SELECT total_cost FROM runs WHERE id = $1', [winner.meta.runId])).rows;
    assert.equal(run.length, 1);
    assert.equal(run[0].total_cost, winner.meta.totalCost, `the runs row is ${winner.key}'s, the folder with the latest record`);
  });
});
