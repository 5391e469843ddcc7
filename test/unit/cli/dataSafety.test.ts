/**
 * The CLI never writes, renames or creates a file that is not its index: another application's
 * SQLite file and a text file stay byte-identical (checked with `cmp`) through `backup`, `runs`
 * and `index`; read-only commands write nothing at all; refusals exit 2, a missing or unusable
 * index exits 1 and says why.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHARED_SAMPLES } from '../helpers/paths';
import { runCli as cli, sqlite3 } from '../helpers/processes';

const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');
const READ_ONLY_COMMANDS: string[][] = [['runs'], ['stats', 'run-20251124-094755'], ['sql', 'SELECT 1'], ['problems'], ['metrics'], ['export-csv']];


function cmp(a: string, b: string): void {
  const result = spawnSync('cmp', [a, b], { encoding: 'utf8' });
  assert.equal(result.status, 0, `cmp ${a} ${b}: ${result.stdout}${result.stderr}`);
}


describe('scenario-lab CLI and files that are not its index', function () {
  this.timeout(60000);
  let dir: string;
  let index: string;
  let otherApp: string;
  let text: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-safety-'));
    index = path.join(dir, 'index.db');
    assert.equal(cli('index', WORKSPACE, '--db', index).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    otherApp = path.join(dir, 'other-app.db');
    fs.rmSync(otherApp, { force: true });
    sqlite3(otherApp, 'CREATE TABLE contacts (name TEXT)', "INSERT INTO contacts VALUES ('Ada')");
    fs.copyFileSync(otherApp, `${otherApp}.orig`);
    text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'my notes\n');
    fs.copyFileSync(text, `${text}.orig`);
  });

  function listing(): string[] {
    return fs.readdirSync(dir).sort();
  }

  it('backup refuses an existing file, and with --force anything but an earlier backup (exit 2, cmp identical)', () => {
    for (const victim of [otherApp, text]) {
      for (const force of [[], ['--force']]) {
        const before = listing();
        const result = cli('backup', victim, '--db', index, ...force);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, force.length ? /is not a Scenario Lab index .*left untouched/ : /already exists; it was left untouched.*--force/);
        cmp(victim, `${victim}.orig`);
        assert.deepEqual(listing(), before);
      }
    }
    const backup = path.join(dir, 'backup.db');
    assert.equal(cli('backup', backup, '--db', index).code, 0);
    assert.equal(cli('backup', backup, '--db', index).code, 2);
    assert.equal(cli('backup', backup, '--db', index, '--force').code, 0);
    assert.equal(sqlite3(backup, 'PRAGMA integrity_check', 'SELECT count(*) FROM runs'), 'ok\n10\n');
    assert.equal(cli('backup', index, '--db', index, '--force').code, 2, 'not onto the index itself');
  });

  for (const command of [...READ_ONLY_COMMANDS, ['index', WORKSPACE]]) {
    it(`${command[0]} --db <another application's file or a text file> exits 2 and leaves it byte-identical`, () => {
      for (const victim of [otherApp, text]) {
        const before = listing();
        const result = cli(...command, '--db', victim);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /is not a Scenario Lab index \(.+\); it was left untouched/);
        assert.equal(result.stdout, '');
        cmp(victim, `${victim}.orig`);
        assert.deepEqual(listing(), before, 'nothing renamed or created');
      }
    });
  }

  it('read-only commands create nothing for a missing index (exit 1)', () => {
    const missing = path.join(dir, 'missing', 'index.db');
    for (const command of READ_ONLY_COMMANDS) {
      const result = cli(...command, '--db', missing);
      assert.equal(result.code, 1, `${command[0]}: ${result.stderr}`);
      assert.match(result.stderr, /no index at .*missing\/index\.db/);
    }
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('a damaged index: read-only commands say it must be rebuilt (exit 1) and leave it; index sets it aside and rebuilds', () => {
    const damaged = path.join(dir, 'damaged.db');
    const good = fs.readFileSync(index);
    fs.writeFileSync(damaged, Buffer.concat([good.subarray(0, 16384), Buffer.alloc(good.length - 16384, 0x33)]));
    fs.copyFileSync(damaged, `${damaged}.orig`);
    for (const command of READ_ONLY_COMMANDS) {
      const result = cli(...command, '--db', damaged);
      assert.equal(result.code, 1, `${command[0]}: ${result.stdout}`);
      assert.equal(result.stdout, '', 'no empty table');
      assert.match(result.stderr, /could not be read .*must be rebuilt: scenario-lab index/);
      cmp(damaged, `${damaged}.orig`);
    }
    const rebuilt = cli('index', WORKSPACE, '--db', damaged);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /set aside as .*damaged\.db\.broken-/);
    assert.equal(JSON.parse(cli('runs', '--db', damaged, '--json').stdout).length, 10);

    // Were the rebuild lost, a read-only command names the set-aside file instead of answering from nothing.
    fs.rmSync(damaged);
    const after = cli('runs', '--db', damaged);
    assert.equal(after.code, 1);
    assert.equal(after.stdout, '');
    assert.match(after.stderr, /it was set aside as .*damaged\.db\.broken-.* and must be rebuilt/);
  });

  it('an index made read-only with chmod 444 stays as it is: index refuses to save (exit 2)', () => {
    const locked = path.join(dir, 'locked.db');
    fs.copyFileSync(index, locked);
    fs.chmodSync(locked, 0o444);
    fs.copyFileSync(locked, `${locked}.orig`);
    const result = cli('index', WORKSPACE, '--db', locked);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /locked\.db is read-only .*chmod u\+w/);
    cmp(locked, `${locked}.orig`);
    assert.equal(fs.statSync(locked).mode & 0o777, 0o444);
    assert.equal(cli('runs', '--db', locked).code, 0, 'reading it is fine');
  });
});
