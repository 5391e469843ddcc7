/**
 * Run pickers (Compare Runs…, Show Run Statistics…, review reports) and the Runs tree describe a
 * run by folder, run id, status, turns, cost and scenario. VS Code's quick pick filter matches a
 * typed word against label, description and detail (with matchOnDescription/matchOnDetail), so a
 * run must be findable by each of them: checked here on the indexed sample workspace.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { RunSummary } from '../../../src/core/analytics/types';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { compareRunLabels, RUN_PICK_OPTIONS, runFolderPickItems, runPickItem, runTitle } from '../../../src/extension/runText';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

/** Does a typed filter find the item, on the fields VS Code searches with our options? */
function finds(item: ReturnType<typeof runPickItem>, typed: string): boolean {
  const fields = [item.label, RUN_PICK_OPTIONS.matchOnDescription ? item.description : '', RUN_PICK_OPTIONS.matchOnDetail ? item.detail : ''];
  return fields.some((f) => f.toLowerCase().includes(typed.toLowerCase()));
}

describe('run pick items', function () {
  this.timeout(30000);
  let index: ScenarioIndex;
  let runs: RunSummary[];
  before(async () => {
    index = await openScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
    runs = await index.analytics.listRuns();
  });
  after(() => index.close());

  it('finds every run by its folder, run id, status, scenario, turns and cost', () => {
    for (const run of runs) {
      const item = runPickItem(run);
      const folder = run.folders[0]?.path ?? '';
      for (const typed of [folder.split('/').pop()!, folder, run.id, run.status, run.scenarioName, `${run.totalTurns} turn`]) {
        assert.ok(finds(item, typed), `${run.id} by "${typed}"`);
      }
      assert.match(item.description, /\$\d+\.\d{4}$/, 'the cost with the product-wide 4 decimals');
      assert.equal(item.run, run);
    }
  });

  it('finds a halted run by typing "halted" and a batch run by its variation folder', () => {
    const halted = runs.filter((r) => r.status === 'halted');
    assert.ok(halted.length > 0, 'the sample has a halted run');
    const found = runs.map(runPickItem).filter((item) => finds(item, 'halted'));
    assert.deepEqual(found.map((i) => i.run.id).sort(), halted.map((r) => r.id).sort());
    const batch = runs.find((r) => r.folders.some((f) => /var-\d+/.test(f.path)));
    assert.ok(batch, 'the sample has a batch run');
    const variation = /var-\d+/.exec(batch.folders[0].path)![0];
    assert.ok(runs.map(runPickItem).filter((item) => finds(item, variation)).some((i) => i.run.id === batch.id));
  });

  it('titles a run with its scenario', () => {
    const run = runs.find((r) => r.folders.some((f) => f.path.endsWith('/run-003')))!;
    assert.equal(runTitle(run), `${run.scenarioName} · run-003`);
  });
});

describe('run pick items for a run id two folders carry', function () {
  this.timeout(30000);
  it('offer each folder under its own name, without the merged row\'s turns and cost, and one item for other runs', async () => {
    const index = await openScenarioIndex(undefined);
    try {
      await index.index({ roots: [{ name: 'batch', absPath: path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'shared-run-id-batch') }] });
      const [run] = await index.analytics.listRuns();
      assert.equal(runPickItem(run).label, 'var-001-run-001 (+1 folder)');
      const items = runFolderPickItems(run);
      assert.deepEqual(items.map((i) => i.label), ['var-001-run-001', 'var-001-run-002']);
      assert.deepEqual(items.map((i) => i.folder), run.folders.map((f) => f.path));
      for (const item of items) {
        assert.ok(finds(item, run.id), 'found by the run id');
        assert.match(item.description, /one of 2 folders/);
        assert.doesNotMatch(item.description, /\$|turn/, 'no figures of the merged row');
      }
      assert.ok(finds(items[1], 'var-001-run-002') && !finds(items[0], 'var-001-run-002'), 'typing a folder finds that folder only');
    } finally {
      await index.close();
    }
  });

  it('give a run of one folder its usual item', async () => {
    const index = await openScenarioIndex(undefined);
    try {
      await index.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
      const [run] = await index.analytics.listRuns();
      assert.deepEqual(runFolderPickItems(run), [{ ...runPickItem(run), folder: undefined }]);
    } finally {
      await index.close();
    }
  });
});

describe('run label order', () => {
  it('counts past run-999 as numbers (a 3,334-run scenario: run-999, run-1000, not run-100, run-1000)', () => {
    const labels = ['run-1000', 'run-100', 'run-999', 'run-1001', 'run-001', 'var-010-run-001', 'var-002-run-001'];
    assert.deepEqual([...labels].sort(compareRunLabels), ['run-001', 'run-100', 'run-999', 'run-1000', 'run-1001', 'var-002-run-001', 'var-010-run-001']);
  });
});
