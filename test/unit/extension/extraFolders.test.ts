/** Folders added with Index Folder… survive a window reload (a new ExtraFolders over the same workspaceState) until removed. */
import { strict as assert } from 'node:assert';
import { ExtraFolders } from '../../../src/extension/extraFolders';

/** workspaceState as VS Code keeps it: values stored as JSON between sessions. */
class JsonMemento {
  private readonly values = new Map<string, string>();
  get<T>(key: string, fallback: T): T {
    const text = this.values.get(key);
    return text === undefined ? fallback : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}

describe('folders added with Index Folder…', () => {
  it('are remembered across reloads until removed', async () => {
    const state = new JsonMemento();
    const first = new ExtraFolders(state);
    assert.deepEqual(first.list(), []);
    assert.equal(await first.add('/data/batch-a'), true);
    assert.equal(await first.add('/data/batch-b'), true);
    assert.equal(await first.add('/data/batch-a'), false);

    const afterReload = new ExtraFolders(state);
    assert.deepEqual(afterReload.roots(), [
      { name: 'batch-a', absPath: '/data/batch-a', extra: true },
      { name: 'batch-b', absPath: '/data/batch-b', extra: true },
    ]);
    assert.equal(await afterReload.remove(['/data/batch-a']), true);
    assert.equal(await afterReload.remove(['/data/elsewhere']), false);
    assert.deepEqual(new ExtraFolders(state).list(), ['/data/batch-b']);
  });

  it('ignores a stored value that is not a list of absolute paths', async () => {
    const state = new JsonMemento();
    await state.update('scenarioLab.extraFolders', ['relative/path', 42, '/ok']);
    assert.deepEqual(new ExtraFolders(state).list(), ['/ok']);
    await state.update('scenarioLab.extraFolders', 'nonsense');
    assert.deepEqual(new ExtraFolders(state).list(), []);
  });
});
