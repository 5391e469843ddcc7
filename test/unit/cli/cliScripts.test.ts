/**
 * The CLI as scripts use it (issue 11): output through a pipe is whole however large, a reader that
 * leaves early (`| head`) ends it quietly, run text with escape sequences reaches a terminal inert
 * while --json stays exact, the SQL door refuses writes and stops long queries, and each exit
 * status means what --help says.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import { REPO_ROOT } from '../helpers/paths';
import { runCli as cli, CLI } from '../helpers/processes';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const ESCAPES = '\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\u009b31m';
const ESCAPED = '\\x1b]0;pwned\\x07\\x1b[2J\\x1b]52;c;cm0gLXJmIH4=\\x07\\x9b31m';
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;


/** Spawns the CLI with its stdout on a pipe that is not read for a while (so it fills), then reads it all. */
function piped(...args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stdout.resume();
    }, 1500);
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

describe('scenario-lab CLI in scripts and terminals', function () {
  this.timeout(120000);
  let dir: string;
  let db: string;
  let bigDb: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-scripts-'));
    // The sample workspace, with escape sequences in one decision and in one run folder's name.
    const ws = path.join(dir, 'ws');
    fs.cpSync(FIXTURE, ws, { recursive: true });
    const decision = path.join(ws, 'output', 'ai-summit', 'run-003', 'china-001.md');
    fs.writeFileSync(decision, fs.readFileSync(decision, 'utf8').replace('- Table draft language', `- Table ${ESCAPES} draft language`));
    fs.renameSync(path.join(ws, 'output', 'ai-summit', 'run-003'), path.join(ws, 'output', 'ai-summit', `run-003${ESCAPES}`));
    db = path.join(dir, 'index.db');
    const indexed = cli('index', ws, '--db', db);
    assert.equal(indexed.code, 0, indexed.stderr);
    // A bigger index for the pipe tests: 30 generated runs.
    const batch = path.join(dir, 'batch');
    generateSampleWorkspace({ runs: 30, turns: 8, actors: 6 }, (relative, content) => {
      const file = path.join(batch, ...relative.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    });
    bigDb = path.join(dir, 'big.db');
    assert.equal(cli('index', batch, '--db', bigDb).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('output through a pipe', () => {
    it('is whole: metrics --json of the whole index, several MB, through a pipe a slow reader drains', async () => {
      const count = Number(JSON.parse(cli('sql', 'SELECT COUNT(*) AS n FROM metrics', '--db', bigDb, '--json').stdout)[0].n);
      const result = await piped('metrics', '--json', '--db', bigDb);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.length > 2 * 1024 * 1024, `${result.stdout.length} bytes`);
      assert.equal(JSON.parse(result.stdout.toString('utf8')).length, count);
    });

    it('is whole: sql --json and export-csv to stdout', async () => {
      const rows = 60000;
      const sql = await piped('sql', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${rows}) SELECT x, printf('%.100c', 'm') AS pad FROM c`, '--json', '--db', bigDb);
      assert.equal(sql.code, 0, sql.stderr);
      assert.ok(sql.stdout.length > 5 * 1024 * 1024);
      const parsed = JSON.parse(sql.stdout.toString('utf8'));
      assert.equal(parsed.length, rows);
      assert.equal(parsed[rows - 1].x, rows);
      const csv = await piped('export-csv', '--db', bigDb);
      assert.equal(csv.code, 0);
      const count = Number(JSON.parse(cli('sql', 'SELECT COUNT(*) AS n FROM metrics', '--db', bigDb, '--json').stdout)[0].n);
      assert.equal(csv.stdout.toString('utf8').trimEnd().split('\r\n').length, count + 1);
    });

    it('ends quietly with status 0 when the reader leaves early (| head)', () => {
      const script = `set -o pipefail; node "${CLI}" metrics --json --db "${bigDb}" 2>"${dir}/epipe.err" | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
      const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
      assert.match(result.stdout, /status=0/);
      assert.equal(fs.readFileSync(path.join(dir, 'epipe.err'), 'utf8'), '', 'no EPIPE error or stack trace');
    });
  });

  describe('run text in terminals', () => {
    it('decisions: the table shows escape sequences escaped; --json keeps them exactly', () => {
      const table = cli('decisions', 'China', '--scenario', 'AI Safety Summit 2026', '--db', db);
      assert.equal(table.code, 0, table.stderr);
      assert.ok(!RAW_CONTROL.test(table.stdout), 'no raw control character reaches the terminal');
      assert.ok(table.stdout.includes('Table \\x1b]0;pwned\\x07\\x1b[2J'), table.stdout); // the action column shows 80 characters
      const json = cli('decisions', 'China', '--scenario', 'AI Safety Summit 2026', '--db', db, '--json');
      assert.ok(!RAW_CONTROL.test(json.stdout), 'JSON writes control characters as \\u escapes');
      const actions = JSON.parse(json.stdout).map((d: { action: string }) => d.action);
      assert.ok(actions.some((a: string) => a.includes(`Table ${ESCAPES} draft`)), 'the JSON value is exact');
    });

    it('runs, metrics and problems: a folder name with escape sequences is shown escaped', () => {
      for (const command of [['runs'], ['metrics', '--name', 'cooperation_level'], ['problems']]) {
        const result = cli(...command, '--db', db);
        assert.equal(result.code, 0, result.stderr);
        assert.ok(!RAW_CONTROL.test(result.stdout) && !RAW_CONTROL.test(result.stderr), command.join(' '));
      }
      assert.ok(cli('runs', '--db', db).stdout.includes(`run-003${ESCAPED}`));
      assert.ok(JSON.parse(cli('runs', '--json', '--db', db).stdout).some((r: { folders: Array<{ path: string }> }) => JSON.stringify(r).includes(`run-003${ESCAPES}`) || r.folders?.some((f) => f.path.includes(ESCAPES))));
    });

    it('sql: table escaped, --json exact, CSV exact', () => {
      const query = "SELECT char(27) || '[2J' || char(155) || 'x' AS text";
      const table = cli('sql', query, '--db', db);
      assert.equal(table.code, 0, table.stderr);
      assert.ok(!RAW_CONTROL.test(table.stdout));
      assert.match(table.stdout, /\\x1b\[2J\\x9bx/);
      assert.deepEqual(JSON.parse(cli('sql', query, '--json', '--db', db).stdout), [{ text: '\x1b[2J\u009bx' }]);
      assert.equal(cli('sql', query, '--csv', '--db', db).stdout, 'text\r\n\x1b[2J\u009bx\r\n');
    });
  });

  it('CSV to a terminal shows control characters escaped; into a pipe it stays exact', function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip(); // util-linux script gives the CLI a terminal
    const query = "SELECT char(27) || '[2J' || char(13) || 'hidden' AS text";
    const tty = spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" sql "${query}" --csv --db "${db}"`, '/dev/null'], { encoding: 'utf8' });
    assert.equal(tty.status, 0, tty.stderr);
    assert.ok(!/\x1b/.test(tty.stdout), 'no raw ESC reaches the terminal');
    assert.match(tty.stdout, /\\x1b\[2J\\x0dhidden/);
    const exported = spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" export-csv --name cooperation_level --db "${db}"`, '/dev/null'], { encoding: 'utf8' });
    assert.equal(exported.status, 0);
    assert.ok(!RAW_CONTROL.test(exported.stdout.replace(/\r\n/g, '')), 'export-csv to a terminal: nothing raw');
    assert.match(exported.stdout, /run-003\\x1b\]0;pwned/);
    assert.equal(cli('sql', query, '--csv', '--db', db).stdout, 'text\r\n"\x1b[2J\rhidden"\r\n');
  });

  describe('the SQL door', () => {
    it('refuses the PRAGMA query_only bypass of the issue, exit 2, index unchanged', () => {
      const count = () => spawnSync('sqlite3', [db, 'SELECT COUNT(*) FROM decisions'], { encoding: 'utf8' }).stdout.trim();
      const before = count();
      const bytes = fs.readFileSync(db);
      const result = cli('sql', 'PRAGMA query_only = OFF; DELETE FROM decisions; SELECT COUNT(*) AS n FROM decisions', '--db', db);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Refused: the index is read-only/);
      assert.equal(result.stdout, '');
      assert.equal(count(), before);
      assert.ok(fs.readFileSync(db).equals(bytes), 'the index file is byte for byte the same');
    });

    it('stops a query that never ends at --timeout, exit 1', () => {
      const started = Date.now();
      const result = cli('sql', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', '--timeout', '1', '--db', db);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /ran longer than 1 s and was stopped/);
      assert.ok(Date.now() - started < 15000);
    });

    it('says when rows were cut at --limit, and defaults to fewer rows for a table than for JSON', () => {
      const query = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5000) SELECT x FROM c';
      const limited = cli('sql', query, '--limit', '10', '--json', '--db', db);
      assert.equal(limited.code, 0);
      assert.equal(JSON.parse(limited.stdout).length, 10);
      assert.match(limited.stderr, /showing the first 10 rows; the query returned more/);
      const table = cli('sql', query, '--db', db);
      assert.equal(table.stdout.trim().split('\n').length, 2 + 1000);
      assert.match(table.stderr, /showing the first 1000 rows/);
      const json = cli('sql', query, '--json', '--db', db);
      assert.equal(JSON.parse(json.stdout).length, 5000);
      assert.equal(json.stderr, '');
    });
  });

  describe('exit statuses', () => {
    const cases: Array<[string, number, string[], RegExp?]> = [
      ['a command that worked', 0, ['runs']],
      ['--help', 0, ['--help']],
      ['an unknown run', 1, ['stats', 'run-00000000-000000'], /no run with id/],
      ['an unknown run among several', 1, ['compare', 'run-20251124-094755', 'nope'], /no run with id nope/],
      ['an unknown metric (aggregate)', 1, ['aggregate', 'no_such_metric'], /no metric named no_such_metric/],
      ['an unknown metric (evolution)', 1, ['evolution', 'no_such_metric'], /no metric named/],
      ['an unknown metric (metrics --name)', 1, ['metrics', '--name', 'no_such_metric'], /no metric named/],
      ['an unknown metric (export-csv --name)', 1, ['export-csv', '--name', 'no_such_metric'], /no metric named/],
      ['an unknown actor', 1, ['decisions', 'Atlantis'], /no actor named Atlantis/],
      ['an unknown scenario', 1, ['runs', '--scenario', 'No Such Scenario'], /no scenario named/],
      ['an unknown command', 2, ['frobnicate'], /Unknown command/],
      ['an unknown option', 2, ['runs', '--bogus']],
      ['a missing argument', 2, ['stats']],
      ['a bad --limit', 2, ['sql', 'SELECT 1', '--limit', 'many'], /--limit needs/],
      ['a bad --timeout', 2, ['sql', 'SELECT 1', '--timeout=-3'], /--timeout needs/],
      ['--json with --csv', 2, ['sql', 'SELECT 1', '--json', '--csv']],
      ['SQL that does not compile', 2, ['sql', 'SELEC 1'], /syntax error/],
      ['SQL that is refused', 2, ['sql', 'DROP TABLE runs'], /read-only/],
    ];
    for (const [name, code, args, message] of cases) {
      it(`${code} for ${name}`, () => {
        const result = cli(...args, '--db', db);
        assert.equal(result.code, code, result.stderr);
        if (message) assert.match(result.stderr, message);
        if (code !== 0) assert.equal(result.stdout, '', 'nothing on stdout a script could mistake for an answer');
      });
    }

    it('1 for a missing index, 2 without --db', () => {
      assert.equal(cli('runs', '--db', path.join(dir, 'nope.db')).code, 1);
      assert.equal(cli('runs').code, 2);
    });

    it('documents them in --help', () => {
      const help = cli('--help').stdout;
      assert.match(help, /Exit status:\n\s+0\s+the command did what was asked\n\s+1\s+a run, metric/);
      assert.match(help, /2\s+bad arguments/);
    });
  });
});
