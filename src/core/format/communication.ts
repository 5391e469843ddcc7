/**
 * `bilateral-…-NNN.md` / `coalition-…-NNN.md` (docs/format.md#communications): a header, then `## Messages` with one
 * `### {sender}\n\n{content}\n\n---\n\n` block per message. Message text is free LLM output that
 * may itself contain `---` rules and `###` headings, so a block only starts at a `### ` line that
 * directly follows the `## Messages` heading or a `---` rule (each followed by a blank line).
 */
import { brief } from './jsonText';
import { boldField, lineAtOffset, MarkdownBlocks, type Line } from './markdown';
import type { CommunicationDoc, CommunicationMessage, Parsed, Problem } from './records';
import { SourceText } from './text';

const TITLE = /^# (Bilateral Negotiation|Coalition Communication) - Turn (\d+)$/u;
const MESSAGES_HEADING = '## Messages';
const MESSAGE_END = '\n\n---\n\n';
const SENDER_PREFIX = '### ';

export function parseCommunication(text: string, file: string): Parsed<CommunicationDoc> {
  const src = new SourceText(text, file);
  const titleLine = lineAtOffset(text, 0);
  const title = TITLE.exec(titleLine.text);
  if (!title) {
    const message = "Communication file does not start with a '# Bilateral Negotiation - Turn {n}' or '# Coalition Communication - Turn {n}' title line.";
    return { value: undefined, problems: [src.problem(0, 'error', message)] };
  }
  const problems: Problem[] = [];
  const blocks = new MarkdownBlocks(text);
  const messagesAt = blocks.findHeadingLine(text, MESSAGES_HEADING, titleLine.end + 1);
  const headerEnd = messagesAt === -1 ? text.length : messagesAt;
  const participantsLine = boldField(text, 'Participants', 0, headerEnd);
  if (participantsLine === undefined) {
    problems.push(src.problem(0, 'warning', "Communication file has no '**Participants:**' line."));
  }
  const messages = readMessages(src, blocks, messagesAt, problems);
  const participants = splitParticipants(participantsLine ?? '', messages.map((m) => m.sender));
  for (const message of messages) {
    if (participantsLine !== undefined && !participants.includes(message.sender)) {
      const warning = `Message sender '${brief(message.sender)}' is not among the listed participants.`;
      problems.push({ file, line: message.span.startLine, severity: 'warning', message: warning });
    }
  }
  return {
    value: {
      channel: title[1] === 'Bilateral Negotiation' ? 'bilateral' : 'coalition',
      turn: Number(title[2]),
      scenarioName: boldField(text, 'Scenario', 0, headerEnd),
      participants,
      generatedAt: boldField(text, 'Generated', 0, headerEnd),
      messages,
      span: src.wholeSpan(),
    },
    problems,
  };
}

function readMessages(src: SourceText, blocks: MarkdownBlocks, messagesAt: number, problems: Problem[]): CommunicationMessage[] {
  const { text } = src;
  if (messagesAt === -1) {
    problems.push(src.problem(text.length, 'warning', "Communication file has no '## Messages' section; it may still be being written."));
    return [];
  }
  const headings = senderHeadings(text, blocks, messagesAt);
  if (headings.length === 0) {
    problems.push(src.problem(messagesAt, 'warning', 'Communication file has no messages; it may still be being written.'));
  }
  return headings.map((heading, i) => {
    const blockEnd = i + 1 < headings.length ? headings[i + 1].start : text.length;
    const contentStart = Math.min(heading.end + 2, blockEnd);
    const block = text.slice(contentStart, blockEnd);
    const sender = heading.text.slice(SENDER_PREFIX.length);
    if (!block.endsWith(MESSAGE_END)) {
      problems.push(src.problem(blockEnd, 'warning', `Message from '${brief(sender)}' is not closed by a '---' line; the file may be incomplete.`));
    }
    const content = block.slice(0, block.length - partialSuffixLength(block, MESSAGE_END));
    return { sender, content, span: src.sectionSpan(heading.start, contentStart, contentStart + content.length) };
  });
}

/** Length of the longest start of `suffix` that `text` ends with (a separator cut off mid-write). */
function partialSuffixLength(text: string, suffix: string): number {
  for (let length = suffix.length; length > 0; length--) {
    if (text.endsWith(suffix.slice(0, length))) {
      return length;
    }
  }
  return 0;
}

/** `### sender` lines two lines after the `## Messages` heading or a `---` rule, each a heading and a rule to a markdown reader (not code or HTML). */
function senderHeadings(text: string, blocks: MarkdownBlocks, messagesAt: number): Line[] {
  const headings: Line[] = [];
  let twoBefore: Line | undefined;
  let oneBefore: Line | undefined;
  for (let line = lineAtOffset(text, messagesAt); ; line = lineAtOffset(text, line.end + 1)) {
    const opens = twoBefore !== undefined && ((twoBefore.text === '---' && blocks.isRuleAt(twoBefore.start)) || twoBefore.start === messagesAt);
    if (line.text.startsWith(SENDER_PREFIX) && oneBefore?.text === '' && opens && blocks.isHeadingAt(line.start)) {
      headings.push(line);
    }
    [twoBefore, oneBefore] = [oneBefore, line];
    if (line.end >= text.length) {
      return headings;
    }
  }
}

/**
 * The writer joins names with ", ", which is ambiguous for a name that contains ", " itself.
 * Rejoin pieces that together spell the name of someone who sent a message.
 */
function splitParticipants(line: string, senders: string[]): string[] {
  const pieces = line === '' ? [] : line.split(', ');
  for (const sender of new Set(senders.filter((s) => s.includes(', ')))) {
    const width = sender.split(', ').length;
    const at = pieces.findIndex((_, i) => pieces.slice(i, i + width).join(', ') === sender);
    if (at !== -1) {
      pieces.splice(at, width, sender);
    }
  }
  return pieces;
}
