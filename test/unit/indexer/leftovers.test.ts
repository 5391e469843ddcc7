/**
 * Leftovers (issue 12, kind 7): files of an older run in a reused folder are reported, not indexed
 * as this run's turns, and the run's progress label is right; a copied folder (fresh file times)
 * does not look like a run still writing.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRunProgress } from '../../../src/core/analytics/runProgress';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { decisionPhaseDecision } from '../helpers/runFiles';

/** The input of ../shared/cases/stale-files-false-interrupted-turn, copied. */
const CASE = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'stale-files-false-interrupted-turn', 'ws');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const STALE = 'output/ai-regulatory-negotiation/run-001';

describe('leftovers of an older run in a reused folder', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const reindex = () => index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
  const rows = (sql: string, params: (string | number)[] = []) => index.db.exec(sql, params)[0]?.values ?? [];
  const leftoverProblems = () => rows("SELECT file, message FROM sl_problems WHERE message LIKE '%left over from another run%'");

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-leftovers-'));
    index = await openConnectedScenarioIndex(undefined);
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('the case: a run that ended after turn 3 is not "interrupted in turn 5"; the older files are named', async () => {
    // Copied just now, as `cp -r` does: every file time is fresh.
    fs.cpSync(CASE, workspace, { recursive: true });
    await reindex();
    const [run] = await index.analytics.listRuns();
    const folder = run.folders[0];
    assert.equal(folder.lastTurn, 3);
    assert.equal(folder.leftoverTurn, null);
    assert.deepEqual(rows("SELECT COUNT(*) FROM sl_problems WHERE message LIKE '%was interrupted%'"), [[0]]);
    assert.deepEqual(rows('SELECT DISTINCT turn_num FROM turns ORDER BY turn_num'), [[1], [2], [3]]);

    const [problem] = leftoverProblems();
    assert.match(String(problem[0]), /run-001\/scenario-state\.json$/);
    for (const name of ['china-004.md', 'us-004.md', 'china-005.md', 'us-005.md', 'world-state-004.md', 'world-state-005.md']) {
      assert.ok(String(problem[1]).includes(name), `${name} is named`);
    }
    for (const name of ['china-003.md', 'world-state-003.md']) assert.ok(!String(problem[1]).includes(name), `${name} is this run's`);

    // The progress label of the Runs view, with the file times the copy left (seconds ago).
    const [activity] = await index.analytics.folderActivity();
    const progress = describeRunProgress({ ...folder, status: run.status }, activity.lastModifiedMs, Date.now());
    assert.deepEqual(progress, { kind: 'ended', text: 'ended after turn 3, status not recorded', turn: 3 });
  });

  it("an older run's scenario-state-v2.json (another run id, a later turn) is named as its file and none of it is used", async () => {
    fs.cpSync(CASE, workspace, { recursive: true });
    const v2File = path.join(workspace, STALE, 'scenario-state-v2.json');
    const v2 = JSON.parse(fs.readFileSync(v2File, 'utf8'));
    Object.assign(v2, { run_id: 'run-20251124-151111', turn: 5, status: 'completed' });
    for (const m of v2.metrics) m.value = 1000 + m.value;
    fs.writeFileSync(v2File, JSON.stringify(v2, null, 2));
    await reindex();
    assert.deepEqual(rows('SELECT id, status FROM runs'), [['run-20251124-163940', 'running']]);
    assert.deepEqual(rows('SELECT DISTINCT turn_num FROM turns ORDER BY turn_num'), [[1], [2], [3]]);
    assert.deepEqual(rows('SELECT COUNT(*) FROM metrics WHERE value >= 1000'), [[0]], "the other run's metrics");
    assert.ok(Number(rows('SELECT COUNT(*) FROM metrics')[0][0]) > 0);
    const said = leftoverProblems().map((p) => String(p[1])).join('\n');
    assert.match(said, /world-state-005\.md/);
    assert.deepEqual(rows("SELECT COUNT(*) FROM sl_problems WHERE file LIKE '%scenario-state-v2.json' AND message LIKE '%run-20251124-151111%'"), [[1]]);
  });

  it("an older run's actor file of an early turn (same turn, another actor) is not taken for this run's decision", async () => {
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    const dir = path.join(workspace, 'output', 'ai-regulatory-negotiation', 'run-002');
    const older = decisionPhaseDecision({ actor: 'Japan', turn: 2, goals: ['- hold'], reasoning: 'Old run.', action: 'Wait.' }, '2025-11-20 08:00:00');
    fs.writeFileSync(path.join(dir, 'japan-002.md'), older);
    await reindex();
    assert.deepEqual(rows("SELECT COUNT(*) FROM decisions WHERE actor = 'Japan'"), [[0]]);
    const [problem] = leftoverProblems();
    assert.match(String(problem[1]), /written before this run started \(2025-11-24 16:39:40\): japan-002\.md/);
    assert.ok(Number(rows('SELECT COUNT(*) FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.turn_num = 2')[0][0]) > 0, "this run's turn 2 decisions stay");
  });

  it('a turn the run really was in (files written after it started) is still its interrupted turn', async () => {
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    await reindex();
    const folder = (await index.analytics.listFolders()).find((f) => f.path === 'output/ai-regulatory-negotiation/run-003');
    assert.equal(folder?.leftoverTurn, 3);
    assert.equal(leftoverProblems().length, 0, 'the sample workspace has no leftovers');
  });

  it('turn files two turns beyond the state file are leftovers even without a time', async () => {
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    const dir = path.join(workspace, STALE.replace('run-001', 'run-004'));
    fs.writeFileSync(path.join(dir, 'china-009.md'), '# China - Turn 9\n\n## Goals\n\n## Reasoning\n\n## Action\n\nNothing.\n');
    await reindex();
    const folder = (await index.analytics.listFolders()).find((f) => f.path === 'output/ai-regulatory-negotiation/run-004');
    assert.equal(folder?.leftoverTurn, null);
    assert.match(String(leftoverProblems()[0][1]), /of turns after 4, which this run never reached: china-009\.md/);
  });
});
