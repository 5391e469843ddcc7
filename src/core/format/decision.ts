/**
 * Actor decision files in their three layouts (docs/format.md#decisions, #v1-decisions). The persistence layout is what the
 * database is rebuilt from, so goals/reasoning/action are cut at the exact separators the writer
 * used and never trimmed: the results must equal the stored values byte for byte.
 */
import { createHash } from 'node:crypto';
import { brief } from './jsonText';
import { boldField, lineAtOffset, MarkdownBlocks, nextNonEmptyLine, type Line, withoutSuffix } from './markdown';
import type { DecisionDoc, DecisionFormat, Parsed, Problem, SourceSpan } from './records';
import { SourceText } from './text';

/** Greedy, so an actor name containing " - Turn 3" still yields the last turn number. */
const TITLE = /^# (.*) - Turn (\d+)$/u;
const DECISION_MADE = /^\*Decision made at (.*)\*$/u;
const DECISION_MADE_PREFIX = '*Decision made at ';

interface Title {
  actor: string;
  turn: number;
  line: Line;
}

/** One `## Heading` section: offsets of its heading line and of its text. */
interface Section {
  headingStart: number;
  contentStart: number;
  contentEnd: number;
}

interface Body {
  goals: string[];
  reasoning: string;
  action: string;
  timestamp: string | undefined;
  goalsSection: Section | undefined;
  reasoningSection: Section | undefined;
  actionSection: Section | undefined;
  bodyHash?: string;
}

/**
 * Hash of the persistence writer's text between the title and the trailer for these values
 * (docs/format.md#decisions, layout b): equal to a parsed file's `bodyHash` exactly when the file is what the writer makes of
 * them, however a markdown reader splits it.
 */
export function persistenceBodyHash(goals: readonly string[], reasoning: string, action: string): string {
  return hashText(['## Goals', ...goals.map((g) => `- ${g}`), '', '## Reasoning', reasoning, '', '## Action', action].join('\n'));
}

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

export function parseDecision(text: string, file: string): Parsed<DecisionDoc> {
  const src = new SourceText(text, file);
  const title = readTitle(text);
  if (!title) {
    return failure(src, 0, "Decision file does not start with a '# {actor} - Turn {n}' title line.");
  }
  const first = nextNonEmptyLine(text, title.line.end + 1);
  if (!first) {
    return failure(src, text.length, 'Decision file has a title but nothing else; it may still be being written.');
  }
  const problems: Problem[] = [];
  const layout = detectLayout(first);
  if (!layout) {
    const found = brief(first.text, 60);
    return failure(src, first.start, `Decision file has an unknown layout: expected '*Decision made at …*', '## Goals' or '**Scenario:**' after the title, found '${found}'.`);
  }
  const body = layout.read(src, first, problems, new MarkdownBlocks(text));
  return { value: toDoc(src, layout.format, title, body), problems };
}

function readTitle(text: string): Title | undefined {
  const line = lineAtOffset(text, 0);
  const match = TITLE.exec(line.text);
  return match ? { actor: match[1], turn: Number(match[2]), line } : undefined;
}

/** `blocks`: where a markdown reader sees headings, so a heading quoted in a code block never cuts a section. */
type Reader = (src: SourceText, first: Line, problems: Problem[], blocks: MarkdownBlocks) => Body;

function detectLayout(first: Line): { format: DecisionFormat; read: Reader } | undefined {
  if (first.text.startsWith(DECISION_MADE_PREFIX)) {
    return { format: 'decision-phase', read: readDecisionPhase };
  }
  if (first.text === '## Goals') {
    return { format: 'persistence', read: readPersistence };
  }
  if (first.text.startsWith('**Scenario:**')) {
    return { format: 'v1', read: readV1 };
  }
  return undefined;
}

function toDoc(src: SourceText, format: DecisionFormat, title: Title, body: Body): DecisionDoc {
  const spanOf = (section: Section | undefined): SourceSpan | undefined =>
    section && src.sectionSpan(section.headingStart, section.contentStart, section.contentEnd);
  return {
    format,
    actor: title.actor,
    turn: title.turn,
    goals: body.goals,
    reasoning: body.reasoning,
    action: body.action,
    timestamp: body.timestamp,
    span: src.wholeSpan(),
    goalsSpan: spanOf(body.goalsSection),
    reasoningSpan: spanOf(body.reasoningSection),
    actionSpan: spanOf(body.actionSection),
    ...(body.bodyHash === undefined ? {} : { bodyHash: body.bodyHash }),
  };
}

function failure(src: SourceText, offset: number, message: string): Parsed<DecisionDoc> {
  return { value: undefined, problems: [src.problem(offset, 'error', message)] };
}

