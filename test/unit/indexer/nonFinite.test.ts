/**
 * Non-finite numbers (Python's json.dump writes NaN, Infinity, -Infinity for floats) and folders
 * whose write fails: a value the schema cannot hold is skipped with a problem at its file and line,
 * ±Infinity is stored as SQLite's REAL infinity and printed the same way by every output, and an
 * error while writing one folder never stops the other folders of the pass, nor later passes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { runCli as cli, sqlite3 } from '../helpers/processes';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const CASE = path.resolve(REPO_ROOT, '..', 'shared', 'cases', 'nan-metric-aborts-index');
const RUN = 'output/ai-summit/run-002';
const RUN_ID = 'run-20251124-094755';
/** China's trust_level in turn 1 of RUN: the same record in metrics.json and both state files. */
const TRUST_RECORD = '2025-11-24T09:49:02.621673';
const STATE_FILES = ['metrics.json', 'scenario-state.json', 'scenario-state-v2.json'];



/** Replaces, in `file`, the `"key": <number>` of the record (the innermost object) that contains `anchor`. */
function setNumberBefore(file: string, anchor: string, key: string, token: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf(anchor);
  assert.ok(at > 0, `${anchor} in ${file}`);
  const open = text.lastIndexOf('{', at);
  const close = text.indexOf('}', at);
  const inRecord = text.slice(open, close).indexOf(`"${key}": `);
  assert.ok(inRecord > 0, `"${key}" in the record of ${anchor}`);
  const valueStart = open + inRecord + key.length + 4;
  const valueEnd = text.slice(valueStart).search(/[,\n}]/) + valueStart;
  fs.writeFileSync(file, text.slice(0, valueStart) + token + text.slice(valueEnd));
}

function setTrustValue(workspace: string, token: string): void {
  for (const name of STATE_FILES) setNumberBefore(path.join(workspace, RUN, name), TRUST_RECORD, 'value', token);
}

function backdate(dir: string): void {
  const past = new Date(Date.now() - 10 * 60_000);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), past, past);
  }
}

