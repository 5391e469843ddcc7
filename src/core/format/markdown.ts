/**
 * Line-level helpers for the markdown files Scenario Lab writes. Its writers build files with
 * string templates, so the parsers locate exact template fragments instead of parsing markdown.
 */

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