/** Where the text of a section starts: after its heading line and `gap - 1` blank lines. */
function contentAfter(text: string, headingStart: number, heading: string, gap: number): number {
  return Math.min(headingStart + heading.length + gap, text.length);
}

/**
 * Cuts a section up to the first `closing` marker (`\n\n## Next…`) found from `searchFrom` whose
 * heading a markdown reader sees as one. A missing marker (a half-written file) lets the section
 * run to the end of the text; the caller reports it.
 */
function cut(
  text: string,
  blocks: MarkdownBlocks,
  headingStart: number,
  heading: string,
  gap: number,
  closing: string,
  searchFrom?: number,
): Section & { closingAt: number } {
  const contentStart = contentAfter(text, headingStart, heading, gap);
  const closingAt = blocks.find(text, closing, searchFrom ?? contentStart, 2, blocks.isHeadingAt);
  const contentEnd = closingAt === -1 ? text.length : Math.max(contentStart, closingAt);
  return { headingStart, contentStart, contentEnd, closingAt };
}

function sectionText(text: string, section: Section): string {
  return text.slice(section.contentStart, section.contentEnd);
}

function missing(src: SourceText, heading: string, problems: Problem[]): void {
  const quoted = src.text.includes(`\n${heading}\n`) ? ` outside code and HTML blocks (a '${heading}' line inside one is text, as a markdown reader shows it)` : '; it may be incomplete';
  problems.push(src.problem(src.text.length, 'error', `Decision file has no '${heading}' section${quoted}.`));
}

/**
 * The part both V2 layouts share: the reasoning after the goals (whose closing marker starts at
 * `goalsClosingAt`), then where the action heading and text start. `gap` is the number of newlines
 * after a heading (2 in the decision-phase layout, 1 in the persistence one). Undefined, with the
 * problem recorded, when a heading is missing (a half-written file).
 */
function readReasoning(
  src: SourceText,
  blocks: MarkdownBlocks,
  body: Body,
  goalsClosingAt: number,
  gap: number,
  problems: Problem[],
): { actionHeading: number; actionStart: number } | undefined {
  const { text } = src;
  if (goalsClosingAt === -1) {
    missing(src, '## Reasoning', problems);
    return undefined;
  }
  const reasoning = cut(text, blocks, goalsClosingAt + 2, '## Reasoning', gap, `\n\n## Action${'\n'.repeat(gap)}`);
  body.reasoning = sectionText(text, reasoning);
  body.reasoningSection = reasoning;
  if (reasoning.closingAt === -1) {
    missing(src, '## Action', problems);
    return undefined;
  }
  const actionHeading = reasoning.closingAt + 2;
  return { actionHeading, actionStart: contentAfter(text, actionHeading, '## Action', gap) };
}

function emptyBody(timestamp: string | undefined): Body {
  return { goals: [], reasoning: '', action: '', timestamp, goalsSection: undefined, reasoningSection: undefined, actionSection: undefined };
}

// ---------------------------------------------------------------- (a) decision phase

/** `# {name} - Turn {t}\n\n*Decision made at …*\n\n## Goals\n\n{goals}\n\n## Reasoning\n\n{reasoning}\n\n## Action\n\n{action}\n` */
function readDecisionPhase(src: SourceText, first: Line, problems: Problem[], blocks: MarkdownBlocks): Body {
  const { text } = src;
  const body = emptyBody(DECISION_MADE.exec(first.text)?.[1]);
  const goalsStart = blocks.findHeadingLine(text, '## Goals', first.end + 1);
  if (goalsStart === -1) {
    missing(src, '## Goals', problems);
    return body;
  }
  const goals = cut(text, blocks, goalsStart, '## Goals', 2, '\n\n## Reasoning\n\n');
  const goalsText = sectionText(text, goals);
  body.goals = goalsText === '' ? [] : goalsText.split('\n');
  body.goalsSection = goals;
  const action = readReasoning(src, blocks, body, goals.closingAt, 2, problems);
  if (!action) return body;
  const { actionHeading, actionStart } = action;
  // The writer ends the file with one newline after the action text; without it the file was cut.
  if (!text.endsWith('\n')) {
    problems.push(src.problem(text.length, 'warning', 'Decision file does not end with a newline after the action; it may be incomplete.'));
  }
  body.action = withoutSuffix(text.slice(actionStart), '\n');
  body.actionSection = { headingStart: actionHeading, contentStart: actionStart, contentEnd: actionStart + body.action.length };
  return body;
}

// ---------------------------------------------------------------- (b) persistence