describe('non-finite numbers and isolated folder writes', function () {
  this.timeout(60000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const roots = () => [{ name: 'ws', absPath: workspace }];
  const reindex = () => index.index({ roots: roots(), read: { pendingWindowMs: 0 } });
  const value = (sql: string, params: (string | number)[] = []) => index.db.exec(sql, params)[0]?.values[0][0];

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-nonfinite-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    backdate(workspace);
    index = await openConnectedScenarioIndex(undefined);
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('indexes the shared case: both runs, the NaN skipped with a problem at its record in each file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-nan-case-'));
    try {
      const db = path.join(dir, 'c.db');
      const indexed = cli('index', path.join(CASE, 'ws'), '--db', db);
      assert.equal(indexed.code, 0, indexed.stderr);
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM runs').trim(), '2');
      const problems = JSON.parse(cli('problems', '--db', db, '--json').stdout) as Array<{ file: string; line: number; message: string }>;
      const nan = problems.filter((p) => /NaN/.test(p.message));
      assert.deepEqual(nan.map((p) => p.file).sort(), STATE_FILES.map((f) => `output/ai-summit/run-004/${f}`).sort());
      for (const p of nan) {
        const lines = fs.readFileSync(path.join(CASE, 'ws', p.file), 'utf8').split('\n');
        // The problem's line opens the record that holds the NaN (within the next few lines).
        assert.ok(lines.slice(p.line - 1, p.line + 6).some((l) => /"value": NaN/.test(l)), `${p.file}:${p.line} is at the NaN record`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores Infinity and -Infinity as SQLite REAL infinities, read the same by sqlite3, tables, --json and CSV', async () => {
    setTrustValue(workspace, 'Infinity');
    for (const name of STATE_FILES) setNumberBefore(path.join(workspace, RUN, name), '2025-11-24T09:49:02.629362', 'value', '-Infinity');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-inf-'));
    try {
      const db = path.join(dir, 'c.db');
      assert.equal(cli('index', workspace, '--db', db).code, 0);
      assert.equal(sqlite3(db, "SELECT typeof(value) || ' ' || (value > 1e308) FROM metrics WHERE timestamp LIKE '2025-11-24 09:49:02.621673%'").trim(), 'real 1');
      const table = cli('metrics', '--name', 'trust_level', '--db', db).stdout;
      assert.match(table, /trust_level\s+\S*\s+Infinity\b/);
      const json = JSON.parse(cli('metrics', '--name', 'trust_level', '--json', '--db', db).stdout) as Array<{ value: unknown; run_id: string }>;
      assert.ok(json.some((m) => m.value === 'Infinity' && m.run_id === RUN_ID), '--json writes the string "Infinity"');
      const agg = JSON.parse(cli('aggregate', 'trust_level', '--json', '--db', db).stdout) as { max: unknown };
      assert.equal(agg.max, 'Infinity');
      const csv = cli('export-csv', '--name', 'trust_level', '--db', db).stdout.split('\r\n');
      assert.ok(csv.some((line) => line.startsWith(`${RUN_ID},`) && line.includes(',Infinity,')), 'CSV cell Infinity');
      const range = cli('sql', "SELECT MIN(value) AS lo, MAX(value) AS hi FROM metrics WHERE name = 'trust_level'", '--json', '--db', db);
      assert.deepEqual(JSON.parse(range.stdout), [{ lo: '-Infinity', hi: 'Infinity' }], range.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips a NaN cost and ignores non-finite token counts and turn numbers, each with a problem at its record', async () => {
    const costs = path.join(workspace, RUN, 'costs.json');
    setNumberBefore(costs, '"timestamp": "2025-11-24T09:48:08.439780"', 'cost', 'NaN');
    const text = fs.readFileSync(costs, 'utf8');
    fs.writeFileSync(costs, text.replace('"input_tokens": 2261', '"input_tokens": Infinity'));
    setNumberBefore(path.join(workspace, RUN, 'scenario-state-v2.json'), TRUST_RECORD, 'turn', 'NaN');
    const before = await (async () => {
      const other = await openConnectedScenarioIndex(undefined);
      await other.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
      const n = Number(other.db.exec('SELECT COUNT(*) FROM costs WHERE run_id = ?', [RUN_ID])[0].values[0][0]);
      await other.close();
      return n;
    })();
    await reindex();
    assert.equal(Number(value('SELECT COUNT(*) FROM costs WHERE run_id = ?', [RUN_ID])), before - 1, 'the NaN cost record is skipped, not stored as 0');
    assert.equal(value("SELECT COUNT(*) FROM costs WHERE run_id = ? AND input_tokens = 0 AND timestamp LIKE '2025-11-24 09:48:00.017565%'", [RUN_ID]), 1);
    const problems = await index.analytics.listProblems();
    const mine = problems.filter((p) => p.file.startsWith(RUN));
    assert.ok(mine.some((p) => p.file.endsWith('costs.json') && /"cost" of cost record \d+ is NaN.*skipped/.test(p.message)), JSON.stringify(mine));
    assert.ok(mine.some((p) => p.file.endsWith('costs.json') && /"input_tokens" of cost record 1 is Infinity/.test(p.message) && p.line > 1));
    assert.ok(mine.some((p) => p.file.endsWith('scenario-state-v2.json') && /"turn" of metric record \d+ is NaN/.test(p.message)));
    assert.equal(await index.analytics.listRuns().then((r) => r.length), 10);
  });

  it('ignores a turn number no run reaches (a state file or file name of turn 10^12), with a problem, and indexes the rest', () => {
    for (const name of ['scenario-state.json', 'scenario-state-v2.json']) {
      const file = path.join(workspace, RUN, name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n  "turn": 4,/, '\n  "turn": 1000000000000,'));
    }
    fs.copyFileSync(path.join(workspace, RUN, 'world-state-004.md'), path.join(workspace, 'output/ai-summit/run-003', 'world-state-99999999999.md'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bigturn-'));
    try {
      const db = path.join(dir, 'c.db');
      const indexed = cli('index', workspace, '--db', db);
      assert.equal(indexed.code, 0, indexed.stderr.slice(0, 500));
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM runs').trim(), '10');
      assert.equal(sqlite3(db, `SELECT COUNT(*) || ' ' || MAX(turn_num) FROM turns WHERE run_id = '${RUN_ID}'`).trim(), '4 4', 'the turns its files hold');
      assert.equal(sqlite3(db, 'SELECT MAX(turn_num) FROM turns').trim(), '5');
      const problems = JSON.parse(cli('problems', '--db', db, '--json').stdout) as Array<{ file: string; line: number; message: string }>;
      assert.ok(problems.some((p) => p.file === `${RUN}/scenario-state.json` && /"turn" of .*1000000000000/.test(p.message)), JSON.stringify(problems));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a whole number larger than the integer columns hold (PostgreSQL refused the whole run), with a problem at its record', async () => {
    const costs = path.join(workspace, RUN, 'costs.json');
    fs.writeFileSync(costs, fs.readFileSync(costs, 'utf8').replace('"input_tokens": 2261', '"input_tokens": 1e308').replace(/"output_tokens": \d+/, '"output_tokens": 3000000000'));
    await reindex();
    assert.ok(await index.analytics.getRun(RUN_ID));
    assert.deepEqual(index.db.exec("SELECT typeof(input_tokens), input_tokens, output_tokens FROM costs WHERE run_id = ? AND timestamp LIKE '2025-11-24 09:48:00.017565%'", [RUN_ID])[0]?.values, [['integer', 0, 0]]);
    const mine = (await index.analytics.listProblems()).filter((p) => p.file === `${RUN}/costs.json`);
    assert.ok(mine.some((p) => /"input_tokens" of cost record 1 is 1e\+308/.test(p.message) && p.line > 1), JSON.stringify(mine));
    assert.ok(mine.some((p) => /"output_tokens" of cost record 1 is 3000000000/.test(p.message)));
  });

  it('keeps indexing the other folders when one folder cannot be written, and later passes still apply', async () => {
    // A real SQLite refusal inside one folder's write: a trigger rejects the decisions of one actor of one run.
    await reindex();
    index.db.run(`CREATE TRIGGER refuse BEFORE INSERT ON decisions
      WHEN NEW.actor = 'European Union' AND (SELECT run_id FROM turns WHERE id = NEW.turn_id) = '${RUN_ID}'
      BEGIN SELECT RAISE(ABORT, 'forced failure for the test'); END`);
    for (const run of [RUN, 'output/ai-summit/run-003']) {
      const file = path.join(workspace, run, 'european-union-001.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Action\n', '## Action\nEDITED.\n'));
    }
    const report = await reindex();
    assert.equal(report.foldersIndexed, 2);
    const other = await index.analytics.queryDecisionsForActor('European Union');
    assert.ok(other.some((d) => d.runId !== RUN_ID && d.turnNum === 1 && d.action.startsWith('EDITED.')), 'the other folder is written');
    const problems = (await index.analytics.listProblems()).filter((p) => p.severity === 'error' && p.folder === RUN);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /could not be written to the index \(forced failure for the test\)/);
    assert.equal(problems[0].file, `${RUN}/scenario-state.json`);
    assert.equal(await index.analytics.getRun(RUN_ID), undefined, 'the failed folder holds no rows');

    // A later pass: another folder's change applies; the failed folder, unchanged, is not retried.
    const file = path.join(workspace, 'output/ai-summit/run-004/european-union-001.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Action\n', '## Action\nLATER.\n'));
    const later = await reindex();
    assert.equal(later.foldersIndexed, 1);
    assert.ok((await index.analytics.queryDecisionsForActor('European Union')).some((d) => d.action.startsWith('LATER.')));

    // Once SQLite accepts it again, a change to the folder brings the run back and the problem goes.
    index.db.run('DROP TRIGGER refuse');
    const own = path.join(workspace, RUN, 'european-union-001.md');
    fs.writeFileSync(own, fs.readFileSync(own, 'utf8').replace('EDITED.', 'EDITED AGAIN.'));
    await reindex();
    assert.ok(await index.analytics.getRun(RUN_ID));
    assert.equal((await index.analytics.listProblems()).filter((p) => p.severity === 'error' && p.folder === RUN).length, 0);
  });

  it('keeps a problem for a folder whose bookkeeping row itself is refused, and writes the rest', async () => {
    index.db.run(`CREATE TRIGGER refuse BEFORE INSERT ON sl_folders WHEN NEW.path = '${RUN}' BEGIN SELECT RAISE(ABORT, 'no folder row'); END`);
    const report = await reindex();
    assert.equal(await index.analytics.listRuns().then((r) => r.length), 9, 'every other run is indexed');
    const problems = (await index.analytics.listProblems()).filter((p) => p.file === RUN);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /no folder row/);
    assert.equal(report.problems, (await index.analytics.listProblems()).length, 'the summary counts it');
    // The folder is not stored, so the next pass tries it again; the problem is not duplicated.
    await reindex();
    assert.equal((await index.analytics.listProblems()).filter((p) => p.file === RUN).length, 1);
    index.db.run('DROP TRIGGER refuse');
    await reindex();
    assert.ok(await index.analytics.getRun(RUN_ID));
    assert.equal((await index.analytics.listProblems()).filter((p) => p.file === RUN).length, 0);
  });

  it('applies later passes on an existing index after a NaN appears in one folder', async () => {
    await reindex();
    setTrustValue(workspace, 'NaN');
    const file = path.join(workspace, 'output/ai-summit/run-004/european-union-001.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Action\n', '## Action\nCHANGED.\n'));
    const report = await reindex();
    assert.equal(report.foldersIndexed, 2);
    assert.ok((await index.analytics.queryDecisionsForActor('European Union')).some((d) => d.action.startsWith('CHANGED.')));
    assert.equal(value("SELECT COUNT(*) FROM metrics WHERE timestamp LIKE '2025-11-24 09:49:02.621673%'"), 0);
    assert.ok(await index.analytics.getRun(RUN_ID), 'the run with the NaN is still indexed');
  });
});
