/**
 * Two run folders of a parallel batch that carry one run id (Scenario Lab's batches do this):
 * `stats` and `compare` show figures per folder, never turns summed over both folders nor a
 * negative "not itemised" cost, while Scenario Lab's own tables stay merged as its Database holds them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';
import { runCli as cli, sqlite3 } from '../helpers/processes';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'shared-run-id-batch');
const RUN_ID = 'run-20251124-090331';
const FOLDERS = ['experiments/model-comparison/runs/var-001-run-001', 'experiments/model-comparison/runs/var-001-run-002'];

describe('a run id carried by two folders (parallel batch runs)', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-shared-id-'));
    db = path.join(dir, 'index.db');
    const result = cli('index', WORKSPACE, '--db', db);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /used by 2 folders/);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps Scenario Lab\'s tables merged: one run row, both folders\' turns under it', () => {
    assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM runs').trim(), '1');
    assert.equal(sqlite3(db, `SELECT COUNT(*) FROM turns WHERE run_id = '${RUN_ID}'`).trim(), '8');
  });

  it('stats --json gives one entry per folder, each with its own turns, total and a non-negative not-itemised cost', () => {
    const result = cli('stats', RUN_ID, '--db', db, '--json');
    assert.equal(result.code, 0, result.stderr);
    const sections = JSON.parse(result.stdout);
    assert.deepEqual(sections.map((s: { folder: string }) => s.folder), FOLDERS);
    const totals = sections.map((s: { total_cost: number }) => s.total_cost);
    assert.deepEqual(totals.map((t: number) => t.toFixed(4)), ['0.1517', '0.1792']);
    for (const s of sections) {
      assert.equal(s.turn_count, 4);
      assert.equal(s.decision_count, 16);
      assert.ok(s.cost_not_itemised >= 0, `not itemised ${s.cost_not_itemised}`);
      const phases = s.cost_by_phase.reduce((n: number, c: { total: number }) => n + c.total, 0);
      assert.ok(Math.abs(phases + s.cost_not_itemised - s.total_cost) < 1e-9, 'phases plus not itemised make the folder total');
    }
  });

  it('stats prints one labelled section per folder, and takes a folder path (relative or absolute) for one', () => {
    const text = cli('stats', RUN_ID, '--db', db).stdout;
    for (const f of FOLDERS) assert.match(text, new RegExp(`== folder ${f}`));
    assert.doesNotMatch(text, /-\$/, 'no negative cost');
    assert.doesNotMatch(text, /completed\s+8\s/, 'no summed turn count');
    for (const arg of [FOLDERS[1], path.join(WORKSPACE, FOLDERS[1])]) {
      const one = JSON.parse(cli('stats', arg, '--db', db, '--json').stdout);
      assert.equal(one.folder, FOLDERS[1]);
      assert.equal(one.turn_count, 4);
      assert.equal(one.total_cost.toFixed(4), '0.1792');
    }
  });

  it('compare shows one row per folder with the folder\'s own figures', () => {
    const json = JSON.parse(cli('compare', RUN_ID, '--db', db, '--json').stdout);
    assert.deepEqual(json.runs.map((r: { folder: string; turn_count: number }) => [r.folder, r.turn_count]), FOLDERS.map((f) => [f, 4]));
    const text = cli('compare', RUN_ID, FOLDERS[0], '--db', db).stdout;
    assert.doesNotMatch(text, /-\$/);
    assert.equal(text.trim().split('\n').length, 2 + 2, 'a header, a rule and one row per folder (the folder given again is not repeated)');
  });
});
