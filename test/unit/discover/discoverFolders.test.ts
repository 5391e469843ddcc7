import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { discover } from '../../../src/core/discover/discoverFolders';
import { REPO_ROOT } from '../helpers/paths';

const ROOT = { name: 'ws', absPath: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small') };

describe('discover', () => {
  it('finds every run folder and scenario definition of the sample workspace, whatever the layout', () => {
    const found = discover([ROOT]);
    assert.deepEqual(found.runFolders.map((f) => f.key).sort(), [
      'experiments/regulatory-model-comparison/runs/var-001-run-001',
      'experiments/regulatory-model-comparison/runs/var-002-run-001',
      'output/ai-regulatory-negotiation/run-001',
      'output/ai-regulatory-negotiation/run-002',
      'output/ai-regulatory-negotiation/run-003',
      'output/ai-regulatory-negotiation/run-004',
      'output/ai-summit/run-001',
      'output/ai-summit/run-002',
      'output/ai-summit/run-003',
      'output/ai-summit/run-004',
    ]);
    assert.deepEqual(found.scenarioFolders.map((f) => f.key).sort(), ['scenarios/ai-regulatory-negotiation', 'scenarios/ai-summit']);
  });

  it('looks only where the include globs say and never enters excluded folders', () => {
    const included = discover([ROOT], { include: ['experiments/**'] });
    assert.deepEqual(included.runFolders.map((f) => f.key).sort(), [
      'experiments/regulatory-model-comparison/runs/var-001-run-001',
      'experiments/regulatory-model-comparison/runs/var-002-run-001',
    ]);
    const excluded = discover([ROOT], { exclude: ['output/ai-summit', '**/var-002-*'] });
    const keys = excluded.runFolders.map((f) => f.key);
    assert.equal(keys.filter((k) => k.startsWith('output/ai-summit/')).length, 0);
    assert.ok(!keys.some((k) => k.includes('var-002')));
    assert.equal(keys.length, 5);
  });

  it('prefixes keys with the root name when several roots are indexed together', () => {
    const other = { name: 'copy', absPath: path.join(ROOT.absPath, 'output') };
    const found = discover([ROOT, other]);
    assert.ok(found.runFolders.some((f) => f.key === 'ws/output/ai-summit/run-002'));
    assert.ok(found.runFolders.some((f) => f.key === 'copy/ai-summit/run-002'));
  });
});
