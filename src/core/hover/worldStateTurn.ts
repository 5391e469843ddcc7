/**
 * The note a hover adds when the turn it shows differs from a world-state file's own title.
 * Scenario Lab's world-update phase writes the state after turn t as `world-state-{t-1}.md` titled
 * "World State - Turn t-1" (docs/format.md#world-state): a hover inside that file that says "turn t"
 * must say why, or it reads as our mistake. Which file is a world state, and which turn it holds,
 * is the format's to say (classifyRunFile, worldStateFileTurn in src/core/format).
 */
import { classifyRunFile } from '../format/fileKinds';
import { worldStateTitleTurn } from '../format/worldState';

/** Whether the file at an index key (or path with `/`) is named like a world state (`world-state-NNN.md`). */
export function isWorldStateFile(fileKey: string): boolean {
  return classifyRunFile(fileKey.slice(fileKey.lastIndexOf('/') + 1)).kind === 'world-state';
}

/**
 * A sentence for a hover that shows `turnNum` inside a file titled with another turn (undefined
 * when the title agrees, or the file has no world-state title). Only our words and numbers, so it is also valid markdown.
 */
export function turnNumberingNote(firstLine: string, turnNum: number | undefined): string | undefined {
  const titled = worldStateTitleTurn(firstLine);
  if (titled === undefined || turnNum === undefined || titled === turnNum) return undefined;
  return (
    `This file is titled "Turn ${titled}" but holds the world after turn ${turnNum}: ` +
    `Scenario Lab names and titles its world-update files one turn low, so the turn shown here is the one the run records.`
  );
}
