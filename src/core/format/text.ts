/**
 * Decoding of run files and offset/line bookkeeping shared by all format parsers.
 * Nothing here touches the file system: callers hand in bytes or decoded text.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import type { Problem, ProblemSeverity, SourceSpan } from './records';

export interface DecodedText {
  /** Decoded text with LF line ends; empty when `binary` is true. */
  text: string;
  encoding: 'utf-8' | 'windows-1252';
  /** The bytes contain NUL early on: not a text file, the caller should skip it. */
  binary: boolean;
}

const BINARY_SNIFF_BYTES = 8192;

/**
 * Scenario Lab writes UTF-8, except on Windows where Python's default encoding (cp1252) and CRLF
 * line ends are used for markdown (§10.1, §11.21). Try strict UTF-8 first because cp1252 decoding
 * never fails and would silently garble UTF-8 text.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return { text: '', encoding: 'utf-8', binary: true };
  }
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  // isUtf8 + toString is several times faster than a fatal TextDecoder on the hundreds of MB of a batch.
  if (isUtf8(body)) {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    return { text: normaliseLineEnds(text), encoding: 'utf-8', binary: false };
  }
  return { text: normaliseLineEnds(decodeWindows1252(body)), encoding: 'windows-1252', binary: false };
}

/**
 * Bytes 0x80-0x9F of Windows-1252 (WHATWG index), where it differs from ISO-8859-1. The five
 * bytes cp1252 leaves undefined keep their C1 code points, as the WHATWG decoder does.
 */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20.18.3+ and 22.13+ decode 'windows-1252' as ISO-8859-1 (nodejs/node#60888), turning
 * smart quotes and dashes into C1 controls; remapping that range is correct on fixed and broken
 * runtimes alike, since a correct decoder only leaves C1 code points that map to themselves.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/gu, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Offsets at which each line starts; index i holds the start of line i + 1. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/** 1-based line holding `offset`; a line's terminating `\n` belongs to that line. */
export function lineOfOffset(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo + 1;
}

/** A decoded file plus the line table, so parsers can turn offsets into spans and problems. */
export class SourceText {
  readonly starts: number[];

  constructor(readonly text: string, readonly file: string) {
    this.starts = lineStarts(text);
  }

  lineAt(offset: number): number {
    return lineOfOffset(this.starts, offset);
  }

  /**
   * Lines covered by the characters [start, end). An empty range still names the line of `start`,
   * so that an empty section points at its heading rather than nowhere.
   */
  span(start: number, end: number): SourceSpan {
    const startLine = this.lineAt(start);
    const endLine = end > start ? this.lineAt(end - 1) : startLine;
    return { file: this.file, startLine, endLine };
  }

  /** A section from its heading line through the last line of its content. */
  sectionSpan(headingStart: number, contentStart: number, contentEnd: number): SourceSpan {
    return contentEnd > contentStart ? this.span(headingStart, contentEnd) : this.span(headingStart, headingStart);
  }

  wholeSpan(): SourceSpan {
    return this.span(0, this.text.length);
  }

  problem(offset: number, severity: ProblemSeverity, message: string): Problem {
    return { file: this.file, line: this.lineAt(offset), severity, message };
  }
}
