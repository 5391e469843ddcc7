/** Folder-level watcher events (mv in, mv out, rename, delete at any depth) turned into the folders to re-check. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldersBeneath, indexedFoldersWithin } from '../../../src/core/discover/changedFolders';

describe('changed folders', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-changed-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists a folder moved in with every folder beneath it, not entering links', () => {
    const batch = path.join(dir, 'moved.in', 'batch');
    for (const run of ['run-1', 'run-2/.scenario-lab', 'nested/deeper/run-3']) fs.mkdirSync(path.join(batch, run), { recursive: true });
    fs.writeFileSync(path.join(batch, 'run-1', 'scenario-state.json'), '{}');
    fs.symlinkSync(os.tmpdir(), path.join(batch, 'link-out'));
    const found = foldersBeneath(path.join(dir, 'moved.in'))!.map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(found, [
      'moved.in', 'moved.in/batch', 'moved.in/batch/nested', 'moved.in/batch/nested/deeper', 'moved.in/batch/nested/deeper/run-3',
      'moved.in/batch/run-1', 'moved.in/batch/run-2', 'moved.in/batch/run-2/.scenario-lab',
    ]);
    assert.equal(foldersBeneath(path.join(dir, 'moved.in'), 3), undefined, 'over the limit: the caller re-checks everything');
    assert.deepEqual(foldersBeneath(path.join(dir, 'gone')), [path.join(dir, 'gone')]);
  });

  it('finds the indexed folders inside a folder that was deleted or moved away, with one root and with several', () => {
    const keys = ['output/trade-war/run-1', 'output/trade-war/run-2', 'output/trade-war-2/run-1', 'experiments/a/runs/r1'];
    const one = [{ name: 'ws', absPath: '/ws' }];
    assert.deepEqual(indexedFoldersWithin(one, keys, '/ws/output/trade-war'), ['/ws/output/trade-war/run-1', '/ws/output/trade-war/run-2']);
    assert.deepEqual(indexedFoldersWithin(one, keys, '/ws/output/trade-war/run-2'), ['/ws/output/trade-war/run-2']);
    assert.deepEqual(indexedFoldersWithin(one, keys, '/ws/output/trade-war/run-2/turn-1.md'), []);
    const two = [{ name: 'ws', absPath: '/ws' }, { name: 'batch', absPath: '/data/batch' }];
    assert.deepEqual(indexedFoldersWithin(two, ['ws/output/a/run-1', 'batch/run-7', 'batch/sub/run-8'], '/data/batch/sub'), ['/data/batch/sub/run-8']);
  });

  it('finds them in a folder added beside the workspace (keyed by its absolute path) as in the workspace', () => {
    const roots = [{ name: 'ws', absPath: path.resolve('/ws') }, { name: 'batch', absPath: path.resolve('/data/batch'), extra: true }];
    const batchKey = roots[1].absPath.split(path.sep).join('/');
    const keys = ['output/a/run-1', `${batchKey}/run-7`, `${batchKey}/sub/run-8`];
    assert.deepEqual(indexedFoldersWithin(roots, keys, path.join(roots[1].absPath, 'sub')), [path.join(roots[1].absPath, 'sub', 'run-8')]);
    assert.deepEqual(indexedFoldersWithin(roots, keys, path.join(roots[0].absPath, 'output')), [path.join(roots[0].absPath, 'output', 'a', 'run-1')]);
  });
});
