/**
 * The Experiments view against the sample workspace's batch: experiment → variation → runs, and
 * live: a failed run written into batch-state.json while the window is open appears marked with
 * its batch status. Built over the extension's own analytics API with the view's node classes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { loadExperimentsRoots } from '../../src/extension/experimentsTree';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { eventually, readyApi, shownChildren, workspacePath } from './helpers';

const BATCH = 'experiments/regulatory-model-comparison';
const NAME = 'Regulatory negotiation - model comparison';

describe('Experiments tree', () => {
  let api: ScenarioLabApi;
  let tree: NodeTreeProvider;
  let originalState: string;
  before(async () => {
    api = await readyApi();
    tree = new NodeTreeProvider(() => loadExperimentsRoots(api.analytics));
    api.onDidChangeIndex(() => tree.refresh());
    originalState = fs.readFileSync(workspacePath(BATCH, 'batch-state.json'), 'utf8');
  });
  after(() => fs.writeFileSync(workspacePath(BATCH, 'batch-state.json'), originalState));

  it('shows the experiment, its variations with counts and cost, and each variation\'s runs', async () => {
    const [experiment, ...others] = await shownChildren(tree);
    assert.equal(others.length, 0);
    assert.equal(experiment.label, NAME);
    assert.equal(experiment.description, '2 variations · 2/2 completed · $0.1112');
    const variations = await shownChildren(tree, experiment.node);
    assert.deepEqual(variations.map((v) => [v.label, v.description]), [
      ['1 · us=gpt-4o', '1 completed · 0 failed · $0.0675'],
      ['2 · us=claude-3.5-haiku', '1 completed · 0 failed · $0.0438'],
    ]);
    const runs = await shownChildren(tree, variations[0].node);
    assert.deepEqual(runs.map((r) => [r.label, r.description]), [['var-001-run-001', 'success · run-20251124-213904']]);
  });

  it('marks a run the batch records as failed, live, with its status', async () => {
    const state = JSON.parse(originalState);
    state.completed_runs = state.completed_runs.filter((r: string) => r !== 'var-002-run-001');
    state.failed_runs = [{ run_id: 'var-002-run-001', error: 'Run cost $0.04 exceeds limit $0.01', status: 'cost_limit_exceeded' }];
    fs.writeFileSync(workspacePath(BATCH, 'batch-state.json'), JSON.stringify(state, null, 2));
    const failedRun = await eventually(async () => {
      const [experiment] = await shownChildren(tree);
      if (experiment?.description !== '2 variations · 1/2 completed · 1 failed · $0.1112') return undefined;
      const variation = (await shownChildren(tree, experiment.node))[1];
      return (await shownChildren(tree, variation.node))[0];
    }, 'the experiment shows one failed run');
    assert.equal(failedRun.label, 'var-002-run-001');
    assert.equal(failedRun.description, 'cost_limit_exceeded · run-20251124-214506');
    const item = tree.getTreeItem(failedRun.node);
    assert.equal(item.contextValue, 'batchRunFailed');
    assert.equal((item.iconPath as { id: string }).id, 'warning');
  });
});
