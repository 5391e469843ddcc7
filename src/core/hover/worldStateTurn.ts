/**
 * The turn a world-state file speaks of, and the note a hover adds when that differs from the
 * file's own title. Scenario Lab's world-update phase writes the state after turn t as
 * `world-state-{t-1}.md` titled "World State - Turn t-1" (docs/format.md#world-state): a hover
 * inside that file that says "turn t" must say why, or it reads as our mistake.
 */

const TITLE = /^# World State - Turn (\d+)\s*$/;
const FILE_NAME = /(^|\/)world-state-(\d{3,})\.md$/;

export function isWorldStateFile(fileKey: string): boolean {
  return FILE_NAME.test(fileKey);
}

/**
 * The turn whose state a world-state file holds, for a file the index has no turn for (the
 * formatted copy of a run's last turn): V2's formatted file (its first line is the title) holds
 * the turn after its name; a raw one and V1's hold the turn of their name. Undefined for other files.
 */
export function worldStateFileTurn(fileKey: string, firstLine: string, format: string): number | undefined {
  const named = FILE_NAME.exec(fileKey);
  if (!named) return undefined;
  const turn = Number(named[2]);
  return format !== 'v1' && TITLE.test(firstLine) ? turn + 1 : turn;
}

/**
 * A sentence for a hover that shows `turnNum` inside a file titled with another turn (undefined
 * when the title agrees, or the file has no world-state title). Only our words and numbers, so it is also valid markdown.
 */
export function turnNumberingNote(firstLine: string, turnNum: number | undefined): string | undefined {
  const title = TITLE.exec(firstLine);
  if (!title || turnNum === undefined || Number(title[1]) === turnNum) return undefined;
  return (
    `This file is titled "Turn ${title[1]}" but holds the world after turn ${turnNum}: ` +
    `Scenario Lab names and titles its world-update files one turn low, so the turn shown here is the one the run records.`
  );
}
