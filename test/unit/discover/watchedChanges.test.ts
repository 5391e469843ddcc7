/** Watcher events turned into what the index must look at again (src/core/discover/watchedChanges.ts). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyChanges, noteChange, settledChanges } from '../../../src/core/discover/watchedChanges';

describe('watched changes', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-watched-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('re-reads the folder of a run or batch file, created, changed or deleted, whatever its case', () => {
    const run = path.join(dir, 'output', 'run-1');
    const changes = emptyChanges();
    assert.equal(noteChange(changes, path.join(run, 'world-state-001.md'), 'created'), true);
    assert.equal(noteChange(changes, path.join(run, 'metrics.json'), 'changed'), true);
    assert.equal(noteChange(changes, path.join(run, 'Japan-002.MD'), 'deleted'), true);
    assert.equal(noteChange(changes, path.join(dir, 'output', 'batch-state.json'), 'changed'), true);
    assert.deepEqual(changes, { folders: [run, run, run, path.join(dir, 'output')], createdFolders: [], deletedPaths: [], definitionsChanged: false });
  });

  it('gives the annotations sidecar to the run folder above .scenario-lab', () => {
    const run = path.join(dir, 'run-1');
    const changes = emptyChanges();
    noteChange(changes, path.join(run, '.scenario-lab', 'annotations.json'), 'changed');
    noteChange(changes, path.join(run, '.scenario-lab', 'other.json'), 'changed');
    assert.deepEqual(changes.folders, [run, path.join(run, '.scenario-lab')]);
  });

  it('gives a deleted or created .scenario-lab folder to the run folder above it (the watcher names the folder, not its files)', () => {
    const run = path.join(dir, 'run-1');
    fs.mkdirSync(path.join(run, '.scenario-lab'), { recursive: true });
    const changes = emptyChanges();
    assert.equal(noteChange(changes, path.join(run, '.scenario-lab'), 'created'), true);
    fs.rmSync(path.join(run, '.scenario-lab'), { recursive: true });
    assert.equal(noteChange(changes, path.join(run, '.scenario-lab'), 'deleted'), true);
    assert.deepEqual(changes, { folders: [run, run], createdFolders: [], deletedPaths: [], definitionsChanged: false });
  });

  it('marks a scenario, actor or batch definition (YAML) as a change to everything', () => {
    for (const name of ['scenario.yaml', 'actors/japan.yml', 'batch-config.YAML']) {
      const changes = emptyChanges();
      assert.equal(noteChange(changes, path.join(dir, name), 'changed'), true);
      assert.equal(changes.definitionsChanged, true, name);
      assert.deepEqual(changes.folders, []);
    }
  });

  it('tells folders from files on disk, even a folder named like a run file', () => {
    const movedIn = path.join(dir, 'trade.war');
    const odd = path.join(dir, 'notes.json');
    fs.mkdirSync(path.join(movedIn, 'run-1'), { recursive: true });
    fs.mkdirSync(odd);
    const changes = emptyChanges();
    assert.equal(noteChange(changes, movedIn, 'created'), true);
    assert.equal(noteChange(changes, path.join(movedIn, 'run-1'), 'created'), true);
    assert.equal(noteChange(changes, odd, 'created'), true);
    assert.equal(noteChange(changes, path.join(dir, 'gone.folder'), 'deleted'), true);
    assert.equal(noteChange(changes, path.join(dir, 'notes.txt'), 'created'), false, 'a file of another kind means nothing');
    assert.equal(noteChange(changes, path.join(dir, 'notes.txt'), 'changed'), false);
    assert.deepEqual(changes.deletedPaths, [path.join(dir, 'gone.folder')]);
    assert.deepEqual(settledChanges(changes).createdFolders, [odd, movedIn], 'outermost only, each once');
    assert.deepEqual(changes.createdFolders, [movedIn, path.join(movedIn, 'run-1'), odd], 'the burst itself is left as noted');
  });
});
