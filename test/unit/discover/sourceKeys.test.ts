/** Keys of a shared index: source + relative path, and back to the file on this machine. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { absolutePathOf, keyFor, type IndexRoot } from '../../../src/core/folderKeys';

describe('source-prefixed folder keys', () => {
  const a: IndexRoot = { name: 'proj', absPath: '/home/me/proj', source: 'lab1:/home/me/proj' };
  const b: IndexRoot = { name: 'other', absPath: '/data/other', source: 'lab1:/data/other' };

  it('each root with its own (default) source: keys round-trip to the right folder', () => {
    const roots = [a, b];
    const keyA = keyFor([a], a, path.join('output', 'run-001'));
    assert.equal(keyA, 'lab1:/home/me/proj/output/run-001');
    assert.equal(absolutePathOf(roots, keyA), path.join('/home/me/proj', 'output', 'run-001'));
    assert.equal(absolutePathOf(roots, 'lab1:/data/other/x/run-002'), path.join('/data/other', 'x', 'run-002'));
    assert.equal(absolutePathOf(roots, 'lab2:/home/me/proj/output/run-001'), undefined, "another source's folder is not on this machine");
  });

  it('one --source for several roots: the root name follows the source', () => {
    const roots = [{ ...a, source: 'team' }, { ...b, source: 'team' }];
    const key = keyFor(roots, roots[1], 'run-003');
    assert.equal(key, 'team/other/run-003');
    assert.equal(absolutePathOf(roots, key), path.join('/data/other', 'run-003'));
  });

  it('the embedded index keeps plain keys', () => {
    const plain = [{ name: 'proj', absPath: '/home/me/proj' }];
    assert.equal(keyFor(plain, plain[0], 'output/run-001'), 'output/run-001');
    assert.equal(absolutePathOf(plain, 'output/run-001'), path.join('/home/me/proj', 'output', 'run-001'));
  });
});
