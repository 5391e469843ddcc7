/**
 * `world-state-NNN.md` in its three shapes (docs/format.md#world-state, #v1-world-state). The V2 "Current Situation" must come out
 * byte for byte as Scenario Lab stored it, so it is cut at the exact template separators and
 * never trimmed.
 */
import { classifyRunFile } from './fileKinds';
import { boldField, lineAtOffset, MarkdownBlocks, nextNonEmptyLine, withoutSuffix } from './markdown';
import type { FormattedWorldState, Parsed, Problem, RawWorldState, V1WorldState, WorldStateDoc } from './records';
import { SourceText } from './text';

const TITLE = /^# World State - Turn (\d+)$/u;
const UPDATED_AT = /^\*Updated at (.*)\*$/u;
const UPDATED_AT_PREFIX = '*Updated at';

const SITUATION_OPEN = '\n## Current Situation\n\n';
const KEY_CHANGES_OPEN = '\n\n## Key Changes This Turn\n\n';
const CONSEQUENCES_OPEN = '\n\n## Consequences\n\n';
const LLM_RESPONSE_OPEN = '\n\n---\n\n<details>';
const NO_KEY_CHANGES = 'No key changes identified';
const NO_CONSEQUENCES = 'No consequences noted';

const V1_ACTIONS_OPEN = '\n\n---\n\n## Actions Taken This Turn\n\n';
/** V1 ends every block (the turn-0 situation, each action) with a blank line. */
const V1_BLOCK_END = '\n\n';

/** The turn a world-state title line names ("# World State - Turn 3" → 3); undefined for any other line. */
export function worldStateTitleTurn(line: string): number | undefined {
  const title = TITLE.exec(line);
  return title ? Number(title[1]) : undefined;
}

/**
 * The turn whose state a world-state file holds (docs/format.md#world-state): Scenario Lab's world-update phase writes
 * the state after turn t as the formatted `world-state-{t-1}.md`; a raw file (the run's last
 * turn) and V1's hold the turn of their name. `fileTurn` is the number in the file's name.
 */
export function turnHeldBy(fileTurn: number, doc: Pick<WorldStateDoc, 'kind'>): number {
  return doc.kind === 'v2-formatted' ? fileTurn + 1 : fileTurn;
}

/** turnHeldBy for a file by its name and text; undefined when `fileName` (a base name) is not a world-state file. */
export function worldStateFileTurn(fileName: string, text: string): number | undefined {
  const named = classifyRunFile(fileName);
  if (named.kind !== 'world-state') return undefined;
  const doc = parseWorldState(text, fileName).value;
  return doc ? turnHeldBy(named.turn, doc) : named.turn;
}

export function parseWorldState(text: string, file: string): Parsed<WorldStateDoc> {
  const src = new SourceText(text, file);
  const titleLine = lineAtOffset(text, 0);
  const title = TITLE.exec(titleLine.text);
  if (!title) {
    return parseRaw(src);
  }
  const turn = Number(title[1]);
  const next = nextNonEmptyLine(text, titleLine.end + 1);
  if (next?.text.startsWith('**Scenario:**')) {
    return parseV1(src, turn);
  }
  // A title with nothing after it is a formatted file cut off while being written; any other
  // second line means the text is a raw state that merely starts with a look-alike heading.
  if (!next || next.text.startsWith(UPDATED_AT_PREFIX)) {
    return parseFormatted(src, turn, next ? UPDATED_AT.exec(next.text)?.[1] : undefined);
  }
  return parseRaw(src);
}

function parseRaw(src: SourceText): Parsed<RawWorldState> {
  const problems: Problem[] = [];
  if (src.text === '') {
    problems.push(src.problem(0, 'warning', 'World state file is empty.'));
  }
  return { value: { kind: 'v2-raw', text: src.text, span: src.wholeSpan() }, problems };
}

/** The first `fragment` from `from` whose heading (after its leading newlines) a markdown reader sees as a heading, not code or HTML. */
function findHeading(text: string, blocks: MarkdownBlocks, fragment: string, from: number): number {
  return blocks.find(text, fragment, from, fragment.indexOf('#'), blocks.isHeadingAt);
}

/**
 * The `## Current Situation` section both layouts open with: the offset of the newline before its
 * heading, of the heading, and of its text. Undefined when the file has none (yet).
 */
function findSituation(text: string, blocks: MarkdownBlocks): { opening: number; headingStart: number; situationStart: number } | undefined {
  const opening = findHeading(text, blocks, SITUATION_OPEN, 0);
  return opening === -1 ? undefined : { opening, headingStart: opening + 1, situationStart: opening + SITUATION_OPEN.length };
}

/** The one problem of a world state file (`what`) without a current situation: nothing else can be read. */
function noSituation<T>(src: SourceText, what: string): Parsed<T> {
  return { value: undefined, problems: [src.problem(0, 'error', `${what} has no '## Current Situation' section; it may still be being written.`)] };
}

