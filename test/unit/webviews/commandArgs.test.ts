/** Run ids from command arguments: explicit lists, tree nodes, and tree multi-selections. */
import { strict as assert } from 'node:assert';
import { experimentFromArgs, runIdsFromArgs } from '../../../src/extension/webviews/commandArgs';

describe('webview panels: run ids from command arguments', () => {
  it('reads explicit ids, { runId }, { runIds } and runs-tree nodes', () => {
    assert.deepEqual(runIdsFromArgs([['a', 'b']]), ['a', 'b']);
    assert.deepEqual(runIdsFromArgs(['a']), ['a']);
    assert.deepEqual(runIdsFromArgs([{ runIds: ['a', 'b', 'a'] }]), ['a', 'b']);
    assert.deepEqual(runIdsFromArgs([{ runId: 'a' }]), ['a']);
    assert.deepEqual(runIdsFromArgs([{ run: { id: 'a' } }]), ['a']);
  });

  it('prefers the multi-selection VS Code passes second over the clicked node', () => {
    assert.deepEqual(runIdsFromArgs([{ run: { id: 'a' } }, [{ run: { id: 'a' } }, { run: { id: 'b' } }]]), ['a', 'b']);
    assert.deepEqual(runIdsFromArgs([{ run: { id: 'a' } }, []]), ['a']);
  });

  it('ignores anything else (palette invocation, unrelated nodes)', () => {
    assert.deepEqual(runIdsFromArgs([]), []);
    assert.deepEqual(runIdsFromArgs([undefined]), []);
    assert.deepEqual(runIdsFromArgs([{ name: 'trust_level' }, 42]), []);
  });
});

describe('webview panels: the experiment from command arguments', () => {
  it('reads a folder or name, { experiment }, and an Experiments tree node; nothing from the palette', () => {
    assert.equal(experimentFromArgs(['experiments/accord-sweep']), 'experiments/accord-sweep');
    assert.equal(experimentFromArgs([{ experiment: 'accord-sweep' }]), 'accord-sweep');
    assert.equal(experimentFromArgs([{ experiment: { folder: 'experiments/accord-sweep', experimentName: 'x' } }]), 'experiments/accord-sweep');
    assert.equal(experimentFromArgs([]), undefined);
    assert.equal(experimentFromArgs([{ run: { id: 'a' } }]), undefined);
    assert.equal(experimentFromArgs([{ experiment: { folder: 3 } }]), undefined);
  });
});
