/**
 * Line-level helpers for the markdown files Scenario Lab writes. Its writers build files with
 * string templates, so the parsers locate exact template fragments (to cut values byte for byte),
 * but only where a markdown reader sees the same structure: the LLM text between the fragments
 * quotes drafts, code and other documents, and a `## Action` inside a fenced or indented code
 * block or an HTML block is text, not the template's heading. MarkdownBlocks answers that from a
 * CommonMark parser (markdown-it) and its line maps.
 */
import MarkdownIt from 'markdown-it';
import { lineOfOffset, lineStarts } from './text';

/**
 * CommonMark as the spec defines it (HTML blocks on, no typographer or linkify): the block
 * structure VS Code's preview also sees. Only blocks are needed, so inline parsing is off (5x
 * faster: 60 ms per MB of markdown instead of 300).
 */
const commonMark = new MarkdownIt('commonmark');
commonMark.core.ruler.disable(['inline', 'text_join']);

/** What a CommonMark reader sees at the top level of a document, by source line. */
export class MarkdownBlocks {
  /** 0-based lines that open a top-level ATX heading (`## x`); setext headings are LLM prose, never a template heading. */
  private readonly headings = new Set<number>();
  /** 0-based lines of top-level thematic breaks (`---`). */
  private readonly rules = new Set<number>();
  /** 0-based first lines of top-level HTML blocks. */
  private readonly htmlBlocks = new Set<number>();
  private readonly starts: number[];

  constructor(text: string) {
    this.starts = lineStarts(text);
    for (const token of commonMark.parse(text, {})) {
      if (token.level !== 0 || !token.map) continue;
      const line = token.map[0];
      if (token.type === 'heading_open' && token.markup.startsWith('#')) this.headings.add(line);
      else if (token.type === 'hr') this.rules.add(line);
      else if (token.type === 'html_block') this.htmlBlocks.add(line);
    }
  }

  /** True when `offset` starts a line that opens a top-level ATX heading. */
  isHeadingAt(offset: number): boolean {
    return this.lineStartingAt(offset, this.headings);
  }

  /** True when `offset` starts a line that is a top-level thematic break. */
  isRuleAt(offset: number): boolean {
    return this.lineStartingAt(offset, this.rules);
  }

  /** True when `offset` starts the first line of a top-level HTML block. */
  isHtmlBlockAt(offset: number): boolean {
    return this.lineStartingAt(offset, this.htmlBlocks);
  }

  /**
   * Offset of the first occurrence of `fragment` at or after `from` whose line at `lineOffset`
   * (the fragment's offset of the block's line) passes `is`; -1 when there is none.
   */
  find(text: string, fragment: string, from: number, lineOffset: number, is: (offset: number) => boolean): number {
    for (let at = text.indexOf(fragment, from); at !== -1; at = text.indexOf(fragment, at + 1)) {
      if (is.call(this, at + lineOffset)) return at;
    }
    return -1;
  }

  /** Offset of the first line at or after `from` that reads exactly `heading` and is a heading to a markdown reader; -1 when absent. */
  findHeadingLine(text: string, heading: string, from: number): number {
    for (let at = findLine(text, heading, from); at !== -1; at = findLine(text, heading, nextLineStart(text, at))) {
      if (this.isHeadingAt(at)) return at;
      if (nextLineStart(text, at) === -1) break;
    }
    return -1;
  }

  private lineStartingAt(offset: number, lines: Set<number>): boolean {
    const line = lineOfOffset(this.starts, offset) - 1;
    return this.starts[line] === offset && lines.has(line);
  }
}

export interface Line {
  /** Offset of the first character. */
  start: number;
  /** Offset of the terminating `\n` (or the text length for the last line). */
  end: number;
  text: string;
}

export function lineAtOffset(text: string, start: number): Line {
  const newline = text.indexOf('\n', start);
  const end = newline === -1 ? text.length : newline;
  return { start, end, text: text.slice(start, end) };
}

/** The first line at or after `from` that is not blank, or undefined at the end of the text. */
export function nextNonEmptyLine(text: string, from: number): Line | undefined {
  for (let start = from; start < text.length; ) {
    const line = lineAtOffset(text, start);
    if (line.text.trim() !== '') {
      return line;
    }
    start = line.end + 1;
  }
  return undefined;
}

/** Offset of the first line at or after `from` (a line start) that reads exactly `line`; -1 when absent. */
export function findLine(text: string, line: string, from: number): number {
  for (let start = from; start !== -1 && start < text.length; start = nextLineStart(text, start)) {
    if (text.startsWith(line, start)) {
      const after = start + line.length;
      if (after === text.length || text[after] === '\n') {
        return start;
      }
    }
  }
  return -1;
}

function nextLineStart(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline === -1 ? -1 : newline + 1;
}

/** Value of a `**Label:** value` line within [from, to), as the V1 and communication headers write it. */
export function boldField(text: string, label: string, from: number, to: number): string | undefined {
  const prefix = `**${label}:** `;
  for (let start = from; start < to; ) {
    const line = lineAtOffset(text, start);
    if (line.text.startsWith(prefix)) {
      return line.text.slice(prefix.length);
    }
    start = line.end + 1;
  }
  return undefined;
}

export function withoutSuffix(text: string, suffix: string): string {
  return text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
}
