/** The world-state numbering note of hovers (docs/format.md#world-state: world-update files are named and titled one turn low). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { worldStateFileTurn } from '../../../src/core/format/worldState';
import { isWorldStateFile, turnNumberingNote } from '../../../src/core/hover/worldStateTurn';
import { REPO_ROOT } from '../helpers/paths';

const RUN = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small', 'output', 'ai-regulatory-negotiation', 'run-003');
const firstLine = (name: string) => fs.readFileSync(path.join(RUN, name), 'utf8').split('\n')[0];

describe('world-state turn numbering in hovers', () => {
  it('explains a hover that says turn 2 inside a file titled Turn 1', () => {
    const title = firstLine('world-state-001.md');
    assert.equal(title, '# World State - Turn 1');
    const note = turnNumberingNote(title, 2);
    assert.ok(note);
    assert.match(note, /titled "Turn 1" but holds the world after turn 2/);
    assert.match(note, /one turn low, so the turn shown here is the one the run records/);
    assert.doesNotMatch(note, /§/, 'no citation of a document the reader does not have');
  });

  it('says nothing when the title agrees, or the file has no world-state title (raw, V1, decisions)', () => {
    assert.equal(turnNumberingNote('# World State - Turn 2', 2), undefined);
    assert.equal(turnNumberingNote('By the end of turn 3, the mood had shifted.', 4), undefined);
    assert.equal(turnNumberingNote('# China - Turn 1', 2), undefined);
    assert.equal(turnNumberingNote('# World State - Turn 1', undefined), undefined);
  });

  it('finds the turn a file holds from its name and text, as the indexer does (format/worldState.ts)', () => {
    const text = (name: string) => fs.readFileSync(path.join(RUN, name), 'utf8');
    assert.equal(worldStateFileTurn('world-state-001.md', text('world-state-001.md')), 2, 'a formatted V2 file holds the turn after its name');
    assert.equal(worldStateFileTurn('world-state-003.md', 'Raw text of the last turn.'), 3);
    const v1 = '# World State - Turn 3\n\n**Scenario:** Test\n**Generated:** 2025-01-01T00:00:00\n\n## Current Situation\n\nCalm.\n';
    assert.equal(worldStateFileTurn('world-state-003.md', v1), 3, "V1's file holds the turn of its name");
    assert.equal(worldStateFileTurn('china-001.md', '# China - Turn 1'), undefined);
    assert.ok(isWorldStateFile('a/world-state-1000.md'));
    assert.ok(isWorldStateFile('a/world-state-010.md'));
    assert.ok(!isWorldStateFile('a/world-state-1.md'));
  });
});
