/**
 * Decoding of run files and offset/line bookkeeping shared by all format parsers.
 * Nothing here touches the file system: callers hand in bytes or decoded text.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import type { Problem, ProblemSeverity, SourceSpan } from './records';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  /** Decoded text without its byte order mark, with LF line ends; empty when `binary` is true. */
  text: string;
  encoding: TextEncoding;
  /** The bytes start with control bytes as dense as binary data's (see looksBinary) and are not UTF-16: the caller should skip it. */
  binary: boolean;
  /**
   * Byte sequences that are not valid in `encoding` and were decoded as U+FFFD: how many, the
   * 1-based line of the first one (in `text`) and its offset in the file's bytes (BOM included).
   * Absent when every byte decoded. The count can be off when the file also holds U+FFFD as text
   * after a damaged sequence; the first place is exact.
   */
  invalid?: { count: number; firstLine: number; firstByte: number };
}

const BINARY_SNIFF_BYTES = 8192;
/** VS Code looks at this many bytes to guess UTF-16 without a byte order mark (ZERO_BYTE_DETECTION_BUFFER_MAX_LEN). */
const UTF16_SNIFF_BYTES = 512;

/**
 * Decodes a run file the way VS Code opens it: a byte order mark names the encoding (UTF-8,
 * UTF-16 LE/BE, as PowerShell and Notepad's "Unicode" write) and is dropped, so that line 1 of the
 * text is line 1 of the editor; without one, NUL bytes laid out as UTF-16 of ASCII text mean
 * UTF-16 (VS Code's guess); other bytes are binary only when dense with controls (looksBinary).
 * Text that is not UTF-8 is Windows-1252
 * (Python's default on Windows, docs/format.md#per-folder, #text-encoding) unless it holds valid multi-byte UTF-8 too: then it
 * is UTF-8 with some bytes damaged (a file cut mid-character, a pasted fragment) and is decoded as
 * UTF-8, each bad sequence as U+FFFD and reported in `invalid`, since cp1252 would garble the rest.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = byteOrderMark(bytes);
  if (bom) return decodeUnicode(bytes.subarray(bom.length), bom.encoding, bom.length);
  const guessed = guessUtf16(bytes);
  if (guessed) return decodeUnicode(bytes, guessed);
  if (looksBinary(bytes.subarray(0, BINARY_SNIFF_BYTES))) {
    return { text: '', encoding: 'utf-8', binary: true };
  }
  // isUtf8 + toString is several times faster than a fatal TextDecoder on the hundreds of MB of a batch.
  if (isUtf8(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return { text: normaliseLineEnds(text), encoding: 'utf-8', binary: false };
  }
  if (holdsMultiByteUtf8(bytes)) return decodeUnicode(bytes, 'utf-8');
  return { text: normaliseLineEnds(decodeWindows1252(bytes)), encoding: 'windows-1252', binary: false };
}

/**
 * Binary data is dense with control bytes; LLM text may hold a stray NUL or other C0 character
 * (kept as text, issue 12, kind 3). So a window with a NUL is binary only when control bytes other
 * than tab, line and page breaks and ESC are over 30 % of it (a zero-filled file, an image), or over
 * 1 % of bytes that are not UTF-8 either (compressed data: about 10 % of random bytes are controls).
 */
function looksBinary(window: Uint8Array): boolean {
  if (!window.includes(0)) return false;
  let controls = 0;
  for (const b of window) if (b < 0x20 && !TEXT_CONTROLS.has(b)) controls++;
  const share = controls / window.length;
  if (share > 0.3) return true;
  // The window may end inside a multi-byte character.
  const utf8 = [0, 1, 2, 3].some((cut) => cut < window.length && isUtf8(window.subarray(0, window.length - cut)));
  return !utf8 && share > 0.01;
}

