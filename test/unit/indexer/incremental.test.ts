/**
 * Incremental indexing on a temp copy of the sample workspace: what changes is re-read, what is
 * deleted disappears, a half-written JSON file is "pending" until it stops changing, and a copied
 * run folder (same run id) is indexed and reported.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { persistenceDecision } from '../helpers/runFiles';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const RUN = 'output/ai-summit/run-002';
const RUN_ID = 'run-20251124-094755';

describe('incremental indexing', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const roots = () => [{ name: 'ws', absPath: workspace }];
  const reindex = (onlyFolders?: string[]) => index.index({ roots: roots(), onlyFolders, read: { pendingWindowMs: 2000 } });
  const count = (sql: string, params: (string | number)[] = []) => Number(index.db.exec(sql, params)[0].values[0][0]);

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-incremental-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    // Files older than the pending window, as on a workspace nobody is writing to.
    backdate(workspace);
    index = await openConnectedScenarioIndex(undefined);
    await reindex();
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('re-reads nothing when nothing changed', async () => {
    const report = await reindex();
    assert.equal(report.foldersIndexed, 0);
    assert.equal(report.foldersUnchanged, report.foldersSeen);
    assert.equal(report.filesRead, 0);
  });

  it('re-reads only the folder whose file changed, and the new text is what the index answers', async () => {
    const file = path.join(workspace, RUN, 'european-union-002.md');
    const text = fs.readFileSync(file, 'utf8').replace('## Action\n', '## Action\nA NEW FIRST LINE OF THE ACTION.\n');
    fs.writeFileSync(file, text);
    const report = await reindex();
    assert.equal(report.foldersIndexed, 1);
    const decisions = await index.analytics.listDecisions(RUN_ID, 2);
    const eu = decisions.find((d) => d.actor === 'European Union');
    assert.ok(eu?.action.startsWith('A NEW FIRST LINE OF THE ACTION.'));
    assert.equal(count('SELECT COUNT(*) FROM decisions'), 128, 'no duplicated rows after the re-index');
  });

  it('skips a file that was touched but not changed (same hash)', async () => {
    const file = path.join(workspace, RUN, 'metrics.json');
    const now = new Date();
    fs.utimesSync(file, now, new Date(now.getTime() - 60_000));
    const report = await reindex();
    assert.equal(report.foldersIndexed, 0);
    assert.equal(report.foldersUnchanged, report.foldersSeen);
  });

  it('drops a deleted run folder and adds a new one, also when only those folders are named', async () => {
    const runs = count('SELECT COUNT(*) FROM runs');
    fs.rmSync(path.join(workspace, 'output/ai-summit/run-004'), { recursive: true });
    let report = await reindex([path.join(workspace, 'output/ai-summit/run-004')]);
    assert.equal(report.foldersRemoved, 1);
    assert.equal(count('SELECT COUNT(*) FROM runs'), runs - 1);
    assert.equal(count("SELECT COUNT(*) FROM turns WHERE run_id = 'run-20251124-132046'"), 0);
    assert.equal(count("SELECT COUNT(*) FROM sl_origins o LEFT JOIN turns t ON t.id = o.row_id WHERE o.tbl = 'turns' AND t.id IS NULL"), 0, 'no orphan origins');

    fs.cpSync(FIXTURE + '/output/ai-summit/run-004', path.join(workspace, 'output/ai-summit/run-009'), { recursive: true });
    backdate(path.join(workspace, 'output/ai-summit/run-009'));
    report = await reindex([path.join(workspace, 'output/ai-summit/run-009')]);
    assert.equal(report.foldersIndexed, 1);
    assert.equal(count('SELECT COUNT(*) FROM runs'), runs);
  });

  it('indexes a copied run folder too, keeps one run row for the shared id, and reports the clash', async () => {
    fs.cpSync(path.join(workspace, RUN), path.join(workspace, 'output/ai-summit/run-002-copy'), { recursive: true });
    backdate(path.join(workspace, 'output/ai-summit/run-002-copy'));
    await reindex();
    const clashes = await index.analytics.runIdClashes();
    assert.deepEqual(clashes, [{ runId: RUN_ID, folders: [RUN, 'output/ai-summit/run-002-copy'] }]);
    const run = await index.analytics.getRun(RUN_ID);
    assert.equal(run?.folders.length, 2);
    assert.equal((await index.analytics.getRunByFolder('output/ai-summit/run-002-copy'))?.id, RUN_ID);
    // Scenario Lab's own database appends the turns of both folders under the one id (docs/format.md#shared-run-ids).
    assert.equal(count('SELECT COUNT(*) FROM turns WHERE run_id = ?', [RUN_ID]), 8);
    // Communication ids are a global key: stored once.
    assert.equal(count('SELECT COUNT(*) FROM communications c JOIN turns t ON t.id = c.turn_id WHERE t.run_id = ?', [RUN_ID]), 13);
    // Removing the copy gives the original answers back.
    fs.rmSync(path.join(workspace, 'output/ai-summit/run-002-copy'), { recursive: true });
    await reindex();
    assert.equal((await index.analytics.getRunStatistics(RUN_ID))?.communicationCount, 13);
    assert.equal(count('SELECT COUNT(*) FROM turns WHERE run_id = ?', [RUN_ID]), 4);
  });

  it('after changes, copies and deletions holds what a fresh index of the same files holds, with every row traced to its source', async () => {
    const decision = path.join(workspace, RUN, 'china-002.md');
    fs.writeFileSync(decision, fs.readFileSync(decision, 'utf8').replace('## Action\n', '## Action\nCHANGED FIRST LINE.\n'));
    fs.cpSync(path.join(workspace, RUN), path.join(workspace, 'output/ai-summit/run-002-copy'), { recursive: true });
    fs.rmSync(path.join(workspace, 'output/ai-summit/run-003'), { recursive: true });
    backdate(workspace);
    await reindex([path.join(workspace, RUN)]);
    await reindex();
    const fresh = await openConnectedScenarioIndex(undefined);
    try {
      await fresh.index({ roots: roots(), read: { pendingWindowMs: 2000 } });
      assert.deepEqual(contentOf(index), contentOf(fresh));
    } finally {
      await fresh.close();
    }
    for (const table of ['turns', 'decisions', 'communications', 'metrics', 'costs']) {
      const rows = count(`SELECT COUNT(*) FROM ${table}`);
      assert.equal(count(`SELECT COUNT(*) FROM sl_origins o JOIN ${table} x ON x.rowid = o.row_id WHERE o.tbl = ?`, [table]), rows, `${table}: one origin per row`);
      assert.equal(count('SELECT COUNT(*) FROM sl_origins WHERE tbl = ?', [table]), rows, `${table}: no origin without its row`);
      const inRanges = count(`SELECT COUNT(*) FROM ${table} x JOIN sl_folder_rows r ON r.tbl = ? AND x.rowid BETWEEN r.first_id AND r.last_id`, [table]);
      assert.equal(inRanges, rows, `${table}: every row in exactly one folder's range`);
    }
  });

  it('treats a half-written state file as pending while it changes, then as an error once it stops', async () => {
    const file = path.join(workspace, RUN, 'scenario-state.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    let report = await reindex();
    assert.deepEqual(report.pendingFolders, [RUN]);
    const problems = await index.analytics.listProblems();
    assert.equal(problems.filter((p) => p.file.endsWith('scenario-state.json') && p.severity === 'error').length, 0, 'no error while still writing');

    backdate(path.join(workspace, RUN));
    report = await reindex();
    assert.deepEqual(report.pendingFolders, []);
    const after = await index.analytics.listProblems();
    const error = after.find((p) => p.file === `${RUN}/scenario-state.json` && p.severity === 'error');
    assert.ok(error, 'a truncated state file that stopped changing is reported');
    assert.ok(error.line > 1, 'at the line where it breaks');
    // scenario-state-v2.json still describes the run, so nothing that parsed is lost.
    assert.equal((await index.analytics.getRunStatistics(RUN_ID))?.decisionCount, 16);
  });

  it('keeps indexing every other run when files are broken, binary or unknown', async () => {
    fs.writeFileSync(path.join(workspace, RUN, 'metrics.json'), '[{"name": "cooperation_level", "value": 4.5, "tu');
    fs.writeFileSync(path.join(workspace, 'output/ai-summit/run-003/world-state-001.md'), Buffer.from([0, 1, 2, 3, 0, 255]));
    fs.writeFileSync(path.join(workspace, 'output/ai-summit/run-003/notes.txt'), 'a researcher left notes here');
    fs.writeFileSync(path.join(workspace, 'output/ai-summit/run-004/china-001.md'), '');
    backdate(workspace);
    await reindex();
    assert.equal((await index.analytics.listRuns()).length, 10);
    const problems = await index.analytics.listProblems();
    assert.ok(problems.some((p) => p.file === `${RUN}/metrics.json` && p.severity === 'error' && /metrics\.json/.test(p.message)));
    assert.ok(problems.some((p) => p.file === 'output/ai-summit/run-003/world-state-001.md' && /binary/.test(p.message)));
    assert.ok(!problems.some((p) => p.file.endsWith('notes.txt')), 'unknown files are not problems');
    // The metrics are also in the state files (docs/format.md#incomplete-folders): the broken metrics.json loses nothing.
    assert.equal((await index.analytics.getRunStatistics(RUN_ID))?.metricCount, 49);
  });

  it('reads files written on Windows (cp1252 + CRLF) and actor names with punctuation and Unicode', async () => {
    const dir = path.join(workspace, 'output/odd/run-001');
    fs.mkdirSync(dir, { recursive: true });
    const decision = persistenceDecision({
      actor: "Côte d'Ivoire",
      goals: ['Keep cocoa prices stable'],
      reasoning: 'We weigh the “OpenBrain/DeepCent Coalition” offer.',
      action: 'Sign the memorandum – with reservations.',
    }).replace(/\n/g, '\r\n');
    fs.writeFileSync(path.join(dir, "côte-d'ivoire-001.md"), windows1252(decision));
    fs.writeFileSync(path.join(dir, 'world-state-001.md'), 'The state after turn 1.');
    backdate(dir);
    await reindex();
    const decisions = await index.analytics.queryDecisionsForActor("Côte d'Ivoire");
    assert.equal(decisions.length, 1);
    assert.equal(decisions[0].runId, 'folder:output/odd/run-001');
    assert.equal(decisions[0].action, 'Sign the memorandum – with reservations.');
    assert.match(decisions[0].reasoning, /“OpenBrain\/DeepCent Coalition”/);
  });
});

/** What an index answers, without the row ids that differ between an updated index and a fresh one. */
function contentOf(index: ConnectedScenarioIndex): unknown[][][] {
  const queries = [
    'SELECT id, scenario_id, created, status, total_turns, total_cost, config FROM runs ORDER BY id',
    'SELECT t.run_id, t.turn_num, t.timestamp, t.world_state, f.path, o.start_line, o.end_line, o.focus_line FROM turns t LEFT JOIN sl_origins o ON o.tbl = \'turns\' AND o.row_id = t.id LEFT JOIN sl_files f ON f.id = o.file_id ORDER BY 1, 2, 5',
    'SELECT t.run_id, t.turn_num, d.actor, d.goals, d.reasoning, d.action, f.path, o.focus_line FROM decisions d JOIN turns t ON t.id = d.turn_id LEFT JOIN sl_origins o ON o.tbl = \'decisions\' AND o.row_id = d.id LEFT JOIN sl_files f ON f.id = o.file_id ORDER BY 1, 2, 3, 7',
    'SELECT c.id, t.run_id, t.turn_num, c.sender, c.recipients, c.content FROM communications c JOIN turns t ON t.id = c.turn_id ORDER BY 1',
    'SELECT t.run_id, t.turn_num, m.name, m.value, m.actor, m.timestamp, f.path, o.start_line FROM metrics m JOIN turns t ON t.id = m.turn_id LEFT JOIN sl_origins o ON o.tbl = \'metrics\' AND o.row_id = m.id LEFT JOIN sl_files f ON f.id = o.file_id ORDER BY 1, 2, 3, 5, 6, 7, 8',
    'SELECT run_id, timestamp, actor, phase, model, input_tokens, output_tokens, cost FROM costs ORDER BY 1, 2, 3, 4',
    'SELECT path, run_id, status, last_turn FROM sl_folders ORDER BY path',
    'SELECT file, line, severity, message FROM sl_problems ORDER BY 1, 2, 4',
  ];
  return queries.map((sql) => index.db.exec(sql)[0]?.values ?? []);
}

function backdate(dir: string): void {
  const past = new Date(Date.now() - 10 * 60_000);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), past, past);
  }
}

/** What Python's default encoding on Windows writes: Latin-1, plus cp1252's own 0x80–0x9F punctuation. */
function windows1252(text: string): Buffer {
  const cp1252: Record<string, number> = { '–': 0x96, '—': 0x97, '“': 0x93, '”': 0x94, '‘': 0x91, '’': 0x92, '€': 0x80 };
  return Buffer.from([...text].map((c) => cp1252[c] ?? c.charCodeAt(0)));
}
