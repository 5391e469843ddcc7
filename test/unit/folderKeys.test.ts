/**
 * Index keys of folders (src/core/folderKeys.ts) and back to the folder on this machine: one root,
 * several roots, folders added beside the workspace (keyed by absolute path, leaving the others'
 * keys alone), and a shared index's source prefix.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { absolutePathOf, hostKeyOf, hostPathOf, keyFor, type IndexRoot } from '../../src/core/folderKeys';

/** `abs` as a key: its absolute path with `/` (what an extra root's keys start with). */
const slashed = (abs: string) => abs.split(path.sep).join('/');

/** keyFor, then absolutePathOf of that key: the key and the path it comes back to. */
function roundTrip(roots: readonly IndexRoot[], root: IndexRoot, rel: string): { key: string; back: string | undefined } {
  const key = keyFor(roots, root, rel);
  return { key, back: absolutePathOf(roots, key) };
}

describe('folder keys', () => {
  const proj: IndexRoot = { name: 'proj', absPath: path.resolve('/home/me/proj') };
  const other: IndexRoot = { name: 'other', absPath: path.resolve('/data/other') };
  const batch: IndexRoot = { name: 'batch-7', absPath: path.resolve('/data/batch-7'), extra: true };
  const run = path.join('output', 'run-001');

  it('one root: the relative path, and back', () => {
    assert.deepEqual(roundTrip([proj], proj, run), { key: 'output/run-001', back: path.join(proj.absPath, run) });
    assert.deepEqual(roundTrip([proj], proj, ''), { key: '', back: proj.absPath });
  });

  it('several roots: the root name first, and back', () => {
    const roots = [proj, other];
    assert.deepEqual(roundTrip(roots, proj, run), { key: 'proj/output/run-001', back: path.join(proj.absPath, run) });
    assert.deepEqual(roundTrip(roots, other, 'run-002'), { key: 'other/run-002', back: path.join(other.absPath, 'run-002') });
    assert.deepEqual(roundTrip(roots, other, ''), { key: 'other', back: other.absPath });
    assert.equal(absolutePathOf(roots, 'elsewhere/run-002'), undefined, 'no root of that name');
  });

  it('a folder added beside one root: keyed by its absolute path, and the root keeps its keys', () => {
    const roots = [proj, batch];
    assert.deepEqual(roundTrip(roots, proj, run), { key: 'output/run-001', back: path.join(proj.absPath, run) });
    assert.deepEqual(roundTrip(roots, batch, 'run-001'), { key: `${slashed(batch.absPath)}/run-001`, back: path.join(batch.absPath, 'run-001') });
    assert.deepEqual(roundTrip(roots, batch, ''), { key: slashed(batch.absPath), back: batch.absPath });
    // A relative key that spells the added folder's path without its leading '/' is still the workspace's.
    const lookalike = slashed(batch.absPath).replace(/^\/+/, '');
    assert.equal(absolutePathOf(roots, lookalike), path.join(proj.absPath, ...lookalike.split('/')));
  });

  it('added folders count for nothing among several roots, and alone they are keyed by path too', () => {
    const roots = [proj, other, batch];
    assert.equal(keyFor(roots, proj, run), 'proj/output/run-001');
    assert.deepEqual(roundTrip(roots, batch, 'run-001'), { key: `${slashed(batch.absPath)}/run-001`, back: path.join(batch.absPath, 'run-001') });
    assert.deepEqual(roundTrip([batch], batch, 'run-001'), { key: `${slashed(batch.absPath)}/run-001`, back: path.join(batch.absPath, 'run-001') });
  });

  it('a key under two nested added folders leads to the same place through either', () => {
    const inner: IndexRoot = { name: 'inner', absPath: path.join(batch.absPath, 'inner'), extra: true };
    const roots = [batch, inner];
    assert.deepEqual(roundTrip(roots, inner, 'run-001'), { key: `${slashed(batch.absPath)}/inner/run-001`, back: path.join(inner.absPath, 'run-001') });
    assert.equal(absolutePathOf(roots, `${slashed(batch.absPath)}/run-002`), path.join(batch.absPath, 'run-002'));
  });
});

describe('source-prefixed folder keys', () => {
  const a: IndexRoot = { name: 'proj', absPath: '/home/me/proj', source: 'lab1:/home/me/proj' };
  const b: IndexRoot = { name: 'other', absPath: '/data/other', source: 'lab1:/data/other' };

  it('each root with its own (default) source: keys round-trip to the right folder', () => {
    const roots = [a, b];
    const keyA = keyFor([a], a, path.join('output', 'run-001'));
    assert.equal(keyA, 'lab1:/home/me/proj/output/run-001');
    assert.equal(keyFor(roots, a, path.join('output', 'run-001')), keyA, 'the other roots have sources of their own');
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

  it('a folder added beside the workspace keeps its source-prefixed key (the source already tells it apart)', () => {
    const added: IndexRoot = { name: 'batch-7', absPath: '/data/batch-7', source: 'lab1:/data/batch-7', extra: true };
    const roots = [a, added];
    const key = keyFor(roots, added, 'run-001');
    assert.equal(key, 'lab1:/data/batch-7/run-001');
    assert.equal(absolutePathOf(roots, key), path.join('/data/batch-7', 'run-001'));
    assert.equal(absolutePathOf(roots, 'lab1:/home/me/proj/output/run-001'), path.join('/home/me/proj', 'output', 'run-001'));
  });

  it('the embedded index keeps plain keys', () => {
    const plain = [{ name: 'proj', absPath: '/home/me/proj' }];
    assert.equal(keyFor(plain, plain[0], 'output/run-001'), 'output/run-001');
    assert.equal(absolutePathOf(plain, 'output/run-001'), path.join('/home/me/proj', 'output', 'run-001'));
  });
});

describe('keys of this host\'s folders that are not roots of the window (shared index)', () => {
  const host = 'lab1';
  // The CLI on lab1 indexed /data/ws10k under its default source; the window's root is elsewhere.
  const cliRoot: IndexRoot = { name: 'ws10k', absPath: path.resolve('/data/ws10k'), source: `${host}:${path.resolve('/data/ws10k')}` };
  const windowRoot: IndexRoot = { name: 'proj', absPath: path.resolve('/home/me/proj'), source: `${host}:${path.resolve('/home/me/proj')}` };
  const file = path.join('output', 'ai-summit', 'run-001', 'world-state-003.md');

  it('a key the CLI wrote leads to its file, though the window has another root', () => {
    const key = keyFor([cliRoot], cliRoot, file);
    assert.equal(absolutePathOf([windowRoot], key), undefined, 'not under the window\'s roots');
    assert.equal(hostPathOf(host, key), path.join(cliRoot.absPath, file));
  });

  it('the file\'s path gives the key the CLI wrote', () => {
    assert.equal(hostKeyOf(host, path.join(cliRoot.absPath, file)), keyFor([cliRoot], cliRoot, file));
  });

  it('another host\'s keys and a named source\'s keys lead nowhere', () => {
    assert.equal(hostPathOf(host, keyFor([cliRoot], { ...cliRoot, source: 'lab2:/data/ws10k' }, file)), undefined);
    assert.equal(hostPathOf(host, keyFor([cliRoot], { ...cliRoot, source: 'lab1' }, file)), undefined);
    assert.equal(hostPathOf(host, 'output/run-001'), undefined, 'an embedded index key');
  });
});
