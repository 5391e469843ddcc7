/**
 * The `scenario-lab` command end to end: the bundled dist/cli.js spawned as a process (as a user
 * runs it), its database opened by the sqlite3 CLI and by SQLAlchemy the way Scenario Lab does.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_SAMPLES } from '../helpers/paths';
import { runCli as cli, sqlite3, CLI } from '../helpers/processes';

const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');
const REFERENCE = JSON.parse(fs.readFileSync(path.join(SHARED_SAMPLES, 'workspace-small.reference.json'), 'utf8'));
const THREE_RUNS = ['run-20251124-094755', 'run-20251124-111646', 'run-20251124-132046'];



describe('scenario-lab CLI', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-'));
    db = path.join(dir, 'index.db');
    const result = cli('index', WORKSPACE, '--db', db);
    assert.equal(result.code, 0, result.stderr);
    // 10 run folders and the calibration-run fragment of ai-2027 (documents only, no run).
    assert.match(result.stdout, /Indexed 11 run folder\(s\) .*: 10 runs in/);
    assert.match(result.stderr, /write (\d+)\/\1/, 'progress goes to stderr');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a SQLite file the sqlite3 CLI opens, with Scenario Lab\'s tables and DDL', () => {
    const tables = sqlite3(db, '.tables').split(/\s+/).filter(Boolean).sort();
    for (const table of ['communications', 'costs', 'decisions', 'metrics', 'runs', 'schema_version', 'turns']) assert.ok(tables.includes(table), table);
    assert.match(sqlite3(db, '.schema runs'), /CREATE TABLE runs \(\s+id VARCHAR NOT NULL,\s+scenario_id VARCHAR NOT NULL,[\s\S]+PRIMARY KEY \(id\)\s+\);/);
    assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM runs').trim(), '10');
    assert.equal(sqlite3(db, 'PRAGMA integrity_check').trim(), 'ok');
  });

  it('answers stats and compare with the guide\'s snake_case names and Scenario Lab\'s figures', () => {
    const stats = JSON.parse(cli('stats', THREE_RUNS[0], '--db', db, '--json').stdout);
    const expected = REFERENCE.run_statistics[THREE_RUNS[0]];
    assert.equal(stats.run_id, THREE_RUNS[0]);
    assert.equal(stats.scenario_name, expected.scenario);
    assert.equal(stats.turn_count, expected.turns);
    assert.equal(stats.decision_count, expected.decisions);
    assert.equal(stats.communication_count, expected.communications);
    assert.equal(stats.metric_count, expected.metrics);
    assert.equal(stats.total_cost.toFixed(9), expected.total_cost.toFixed(9));
    assert.deepEqual(
      stats.cost_by_phase.map((c: { phase: string; total: number }) => [c.phase, c.total.toFixed(9)]),
      Object.entries(expected.cost_by_phase).map(([phase, total]) => [phase, (total as number).toFixed(9)]),
    );
    const comparison = JSON.parse(cli('compare', ...THREE_RUNS, '--db', db, '--json').stdout);
    assert.deepEqual(comparison.runs.map((r: { run_id: string }) => r.run_id), THREE_RUNS);
    assert.deepEqual(comparison.runs.map((r: { decision_count: number }) => r.decision_count), THREE_RUNS.map((id) => REFERENCE.run_statistics[id].decisions));
  });

  it('aggregates, evolves and lists metrics and decisions', () => {
    const aggregate = JSON.parse(cli('aggregate', 'cooperation_level', '--scenario', 'AI Safety Summit 2026', '--db', db, '--json').stdout);
    assert.deepEqual(Object.keys(aggregate), ['metric', 'scenario', 'avg', 'min', 'max', 'count']);
    const evolution = JSON.parse(cli('evolution', 'cooperation_level', '--db', db, '--json').stdout);
    assert.deepEqual(evolution.turns.map((t: { turn_number: number }) => t.turn_number), [1, 2, 3, 4, 5]);
    assert.equal(evolution.turns.reduce((n: number, t: { count: number }) => n + t.count, 0), aggregate.count + JSON.parse(cli('aggregate', 'cooperation_level', '--scenario', 'AI Regulatory Negotiation', '--db', db, '--json').stdout).count);
    const metrics = JSON.parse(cli('metrics', '--name', 'trust_level', '--db', db, '--json').stdout);
    assert.ok(metrics.length > 0 && metrics.every((m: { metric_name: string; source: { file: string } }) => m.metric_name === 'trust_level' && m.source.file.endsWith('.json')));
    const decisions = JSON.parse(cli('decisions', 'European Union', '--scenario', 'AI Safety Summit 2026', '--db', db, '--json').stdout);
    // 10 in Scenario Lab's database plus the 3 of the V1 run, which only our index holds.
    assert.equal(decisions.length, REFERENCE.decisions_for_actor['European Union'].by_scenario['AI Safety Summit 2026'] + 3);
    assert.ok(decisions.every((d: { source: { file: string; focus_line: number } }) => d.source.file.endsWith('.md') && d.source.focus_line > 1));
    const table = cli('runs', '--db', db);
    assert.match(table.stdout, /run id\s+scenario\s+status/);
  });

  it('exports CSV and backs up to a file that opens on its own', () => {
    const csv = path.join(dir, 'metrics.csv');
    assert.equal(cli('export-csv', '--name', 'cooperation_level', '--out', csv, '--db', db).code, 0);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
    assert.equal(lines[0], 'run_id,scenario_id,turn_num,metric,actor,value,timestamp,source_file,source_line');
    assert.ok(lines.slice(1).every((l) => l.includes(',cooperation_level,')));
    const backup = path.join(dir, 'backup.db');
    assert.equal(cli('backup', backup, '--db', db).code, 0);
    assert.equal(sqlite3(backup, 'SELECT COUNT(*) FROM decisions'), sqlite3(db, 'SELECT COUNT(*) FROM decisions'));
  });

  it('runs read-only SQL and refuses writes', () => {
    assert.deepEqual(JSON.parse(cli('sql', 'SELECT COUNT(*) AS n FROM runs', '--db', db, '--json').stdout), [{ n: 10 }]);
    const write = cli('sql', 'DELETE FROM runs', '--db', db);
    assert.equal(write.code, 2, 'SQL that is refused is a bad argument');
    assert.match(write.stderr, /read-only/i);
    assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM runs').trim(), '10');
  });

  it('fails clearly on bad arguments, a missing index and an unknown run', () => {
    assert.equal(cli().code, 2);
    const unknown = cli('frobnicate', '--db', db);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command 'frobnicate'/);
    assert.equal(cli('runs').code, 2);
    assert.equal(cli('runs', '--db', db, '--bogus').code, 2);
    const missing = cli('runs', '--db', path.join(dir, 'nope.db'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no index at .*nope\.db/);
    const run = cli('stats', 'run-00000000-000000', '--db', db);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no run with id run-00000000-000000/);
  });

  it('never writes into a scenario-lab.db that Scenario Lab owns', () => {
    const theirs = path.join(dir, 'scenario-lab.db');
    fs.copyFileSync(path.join(WORKSPACE, 'scenario-lab.db'), theirs);
    const before = fs.readFileSync(theirs);
    const result = cli('index', WORKSPACE, '--db', theirs);
    assert.equal(result.code, 2, 'a file the CLI refuses to touch');
    assert.match(result.stderr, /Scenario Lab's own database/);
    assert.ok(fs.readFileSync(theirs).equals(before));
  });

  it('reads back in Python with SQLAlchemy, as Scenario Lab\'s Database class would, with the same answers', function () {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import sqlalchemy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // CI installs python3-sqlalchemy (.ci/run); a developer machine without it skips this one check.
      if (process.env.CI) assert.fail('python3-sqlalchemy is required in CI');
      this.skip();
    }
    const ids = REFERENCE.list_runs.map((r: { id: string }) => r.id);
    const result = spawnSync('/usr/bin/python3', [path.join(REPO_ROOT, 'test', 'python', 'read_with_sqlalchemy.py'), db, ...ids], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const answers = JSON.parse(result.stdout);
    assert.deepEqual(answers.list_runs, REFERENCE.list_runs);
    assert.deepEqual(answers.run_statistics, REFERENCE.run_statistics);
    for (const [metric, expected] of Object.entries(REFERENCE.aggregate_metrics as Record<string, { overall: object }>)) {
      const { metric: _name, scenario: _scenario, ...overall } = expected.overall as Record<string, unknown>;
      assert.deepEqual(answers.aggregate_metrics[metric], overall, metric);
    }
  });
});