/** `"\n".join([title, "", "## Goals", *["- " + g], "", "## Reasoning", reasoning, "", "## Action", action, "", "*Decision made at {iso}*"])` */
function readPersistence(src: SourceText, first: Line, problems: Problem[], blocks: MarkdownBlocks): Body {
  const { text } = src;
  const body = emptyBody(undefined);
  // An empty goals list leaves no line between the headings ("## Goals\n\n## Reasoning"), so the
  // closing marker may begin with the newline that ends the "## Goals" line itself.
  const goals = cut(text, blocks, first.start, '## Goals', 1, '\n\n## Reasoning\n', first.end);
  body.goals = goals.contentEnd > goals.contentStart ? goalLines(src, goals, problems) : [];
  body.goalsSection = goals;
  const action = readReasoning(src, blocks, body, goals.closingAt, 1, problems);
  if (!action) return body;
  const { actionHeading, actionStart } = action;
  const trailer = readTrailer(text, actionStart);
  if (!trailer) {
    problems.push(src.problem(text.length, 'warning', "Decision file does not end with a '*Decision made at …*' line; it may be incomplete."));
  }
  const actionEnd = trailer ? trailer.start : text.length;
  if (trailer) body.bodyHash = hashText(text.slice(first.start, trailer.start));
  body.action = text.slice(actionStart, actionEnd);
  body.actionSection = { headingStart: actionHeading, contentStart: actionStart, contentEnd: actionEnd };
  body.timestamp = trailer?.timestamp;
  return body;
}

/** Each stored goal was written as `- {goal}`: `- - x` is the goal `- x`, `- ` the empty goal. */
function goalLines(src: SourceText, goals: Section, problems: Problem[]): string[] {
  let lineStart = goals.contentStart;
  return sectionText(src.text, goals)
    .split('\n')
    .map((line) => {
      const at = lineStart;
      lineStart += line.length + 1;
      if (line.startsWith('- ')) {
        return line.slice(2);
      }
      problems.push(src.problem(at, 'warning', "Goal line does not start with '- '; it was kept as written."));
      return line;
    });
}

/** The final `\n\n*Decision made at {iso}*` line (an editor may have added a newline after it). */
function readTrailer(text: string, actionStart: number): { start: number; timestamp: string } | undefined {
  const start = text.lastIndexOf(`\n\n${DECISION_MADE_PREFIX}`);
  if (start < actionStart) {
    return undefined;
  }
  const match = DECISION_MADE.exec(withoutSuffix(text.slice(start + 2), '\n'));
  return match ? { start, timestamp: match[1] } : undefined;
}

// ---------------------------------------------------------------- V1

/** Header fields, `---`, then `## Current Goals` (optional), `## Reasoning`, `## Action`, separated by `---` rules. */
function readV1(src: SourceText, first: Line, problems: Problem[], blocks: MarkdownBlocks): Body {
  const { text } = src;
  const goalsStart = blocks.findHeadingLine(text, '## Current Goals', first.end + 1);
  const reasoningStart = blocks.findHeadingLine(text, '## Reasoning', goalsStart === -1 ? first.end + 1 : goalsStart);
  const headerEnd = [goalsStart, reasoningStart].find((at) => at !== -1) ?? text.length;
  const body = emptyBody(boldField(text, 'Generated', first.start, headerEnd));
  if (reasoningStart === -1) {
    missing(src, '## Reasoning', problems);
    return body;
  }
  const actionStart = blocks.findHeadingLine(text, '## Action', reasoningStart);
  if (goalsStart !== -1) {
    body.goalsSection = v1Section(text, goalsStart, '## Current Goals', reasoningStart);
    body.goals = sectionText(text, body.goalsSection).split('\n');
  }
  body.reasoningSection = v1Section(text, reasoningStart, '## Reasoning', actionStart === -1 ? text.length : actionStart);
  body.reasoning = sectionText(text, body.reasoningSection);
  if (actionStart === -1) {
    missing(src, '## Action', problems);
    return body;
  }
  body.actionSection = v1Section(text, actionStart, '## Action', text.length);
  body.action = sectionText(text, body.actionSection);
  return body;
}

/** A V1 section ends with the `\n\n---\n\n` rule before the next heading, or with the file's final newline. */
function v1Section(text: string, headingStart: number, heading: string, nextHeading: number): Section {
  const contentStart = Math.min(contentAfter(text, headingStart, heading, 1), nextHeading);
  const raw = text.slice(contentStart, nextHeading);
  const content = nextHeading === text.length ? withoutSuffix(raw, '\n') : withoutSuffix(raw, '\n\n---\n\n');
  return { headingStart, contentStart, contentEnd: contentStart + content.length };
}