function parseFormatted(src: SourceText, titleTurn: number, updatedAt: string | undefined): Parsed<FormattedWorldState> {
  const { text } = src;
  const blocks = new MarkdownBlocks(text);
  const situation = findSituation(text, blocks);
  if (!situation) return noSituation(src, 'World state file');
  const { headingStart, situationStart } = situation;
  const problems: Problem[] = [];
  const keyChangesAt = findHeading(text, blocks, KEY_CHANGES_OPEN, situationStart);
  if (keyChangesAt === -1) {
    problems.push(
      src.problem(
        text.length,
        'error',
        "World state file has no '## Key Changes This Turn' section after the current situation; the file looks incomplete, so the situation text may be cut short.",
      ),
    );
  }
  const situationEnd = keyChangesAt === -1 ? text.length : keyChangesAt;
  const tail = keyChangesAt === -1 ? undefined : readChangeLists(src, blocks, keyChangesAt + KEY_CHANGES_OPEN.length, problems);
  return {
    value: {
      kind: 'v2-formatted',
      titleTurn,
      updatedAt,
      currentSituation: text.slice(situationStart, situationEnd),
      currentSituationSpan: src.sectionSpan(headingStart, situationStart, situationEnd),
      keyChanges: tail?.keyChanges ?? [],
      consequences: tail?.consequences ?? [],
      span: src.wholeSpan(),
    },
    problems,
  };
}

function readChangeLists(src: SourceText, blocks: MarkdownBlocks, from: number, problems: Problem[]): { keyChanges: string[]; consequences: string[] } {
  const { text } = src;
  const responseAt = blocks.find(text, LLM_RESPONSE_OPEN, from, LLM_RESPONSE_OPEN.indexOf('<details>'), blocks.isHtmlBlockAt);
  const listsEnd = responseAt === -1 ? text.length : responseAt;
  const consequencesAt = findHeading(text, blocks, CONSEQUENCES_OPEN, from);
  if (consequencesAt === -1 || consequencesAt > listsEnd) {
    problems.push(src.problem(listsEnd, 'warning', "World state file has no '## Consequences' section."));
    return { keyChanges: bulletItems(text.slice(from, listsEnd), NO_KEY_CHANGES), consequences: [] };
  }
  return {
    keyChanges: bulletItems(text.slice(from, consequencesAt), NO_KEY_CHANGES),
    consequences: bulletItems(text.slice(consequencesAt + CONSEQUENCES_OPEN.length, listsEnd), NO_CONSEQUENCES),
  };
}

/** `- x` lines become `x`; the writer's "nothing here" sentence becomes an empty list. */
function bulletItems(block: string, placeholder: string): string[] {
  return block
    .split('\n')
    .filter((line) => line.trim() !== '' && line !== placeholder)
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line));
}

function parseV1(src: SourceText, turn: number): Parsed<V1WorldState> {
  const { text } = src;
  const blocks = new MarkdownBlocks(text);
  const opened = findSituation(text, blocks);
  if (!opened) return noSituation(src, 'V1 world state file');
  const { opening, headingStart, situationStart } = opened;
  const problems: Problem[] = [];
  const actionsAt = findHeading(text, blocks, V1_ACTIONS_OPEN, situationStart);
  if (actionsAt === -1 && turn > 0) {
    problems.push(
      src.problem(text.length, 'warning', `V1 world state of turn ${turn} has no '## Actions Taken This Turn' section; the file may be incomplete.`),
    );
  }
  const situation = actionsAt === -1 ? withoutSuffix(text.slice(situationStart), V1_BLOCK_END) : text.slice(situationStart, actionsAt);
  const situationEnd = situationStart + situation.length;
  return {
    value: {
      kind: 'v1',
      turn,
      scenarioName: boldField(text, 'Scenario', 0, opening),
      generatedAt: boldField(text, 'Generated', 0, opening),
      currentSituation: situation,
      currentSituationSpan: src.sectionSpan(headingStart, situationStart, situationEnd),
      actions: actionsAt === -1 ? [] : readV1Actions(src, blocks, actionsAt + V1_ACTIONS_OPEN.length),
      span: src.wholeSpan(),
    },
    problems,
  };
}

/** `### {actor}\n\n{action}\n\n` blocks; a `### ` line only opens a block after a blank line, and only where a markdown reader sees a heading. */
function readV1Actions(src: SourceText, blocks: MarkdownBlocks, from: number): V1WorldState['actions'] {
  const { text } = src;
  const headings: number[] = [];
  for (let start = from; start < text.length; start = lineAtOffset(text, start).end + 1) {
    if (text.startsWith('### ', start) && (start === from || text.startsWith('\n\n', start - 2)) && blocks.isHeadingAt(start)) {
      headings.push(start);
    }
  }
  return headings.map((headingStart, i) => {
    const heading = lineAtOffset(text, headingStart);
    const blockEnd = i + 1 < headings.length ? headings[i + 1] : text.length;
    const contentStart = Math.min(heading.end + 2, blockEnd);
    const action = withoutSuffix(text.slice(contentStart, blockEnd), V1_BLOCK_END);
    return {
      actor: heading.text.slice('### '.length),
      text: action,
      span: src.sectionSpan(headingStart, contentStart, contentStart + action.length),
    };
  });
}
