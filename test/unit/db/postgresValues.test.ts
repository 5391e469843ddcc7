/**
 * Values PostgreSQL cannot hold as the files have them, which made it refuse a whole run folder that
 * the embedded index keeps: U+0000 in run text (PostgreSQL text cannot contain it) and a bare NaN or
 * Infinity in the scenario configuration (Python writes them; PostgreSQL's json refuses them). The
 * run is stored on both engines; PostgreSQL holds U+FFFD and the number's word as a string.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { postgresJsonText } from '../../../src/core/db/encoding';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';
import { runCli, sqlite3 } from '../helpers/processes';

describe('PostgreSQL: values it cannot hold as the files have them', function () {
  this.timeout(60000);
  let url: string;
  let dir: string;

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_values');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-values-'));
    const run = path.join(dir, 'ai-summit', 'run-003');
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small', 'output', 'ai-summit', 'run-003'), run, { recursive: true });
    const decision = path.join(run, 'china-002.md');
    fs.writeFileSync(decision, fs.readFileSync(decision, 'utf8').replace('Brief cloud providers', 'Brief\u0000cloud providers'));
    for (const name of ['scenario-state.json', 'scenario-state-v2.json']) {
      const file = path.join(run, name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"turns": 4', '"turns": NaN, "budget": -Infinity'));
    }
  });
  after(async () => {
    if (url) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the run on both engines, with U+FFFD for U+0000 and the words of non-finite numbers on PostgreSQL', async () => {
    const pgResult = runCli('index', dir, '--db', url);
    assert.equal(pgResult.code, 0, pgResult.stderr);
    const dbFile = path.join(dir, 'index.db');
    assert.equal(runCli('index', dir, '--db', dbFile).code, 0);
    assert.match(sqlite3(dbFile, "SELECT count(*) FROM decisions WHERE instr(action, 'Brief' || char(0) || 'cloud') > 0"), /^1\s*$/, 'the embedded index keeps U+0000');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const runs = (await client.query<{ id: string; config: { turns: unknown; budget: unknown } }>('SELECT id, config FROM runs')).rows;
      assert.equal(runs.length, Number(sqlite3(dbFile, 'SELECT count(*) FROM runs').trim()), 'the run is stored as on the embedded index');
      assert.equal(runs.length, 1);
      assert.equal(runs[0].config.turns, 'NaN');
      assert.equal(runs[0].config.budget, '-Infinity');
      const actions = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM decisions WHERE action LIKE '%Brief\ufffdcloud providers%'")).rows[0].n;
      assert.equal(actions, 1, 'the decision is stored, U+0000 as U+FFFD');
    } finally {
      await client.end();
    }
  });

  it('writes bare non-finite numbers of Python JSON as strings, leaving strings and other text alone', () => {
    assert.equal(postgresJsonText('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN and -Infinity", "d": 1.5}'), '{"a": "NaN", "b": ["Infinity", "-Infinity"], "c": "NaN and -Infinity", "d": 1.5}');
    assert.equal(postgresJsonText('{"q": "say \\"NaN\\"", "n": NaN}'), '{"q": "say \\"NaN\\"", "n": "NaN"}');
    const plain = '{"a": 1}';
    assert.equal(postgresJsonText(plain), plain);
  });
});
