/**
 * Several indexers at once into one PostgreSQL index: two `scenario-lab index` processes on the
 * same folders (same source name, as two machines indexing one shared batch) run concurrently,
 * and the index they leave equals what one indexer alone writes: the same folders, files, runs,
 * turns, decisions, messages, metrics, costs and experiments, none duplicated or lost.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';
import { CLI, runCli } from '../helpers/processes';

/** Row contents without ids (which differ between databases), sorted: equal sets of rows give equal text. */
const CONTENT: Record<string, string> = {
  sl_folders: "SELECT path, format, run_id, status, last_turn, total_cost, pending FROM sl_folders",
  sl_files: 'SELECT f.path, f.size, f.hash, d.path AS folder FROM sl_files f JOIN sl_folders d ON d.id = f.folder_id',
  runs: 'SELECT id, scenario_id, status, total_turns, total_cost, created, config::text FROM runs',
  turns: 'SELECT run_id, turn_num, timestamp, md5(world_state) FROM turns',
  decisions: 'SELECT t.run_id, t.turn_num, d.actor, md5(d.action), d.goals::text FROM decisions d JOIN turns t ON t.id = d.turn_id',
  communications: 'SELECT c.id, t.run_id, t.turn_num, c.sender, md5(c.content) FROM communications c JOIN turns t ON t.id = c.turn_id',
  metrics: 'SELECT t.run_id, t.turn_num, m.name, m.value, m.actor FROM metrics m JOIN turns t ON t.id = m.turn_id',
  sl_metric_actors: 'SELECT a.actor, m.name, m.value FROM sl_metric_actors a JOIN metrics m ON m.id = a.metric_id',
  costs: 'SELECT run_id, actor, phase, model, input_tokens, cost FROM costs',
  sl_origins: "SELECT o.tbl, o.start_line, o.end_line, f.path FROM sl_origins o LEFT JOIN sl_files f ON f.id = o.file_id",
  sl_problems: 'SELECT file, line, message FROM sl_problems',
  sl_batch_runs: 'SELECT experiment, name, folder, completed FROM sl_batch_runs',
};

async function snapshot(url: string): Promise<Record<string, { count: number; rows: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, { count: number; rows: string }> = {};
    for (const [table, query] of Object.entries(CONTENT)) {
      const { rows } = await client.query({ text: query, rowMode: 'array' });
      const lines = rows.map((r) => JSON.stringify(r)).sort();
      out[table] = { count: lines.length, rows: lines.join('\n') };
    }
    // Folder ranges must cover exactly the folder's rows: every origin belongs to one range.
    const orphans = await client.query(`SELECT COUNT(*)::int AS n FROM sl_origins o WHERE NOT EXISTS (
      SELECT 1 FROM sl_folder_rows r WHERE r.tbl = o.tbl AND o.row_id BETWEEN r.first_id AND r.last_id)`);
    assert.equal(orphans.rows[0].n, 0, 'every stored row is in a folder range');
    return out;
  } finally {
    await client.end();
  }
}

function indexer(folder: string, url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'index', folder, '--db', url, '--source', 'shared-batch'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('two indexers at once into one PostgreSQL index', function () {
  this.timeout(300000);
  const urls: string[] = [];
  let dir: string;

  before(async function () {
    requirePostgres(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-two-'));
    const args = ['--out', dir, '--runs', '24', '--turns', '4', '--actors', '3', '--scenarios', '2', '--batch', '3', '--jobs', '1'];
    const samples = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'generate-samples.js'), ...args], { encoding: 'utf8' });
    assert.equal(samples.status, 0, samples.stderr);
  });
  after(async () => {
    for (const url of urls) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leave the index one indexer alone leaves: no row duplicated or lost', async () => {
    const [alone, together] = [await createDatabase('sl_alone'), await createDatabase('sl_together')];
    urls.push(alone, together);
    const single = await indexer(dir, alone);
    assert.equal(single.code, 0, single.stderr);
    const [a, b] = await Promise.all([indexer(dir, together), indexer(dir, together)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const [expected, actual] = [await snapshot(alone), await snapshot(together)];
    assert.ok(expected.runs.count >= 24 && expected.decisions.count > 100, 'the sample is big enough to interleave');
    for (const table of Object.keys(CONTENT)) {
      assert.equal(actual[table].count, expected[table].count, `${table}: row count`);
      assert.equal(actual[table].rows, expected[table].rows, `${table}: rows`);
    }
    // A third pass over unchanged folders changes nothing.
    const again = runCli('index', dir, '--db', together, '--source', 'shared-batch', '--json');
    assert.equal(JSON.parse(again.stdout).foldersIndexed, 0);
  });
});