/** Tab, LF, VT, FF, CR and ESC: control bytes ordinary text files hold. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]);

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: TextEncoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function byteOrderMark(bytes: Uint8Array): { length: number; encoding: TextEncoding } | undefined {
  const bom = BOMS.find((b) => bytes.length >= b.bytes.length && b.bytes.every((v, i) => bytes[i] === v));
  return bom && { length: bom.bytes.length, encoding: bom.encoding };
}

/**
 * VS Code's guess for UTF-16 without a byte order mark: some NUL byte in the first 512 bytes, and
 * every one of them laid out as 2-byte characters of ASCII text (LE: `41 00`, BE: `00 41`).
 */
function guessUtf16(bytes: Uint8Array): TextEncoding | undefined {
  const end = Math.min(bytes.length, UTF16_SNIFF_BYTES);
  let le = true;
  let be = true;
  let zero = false;
  for (let i = 0; i < end && (le || be); i++) {
    const isZero = bytes[i] === 0;
    zero ||= isZero;
    const odd = i % 2 === 1;
    if (odd !== isZero) le = false;
    if (odd === isZero) be = false;
  }
  if (!zero) return undefined;
  return le ? 'utf-16le' : be ? 'utf-16be' : undefined;
}

/** Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence. */
function holdsMultiByteUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i];
    if (lead < 0xc2 || lead > 0xf4) continue;
    const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    if (i + length > bytes.length) continue;
    if (isUtf8(bytes.subarray(i, i + length))) return true;
  }
  return false;
}

/** Decodes UTF-8 or UTF-16 without throwing; each invalid sequence becomes U+FFFD and is counted. */
function decodeUnicode(body: Uint8Array, encoding: TextEncoding, bodyOffset = 0): DecodedText {
  const raw = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
  const invalid = raw.includes('\ufffd') ? replacedSequences(body, encoding, raw) : undefined;
  if (invalid) invalid.firstByte += bodyOffset;
  const text = normaliseLineEnds(raw);
  return invalid ? { text, encoding, binary: false, invalid } : { text, encoding, binary: false };
}

/**
 * The U+FFFD of the decoded text that the bytes did not spell out themselves (a file may hold
 * U+FFFD as text). Every character before one came from a valid sequence, so its byte offset is
 * the encoded length of the text before it.
 */
function replacedSequences(body: Uint8Array, encoding: TextEncoding, raw: string): DecodedText['invalid'] {
  const genuine = encoding === 'utf-8' ? [0xef, 0xbf, 0xbd] : encoding === 'utf-16le' ? [0xfd, 0xff] : [0xff, 0xfd];
  let found: DecodedText['invalid'];
  let byte = 0;
  let from = 0;
  for (let i = raw.indexOf('\ufffd'); i !== -1; i = raw.indexOf('\ufffd', i + 1)) {
    byte += encoding === 'utf-8' ? Buffer.byteLength(raw.slice(from, i), 'utf8') : (i - from) * 2;
    from = i;
    if (genuine.every((v, j) => body[byte + j] === v)) continue;
    if (found) found.count++;
    else found = { count: 1, firstLine: lineStarts(normaliseLineEnds(raw.slice(0, i))).length, firstByte: byte };
  }
  return found;
}

const ENCODING_NAMES: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1252': 'Windows-1252' };

/**
 * The problem to report for a file whose bytes did not all decode (undefined when they did): a
 * warning at the line of the first bad sequence, naming its byte offset, never quoting the file.
 */
export function decodingProblem(decoded: DecodedText, file: string): Problem | undefined {
  const bad = decoded.invalid;
  if (!bad) return undefined;
  const more = bad.count > 1 ? ` and ${bad.count - 1} more place(s)` : '';
  return {
    file,
    line: bad.firstLine,
    severity: 'warning',
    message: `Not valid ${ENCODING_NAMES[decoded.encoding]} at byte ${bad.firstByte}${more}; the text was indexed with \ufffd in place of the bad bytes.`,
  };
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
