/**
 * The command line on a shared PostgreSQL index: `--db postgresql://…` for index and the query
 * commands, Scenario Lab's own reading of what we write (SQLAlchemy + psycopg2, as its
 * `Database("postgresql://…")` does) giving the same answers as on our SQLite index of the same
 * folders, and an index that leaves a database of someone else untouched.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { REPO_ROOT, SHARED_SAMPLES } from '../helpers/paths';
import { createDatabase, dropDatabase, jsonToTwelveDigits, requirePostgres } from '../helpers/postgres';
import { runCli } from '../helpers/processes';

const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');
const REFERENCE = JSON.parse(fs.readFileSync(path.join(SHARED_SAMPLES, 'workspace-small.reference.json'), 'utf8'));

function readWithSqlAlchemy(target: string, runIds: string[]): unknown {
  const result = spawnSync('/usr/bin/python3', [path.join(REPO_ROOT, 'test', 'python', 'read_with_sqlalchemy.py'), target, ...runIds], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe('CLI on a PostgreSQL index', function () {
  this.timeout(120000);
  let url: string;
  let dir: string;

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_cli');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-cli-'));
  });
  after(async () => {
    if (url) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes with --db postgresql://…, and every query command reads it like the SQLite index', () => {
    const indexed = runCli('index', WORKSPACE, '--db', url, '--source', 'lab', '--json');
    assert.equal(indexed.code, 0, indexed.stderr);
    const file = path.join(dir, 'index.db');
    const embeddedIndex = runCli('index', WORKSPACE, '--db', file, '--json');
    assert.equal(embeddedIndex.code, 0);
    const [a, b] = [JSON.parse(indexed.stdout), JSON.parse(embeddedIndex.stdout)];
    assert.deepEqual([a.runs, a.foldersIndexed, a.problems], [b.runs, b.foldersIndexed, b.problems]);
    assert.ok(a.runs >= REFERENCE.list_runs.length);
    const ids = REFERENCE.list_runs.map((r: { id: string }) => r.id);
    for (const args of [['runs', '--json'], ['stats', ids[0], '--json'], ['compare', ids[0], ids[1], '--json'], ['aggregate', 'cooperation_level', '--json'],
      ['evolution', 'cooperation_level', '--json'], ['problems', '--json'], ['experiments', '--json'], ['sql', 'SELECT COUNT(*) AS n FROM decisions', '--json']]) {
      const shared = runCli(...args, '--db', url);
      const embedded = runCli(...args, '--db', file);
      assert.equal(shared.code, 0, `${args[0]}: ${shared.stderr}`);
      // JSON compared to 12 digits (jsonToTwelveDigits); tables print costs with 4 decimals.
      const text = (stdout: string) => (args.includes('--json') ? jsonToTwelveDigits(JSON.parse(stdout)) : stdout);
      assert.equal(text(shared.stdout.split('lab/').join('')), text(embedded.stdout), args.join(' '));
    }
    // Folders are named by source + relative path.
    assert.match(runCli('runs', '--db', url).stdout, /lab\/output\//);
  });

  it('sql on PostgreSQL only reads', () => {
    // Each refusal says what the statement would do, as PostgreSQL's own parser and planner see it.
    for (const [statement, said] of [
      ['DELETE FROM runs', /Refused: this statement deletes rows/],
      ["UPDATE runs SET status = 'x'", /Refused: this statement updates rows/],
      ['INSERT INTO runs SELECT * FROM runs', /Refused: this statement inserts rows/],
      ['WITH d AS (DELETE FROM runs RETURNING id) SELECT * FROM d', /Refused: this statement changes rows in a WITH clause/],
      ['/* tidy */ DROP TABLE runs', /Refused: DROP is not a query/],
    ] as const) {
      const refused = runCli('sql', statement, '--db', url);
      assert.equal(refused.code, 2, statement);
      assert.match(refused.stderr, said, statement);
    }
    assert.equal(runCli('sql', 'SELECT COUNT(*) AS n FROM runs', '--db', url).code, 0, 'the runs are all still there to count');
    const write = runCli('sql', 'SELECT nextval(\'turns_id_seq\')', '--db', url);
    assert.equal(write.code, 2);
    assert.match(write.stderr, /read-only/);
    assert.equal(runCli('backup', path.join(dir, 'copy.db'), '--db', url).code, 2);
  });

  it('sql prints values SQLite has no type for (boolean, timestamp, json) in a table and CSV', () => {
    const statement = `SELECT true AS b, TIMESTAMPTZ '2026-01-02 03:04:05+00' AS t, '{"a":1}'::jsonb AS j`;
    const table = runCli('sql', statement, '--db', url);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /true +2026-01-02T03:04:05\.000Z +\{"a":1\}/);
    const csv = runCli('sql', statement, '--csv', '--db', url);
    assert.equal(csv.stdout, 'b,t,j\r\ntrue,2026-01-02T03:04:05.000Z,"{""a"":1}"\r\n');
  });

  it("Scenario Lab's Database(\"postgresql://…\") reads what we wrote, with the same answers as on the SQLite index", function () {
    const ids = REFERENCE.list_runs.map((r: { id: string }) => r.id);
    const onPostgres = readWithSqlAlchemy(url, ids) as Record<string, unknown>;
    const onSqlite = readWithSqlAlchemy(path.join(dir, 'index.db'), ids) as Record<string, unknown>;
    assert.deepEqual(onPostgres, onSqlite);
    assert.deepEqual(onPostgres.list_runs, REFERENCE.list_runs);
    assert.deepEqual(onPostgres.run_statistics, REFERENCE.run_statistics);
  });

  it('creates the tables SQLAlchemy creates for Scenario Lab\'s models (PostgreSQL types, foreign keys)', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name IN ('runs', 'metrics', 'costs') ORDER BY table_name, ordinal_position",
      );
      const types = Object.fromEntries(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]));
      assert.equal(types['runs.created'], 'timestamp without time zone');
      assert.equal(types['runs.total_cost'], 'double precision');
      assert.equal(types['runs.config'], 'json');
      assert.equal(types['metrics.value'], 'double precision');
      assert.equal(types['costs.input_tokens'], 'integer');
      const fks = await client.query("SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE contype = 'f' ORDER BY 1");
      assert.deepEqual(fks.rows.map((r) => r.t), ['communications', 'costs', 'decisions', 'metrics', 'turns']);
    } finally {
      await client.end();
    }
  });

  it("refuses a database that holds someone else's runs table, and leaves it untouched", async () => {
    const theirs = await createDatabase('sl_theirs');
    try {
      const client = new pg.Client({ connectionString: theirs });
      await client.connect();
      await client.query("CREATE TABLE runs (id VARCHAR PRIMARY KEY); INSERT INTO runs VALUES ('keep-me')");
      const result = runCli('index', WORKSPACE, '--db', theirs);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /not a scenario-lab index/);
      assert.deepEqual((await client.query('SELECT id FROM runs')).rows, [{ id: 'keep-me' }]);
      await client.end();
    } finally {
      await dropDatabase(theirs);
    }
  });
});
