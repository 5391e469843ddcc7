import { strict as assert } from 'node:assert';
import { anchorFor, resolveAnchor, splitLines } from '../../../src/core/annotations/anchoring';

const TEXT = ['# World State - Turn 0', '', 'Overall cooperation level: 6.5/10.', 'Observers noted pledges.', '', '## Key Changes'].join('\n');

describe('annotation anchoring', () => {
  const anchor = anchorFor('world-state-000.md', splitLines(TEXT), 3, 4);

  it('quotes the anchored lines', () => {
    assert.deepEqual(anchor.quote, ['Overall cooperation level: 6.5/10.', 'Observers noted pledges.']);
  });

  it('stays put when the file is unchanged, and ignores CRLF line endings', () => {
    assert.deepEqual(resolveAnchor(anchor, splitLines(TEXT)), { state: 'anchored', startLine: 3, endLine: 4, moved: false });
    assert.deepEqual(resolveAnchor(anchor, splitLines(TEXT.replace(/\n/g, '\r\n'))), { state: 'anchored', startLine: 3, endLine: 4, moved: false });
  });

  it('follows its text when lines are inserted or removed above it', () => {
    const inserted = splitLines(`new line 1\nnew line 2\n${TEXT}`);
    assert.deepEqual(resolveAnchor(anchor, inserted), { state: 'anchored', startLine: 5, endLine: 6, moved: true });
    const removed = splitLines(TEXT.replace('\n\n', '\n'));
    assert.deepEqual(resolveAnchor(anchor, removed), { state: 'anchored', startLine: 2, endLine: 3, moved: true });
  });

  it('stays anchored when the lines around it are edited', () => {
    const lines = splitLines(TEXT);
    lines[1] = 'an edit just above';
    lines[4] = 'an edit just below';
    assert.equal(resolveAnchor(anchor, lines).state, 'anchored');
  });

  it('is outdated when a line inside it was edited, and keeps its recorded lines', () => {
    const lines = splitLines(TEXT.replace('6.5/10', '7/10'));
    assert.deepEqual(resolveAnchor(anchor, lines), { state: 'outdated', startLine: 3, endLine: 4 });
  });

  it('is outdated when its text was deleted, clamped to the shorter file', () => {
    const lines = splitLines('# World State - Turn 0\n');
    assert.deepEqual(resolveAnchor(anchor, lines), { state: 'outdated', startLine: 2, endLine: 2 });
  });

  it('picks the copy nearest to where it was written when the text repeats', () => {
    const lines = ['- same', 'x', 'x', 'x', 'x', '- same', 'y'];
    const second = anchorFor('f.md', lines, 6, 6);
    assert.equal((resolveAnchor(second, ['inserted', ...lines]) as { startLine: number }).startLine, 7);
  });

  it('only follows its text within its section, so it never jumps to a copy under another heading', () => {
    const lines = ['## Current Situation', 'the paragraph', '## Full LLM Response', 'the paragraph'];
    const a = anchorFor('f.md', lines, 2, 2);
    assert.equal(a.section, '## Current Situation');
    const edited = ['## Current Situation', 'the paragraph, edited', '## Full LLM Response', 'the paragraph'];
    assert.equal(resolveAnchor(a, edited).state, 'outdated');
    assert.deepEqual(resolveAnchor(a, ['new', ...lines]), { state: 'anchored', startLine: 3, endLine: 3, moved: true });
  });

  it('clamps a range past the end of the file when anchoring', () => {
    const a = anchorFor('f.md', ['one', 'two'], 2, 9);
    assert.deepEqual([a.startLine, a.endLine, a.quote], [2, 2, ['two']]);
  });
});
