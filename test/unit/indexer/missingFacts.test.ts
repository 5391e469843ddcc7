/**
 * Missing facts (issue 12, kind 6): a run whose state file is absent, truncated or lacks a key
 * takes each fact from the best source its folder still has (the other state file, the run id's
 * timestamp, the earliest record, costs.json), says so in a problem, and never stores a made-up
 * value (1970-01-01, an empty run id, a total cost of 0).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localSqlTime } from '../../../src/core/format/timestamps';
import { runIdTime, runStartOf } from '../../../src/core/indexer/runFacts';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
/** The input of ../shared/cases/created-1970-without-state-json, copied. */
const CASE = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'created-1970-without-state-json', 'ws');
const SUMMIT4 = 'output/ai-summit/run-004';

describe('missing facts: each taken from the best source the folder has', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const reindex = () => index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
  const rows = (sql: string, params: (string | number)[] = []) => index.db.exec(sql, params)[0]?.values ?? [];
  const problems = (like: string) => rows('SELECT file, severity, message FROM sl_problems WHERE message LIKE ?', [like]);

  function copy(from: string): void {
    fs.cpSync(from, workspace, { recursive: true });
    backdate(workspace);
  }

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-facts-'));
    index = await openConnectedScenarioIndex(undefined);
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('the case: a run with only scenario-state-v2.json is dated by its run id, not 1970, and sorts as the newest', async () => {
    copy(CASE);
    await reindex();
    assert.deepEqual(rows("SELECT COUNT(*) FROM runs WHERE created LIKE '1970%'"), [[0]]);
    assert.deepEqual(rows("SELECT created FROM runs WHERE id = 'run-20251124-170102'"), [['2025-11-24 17:01:02.000000']]);
    const listed = await index.analytics.listRuns();
    assert.equal(listed[0].id, 'run-20251124-170102', 'newest first');
    const said = problems('%run id%timestamp%');
    assert.equal(said.length, 1);
    assert.match(String(said[0][0]), /run-005\/scenario-state-v2\.json$/);
    assert.match(String(said[0][2]), /2025-11-24 17:01:02/);
  });

  it('a state file truncated after an earlier pass: the run keeps its id, status, cost and a true start', async () => {
    copy(FIXTURE);
    await reindex();
    const before = rows('SELECT id, status, total_cost, created FROM runs WHERE id = (SELECT run_id FROM sl_folders WHERE path = ?)', [SUMMIT4]);
    assert.equal(before.length, 1);
    const [runId, status, totalCost] = before[0];

    const stateFile = path.join(workspace, SUMMIT4, 'scenario-state.json');
    const text = fs.readFileSync(stateFile, 'utf8');
    fs.writeFileSync(stateFile, text.slice(0, Math.floor(text.length / 2)));
    backdate(workspace);
    await reindex();

    const after = rows('SELECT id, status, total_cost, created FROM runs WHERE id = ?', [String(runId)]);
    assert.equal(after.length, 1, 'the run keeps its id (from scenario-state-v2.json)');
    assert.equal(after[0][1], status);
    assert.ok(Math.abs(Number(after[0][2]) - Number(totalCost)) < 1e-9, `total cost ${after[0][2]} (was ${totalCost}) comes from costs.json`);
    assert.equal(after[0][3], runIdTime(String(runId)), 'created from the run id, the same second as started_at');
    assert.ok(String(before[0][3]).startsWith(String(after[0][3]).slice(0, 19)));
    assert.equal(problems('%run id%timestamp%').length, 1);
  });

  it('both state files unreadable: markdown, metrics.json and costs.json are kept; the total cost is not invented', async () => {
    copy(FIXTURE);
    for (const name of ['scenario-state.json', 'scenario-state-v2.json']) fs.writeFileSync(path.join(workspace, SUMMIT4, name), '{"run_id": "run-2025');
    backdate(workspace);
    await reindex();
    const [folder] = rows('SELECT run_id, total_cost, started_at FROM sl_folders WHERE path = ?', [SUMMIT4]);
    assert.equal(folder[0], `folder:${SUMMIT4}`);
    const costsJson = JSON.parse(fs.readFileSync(path.join(workspace, SUMMIT4, 'costs.json'), 'utf8')) as { total_cost: number };
    assert.equal(folder[1], costsJson.total_cost);
    assert.match(String(folder[2]), /^2025-11-24 /, 'started_at from the earliest record');
    assert.ok(Number(rows('SELECT COUNT(*) FROM metrics m JOIN turns t ON t.id = m.turn_id WHERE t.run_id = ?', [String(folder[0])])[0][0]) > 0);
    assert.ok(Number(rows('SELECT COUNT(*) FROM costs WHERE run_id = ?', [String(folder[0])])[0][0]) > 0);
    assert.equal(problems('%earliest record%').length, 1);
    assert.deepEqual(rows("SELECT COUNT(*) FROM runs WHERE created LIKE '1970%'"), [[0]]);
  });

  it('without state files or costs.json the total cost is unknown in our table, not $0', async () => {
    copy(FIXTURE);
    for (const name of ['scenario-state.json', 'scenario-state-v2.json', 'costs.json']) fs.rmSync(path.join(workspace, SUMMIT4, name));
    await reindex();
    assert.deepEqual(rows('SELECT total_cost FROM sl_folders WHERE path = ?', [SUMMIT4]), [[null]]);
  });

  it('a key scenario-state.json lacks is taken from scenario-state-v2.json, never stored as an empty value', async () => {
    copy(FIXTURE);
    const stateFile = path.join(workspace, SUMMIT4, 'scenario-state.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    const runId = state.run_id;
    const v2 = JSON.parse(fs.readFileSync(path.join(workspace, SUMMIT4, 'scenario-state-v2.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(v2.run_id, runId);
    assert.notEqual(v2.status, undefined);
    delete state.run_id;
    delete state.status;
    delete state.started_at;
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
    backdate(workspace);
    await reindex();
    assert.deepEqual(rows("SELECT COUNT(*) FROM runs WHERE id = ''"), [[0]]);
    const [run] = rows('SELECT id, status, created FROM runs WHERE id = ?', [String(runId)]);
    assert.ok(run, 'the run keeps its id');
    assert.equal(run[1], v2.status, 'status of scenario-state-v2.json');
    assert.equal(run[2], runIdTime(String(runId)));
    assert.equal(problems('"run_id" is taken from the other state file%').length, 1);
  });

  it('an empty run id in both state files is no run id: the run is listed under its folder, never as run ""', async () => {
    copy(FIXTURE);
    for (const name of ['scenario-state.json', 'scenario-state-v2.json']) {
      const file = path.join(workspace, SUMMIT4, name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"run_id": "run-20251124-132046"', '"run_id": ""'));
    }
    await reindex();
    assert.deepEqual(rows("SELECT COUNT(*) FROM runs WHERE id = ''"), [[0]]);
    assert.deepEqual(rows('SELECT run_id FROM sl_folders WHERE path = ?', [SUMMIT4]), [[`folder:${SUMMIT4}`]]);
    assert.equal((await index.analytics.listRuns()).length, 10, 'every run listed');
    assert.ok(problems('%has an empty "run_id"%').length >= 1);
  });

  it('a run whose files record no time at all: created is the earliest file time, with a warning', async () => {
    const dir = path.join(workspace, 'output', 'demo', 'run-001');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'alpha-001.md'), '# Alpha - Turn 1\n\n## Goals\n- win\n\n## Reasoning\nBecause.\n\n## Action\nAct.\n');
    fs.writeFileSync(path.join(dir, 'world-state-001.md'), 'The world after turn 1.\n');
    const when = new Date(2024, 2, 5, 6, 7, 8);
    const later = new Date(2024, 2, 5, 7, 0, 0);
    fs.utimesSync(path.join(dir, 'alpha-001.md'), when, when);
    fs.utimesSync(path.join(dir, 'world-state-001.md'), later, later);
    await reindex();
    assert.deepEqual(rows('SELECT created FROM runs'), [[localSqlTime(when.getTime())]]);
    const [warning] = problems('%earliest modification time%');
    assert.equal(warning[1], 'warning');
  });

  it('times of the Unix epoch (a started_at of 1970, files whose times an archive or store zeroed) date no run', async () => {
    copy(FIXTURE);
    const state = path.join(workspace, SUMMIT4, 'scenario-state.json');
    fs.writeFileSync(state, fs.readFileSync(state, 'utf8').replace(/"started_at": "[^"]*"/, '"started_at": "1970-01-01T00:00:00"'));
    const dir = path.join(workspace, 'output', 'demo', 'run-001');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'alpha-001.md'), '# Alpha - Turn 1\n\n## Goals\n- win\n\n## Reasoning\nBecause.\n\n## Action\nAct.\n');
    fs.writeFileSync(path.join(dir, 'world-state-001.md'), 'The world after turn 1.\n');
    for (const name of ['alpha-001.md', 'world-state-001.md']) fs.utimesSync(path.join(dir, name), 1, 1);
    await reindex();
    assert.deepEqual(rows("SELECT COUNT(*) FROM runs WHERE created < '1971'"), [[0]]);
    assert.deepEqual(rows("SELECT created FROM runs WHERE id = 'run-20251124-132046'"), [['2025-11-24 13:20:46.000000']]);
    assert.equal(problems('%1970-01-01 00:00:00%run id%').length, 1, 'the ignored started_at is named');
    assert.equal(problems('%start (created) is unknown%').length, 1, 'the zeroed file times give no start');
  });
});

describe('runFacts', () => {
  it('reads the time of run, branch and batch run ids, and nothing else', () => {
    assert.equal(runIdTime('run-20251124-170102'), '2025-11-24 17:01:02.000000');
    assert.equal(runIdTime('branch-20250102-030405'), '2025-01-02 03:04:05.000000');
    assert.equal(runIdTime('run-20251324-170102'), undefined, 'month 13');
    assert.equal(runIdTime('var-001-run-002'), undefined);
    assert.equal(runIdTime('folder:ws/output/x/run-001'), undefined);
    assert.equal(runIdTime(null), undefined);
  });

  it('prefers the recorded start, then the run id, then the earliest record, then file times', () => {
    const base = { recorded: [], runId: null, records: [], fileTimesMs: [] };
    assert.equal(runStartOf(base), undefined);
    assert.deepEqual(runStartOf({ ...base, fileTimesMs: [Date.UTC(2030, 0, 1)] })?.source, 'file-time');
    assert.deepEqual(runStartOf({ ...base, records: ['2025-01-02 00:00:00.000000', '2025-01-01 00:00:00.000000', undefined] }), {
      time: '2025-01-01 00:00:00.000000',
      source: 'record',
    });
    assert.deepEqual(runStartOf({ ...base, runId: 'run-20250101-000000', records: ['2024-01-01 00:00:00.000000'] })?.source, 'run-id');
    assert.deepEqual(runStartOf({ ...base, recorded: [undefined, '2023-01-01 00:00:00.000000'], runId: 'run-20250101-000000' }), {
      time: '2023-01-01 00:00:00.000000',
      source: 'state',
    });
    const epoch = { ...base, recorded: ['1970-01-01 00:00:00.000000'], runId: 'run-20250101-000000' };
    assert.deepEqual(runStartOf(epoch), { time: '2025-01-01 00:00:00.000000', source: 'run-id', ignoredRecorded: '1970-01-01 00:00:00.000000' });
    assert.deepEqual(runStartOf({ ...base, records: ['1969-12-31 19:00:00.000000', '2025-01-01 00:00:00.000000'] })?.time, '2025-01-01 00:00:00.000000');
    assert.equal(runStartOf({ ...base, fileTimesMs: [0, 1000] }), undefined);
  });
});

function backdate(dir: string): void {
  const past = new Date(Date.now() - 10 * 60_000);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), past, past);
  }
}
