/**
 * JSON text handling shared by the JSON parsers: a fast parse with readable, line-accurate
 * problems, Python's non-standard number tokens, and a one-pass scanner that finds the lines of
 * the values the records come from (JSON.parse keeps no positions).
 */
import type { Parsed, Problem, SourceSpan } from './records';
import { lineOfOffset, lineStarts } from './text';

/**
 * Text from a run file quoted in a problem message, cut to what locates the fault: messages are
 * shown in terminals and panels, and a file may be anything a link leads to.
 */
export function brief(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The last path segment of a file name, for messages a person reads. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

// ---------------------------------------------------------------- parsing

/** Python's json.dumps writes these for float('nan') / float('inf'); JSON.parse rejects them. */
const PYTHON_NUMBER_TOKENS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
/** Stands in for a Python token during the fallback parse (lengthened when a string of the file starts with it). */
const SENTINEL_PREFIX = '\u0000py:';

/**
 * Parses JSON text without throwing. The happy path is one native JSON.parse (files can be many MB);
 * only on failure does a validating scan run, to accept Python's NaN/Infinity tokens or to find
 * the line of the first error.
 */
export function parseJsonText(text: string, file: string): Parsed<unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM does not shift lines
  const name = baseName(file);
  if (body.trim() === '') {
    return { value: undefined, problems: [{ file, line: 1, severity: 'error', message: `${name} is empty` }] };
  }
  try {
    return { value: JSON.parse(body), problems: [] };
  } catch (nativeError) {
    const scan = validateJson(body);
    if (scan.error === undefined && scan.pythonTokens.length > 0) {
      return { value: parseWithPythonTokens(body, scan.pythonTokens), problems: [] };
    }
    return { value: undefined, problems: [syntaxProblem(body, file, scan.error, nativeError)] };
  }
}

function syntaxProblem(text: string, file: string, error: JsonSyntaxError | undefined, nativeError: unknown): Problem {
  const name = baseName(file);
  if (error === undefined) {
    // The validator and V8 disagree: should not happen, but the person still needs to know. V8's
    // message quotes the text, and the file may be anything a link leads to: give its position only.
    const at = nativeError instanceof Error ? /position \d+(?: \(line \d+ column \d+\))?/.exec(nativeError.message)?.[0] : undefined;
    return { file, line: 1, severity: 'error', message: `${name} is not valid JSON${at ? ` at ${at}` : ''}` };
  }
  const starts = lineStarts(text);
  const line = lineOfOffset(starts, error.offset);
  if (error.offset >= text.length) {
    return { file, line, severity: 'error', message: `${name} is truncated or not valid JSON: unexpected end at line ${line}` };
  }
  const column = error.offset - starts[line - 1] + 1;
  return {
    file,
    line,
    severity: 'error',
    message: `${name} is not valid JSON: ${error.message} at line ${line}, column ${column}`,
  };
}

function parseWithPythonTokens(text: string, tokens: ReadonlyArray<{ offset: number; token: string }>): unknown {
  // LLM text can hold "\u0000" too: lengthen the sentinel until no string of the file can spell it.
  let sentinel = SENTINEL_PREFIX;
  while (text.includes(JSON.stringify(sentinel).slice(1, -1))) sentinel += '#';
  const pieces: string[] = [];
  let from = 0;
  for (const { offset, token } of tokens) {
    pieces.push(text.slice(from, offset), JSON.stringify(sentinel + token));
    from = offset + token.length;
  }
  pieces.push(text.slice(from));
  return JSON.parse(pieces.join(''), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(sentinel) && value.slice(sentinel.length) in PYTHON_NUMBER_TOKENS ? PYTHON_NUMBER_TOKENS[value.slice(sentinel.length)] : value,
  );
}

interface JsonSyntaxError {
  offset: number;
  message: string;
}

interface ValidationResult {
  error: JsonSyntaxError | undefined;
  /** NaN / Infinity / -Infinity tokens outside strings, in text order. */
  pythonTokens: Array<{ offset: number; token: string }>;
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_RE = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const LITERALS = ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity'];

/**
 * Strict JSON grammar check (plus Python's tokens) that stops at the first error. Iterative, so
 * deeply nested input cannot overflow the stack. Runs only after JSON.parse failed.
 */
function validateJson(text: string): ValidationResult {
  const pythonTokens: ValidationResult['pythonTokens'] = [];
  const stack: Array<'{' | '['> = [];
  let i = 0;
  /** An error at the current offset; a bad token that runs into the end of the text ("tru", "1.") is "unexpected end". */
  const fail = (message: string): ValidationResult => ({
    error: i >= text.length || isCutToken(text, i) ? { offset: text.length, message: 'unexpected end' } : { offset: i, message },
    pythonTokens,
  });
  const skipSpace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  /** Reads a string at i; on failure leaves i at the string (or at the end when it is unterminated). */
  const readString = (): string | undefined => {
    STRING_RE.lastIndex = i;
    if (STRING_RE.test(text)) {
      i = STRING_RE.lastIndex;
      return undefined;
    }
    if (stringEnd(text, i) >= text.length) i = text.length;
    return 'invalid character or escape in a string';
  };
  /** Reads `"key" :` after skipping space. */
  const readKey = (): string | undefined => {
    skipSpace();
    if (text[i] !== '"') return `expected a property name in double quotes, found '${text[i]}'`;
    const error = readString();
    if (error !== undefined) return error;
    skipSpace();
    if (text[i] !== ':') return `expected ':' after a property name, found '${text[i]}'`;
    i++;
    return undefined;
  };

  for (;;) {
    // Expecting a value.
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
      } else {
        stack.push(c);
        const error = c === '{' ? readKey() : undefined;
        if (error !== undefined) return fail(error);
        continue;
      }
    } else if (c === '"') {
      const error = readString();
      if (error !== undefined) return fail(error);
    } else {
      const literal = LITERALS.find((l) => text.startsWith(l, i));
      if (literal !== undefined) {
        if (literal in PYTHON_NUMBER_TOKENS) pythonTokens.push({ offset: i, token: literal });
        i += literal.length;
      } else {
        NUMBER_RE.lastIndex = i;
        if (!NUMBER_RE.test(text)) return fail(`expected a value, found '${c}'`);
        i = NUMBER_RE.lastIndex;
      }
    }
    // After a value: close containers, then expect the next element or the end.
    for (;;) {
      skipSpace();
      const open = stack[stack.length - 1];
      if (open === undefined) {
        return i < text.length ? fail('unexpected text after the end of the JSON value') : { error: undefined, pythonTokens };
      }
      const close = open === '{' ? '}' : ']';
      if (text[i] !== close) break;
      stack.pop();
      i++;
    }
    if (text[i] !== ',') return fail(`expected ',' or '${stack[stack.length - 1] === '{' ? '}' : ']'}', found '${text[i]}'`);
    i++;
    const error = stack[stack.length - 1] === '{' ? readKey() : undefined;
    if (error !== undefined) return fail(error);
  }
}

/** True when the text from `offset` on is one short token with no delimiter after it: a cut-off literal or number. */
function isCutToken(text: string, offset: number): boolean {
  return text.length - offset <= 16 && /^[^\s,\]}"]+$/.test(text.slice(offset));
}

// ---------------------------------------------------------------- value lines

/** A JSON path: object keys and array indexes. In patterns, '*' matches any key or index. */
export type JsonPath = ReadonlyArray<string | number>;

export interface LineRange {
  startLine: number;
  endLine: number;
}

/** Lines of the children found by scanJsonLines, looked up by their concrete path. */
export class JsonLines {
  constructor(
    private readonly byPath: ReadonlyMap<string, LineRange>,
    private readonly lineCount: number,
  ) {}

  get(path: JsonPath): LineRange | undefined {
    return this.byPath.get(JSON.stringify(path));
  }

  /** The span of the value at `path`, or of the whole file when the scan did not see it. */
  span(file: string, path: JsonPath): SourceSpan {
    const lines = this.get(path);
    return lines ? { file, ...lines } : this.fileSpan(file);
  }

  fileSpan(file: string): SourceSpan {
    return { file, startLine: 1, endLine: this.lineCount };
  }

  /** Number of children recorded, mainly for tests. */
  get size(): number {
    return this.byPath.size;
  }
}

interface Frame {
  isArray: boolean;
  /** Path of this container (only built while some pattern still needs it). */
  path: Array<string | number>;
  /** Patterns whose prefix matches this container and that go deeper. */
  alive: number[];
  /** True when this container's children are to be recorded. */
  isTarget: boolean;
  nextIndex: number;
  pendingKey: string | undefined;
  pendingKeyLine: number;
  /** The recorded child container currently open in this one (children never overlap). */
  openChild: { key: string; startLine: number } | undefined;
}

interface ChildInfo {
  alive: number[];
  isTarget: boolean;
  path: Array<string | number>;
  /** Map key under which the child's lines are recorded; undefined when nobody asked for it. */
  recordKey: string | undefined;
  /** Line of the key (object member) or of the value (array element). */
  startLine: number;
}

/** Shared answer for values no pattern cares about, so the hot path allocates nothing. */
const IRRELEVANT: ChildInfo = { alive: [], isTarget: false, path: [], recordKey: undefined, startLine: 0 };

/**
 * Finds, in ONE linear pass, the line range of every child (array element or object member) of
 * every container matching one of `patterns`. `[]` means the top-level value. An object member's
 * range starts at its key. Works on any input (compact, truncated, invalid) without throwing;
 * children left open by a truncated text end at the last line.
 */
export function scanJsonLines(text: string, patterns: readonly JsonPath[]): JsonLines {
  const found = new Map<string, LineRange>();
  const stack: Frame[] = [];
  // Lines are counted on the way (structural newlines only: a raw newline inside a string is not JSON).
  let line = 1;

  /** Called at the first character of a value: where the value sits relative to the patterns. */
  const enterValue = (): ChildInfo => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      // The top-level value: every pattern starts here.
      const alive = patterns.flatMap((pattern, index) => (pattern.length > 0 ? [index] : []));
      return { alive, isTarget: patterns.some((pattern) => pattern.length === 0), path: [], recordKey: undefined, startLine: line };
    }
    const key: string | number = parent.isArray ? parent.nextIndex++ : (parent.pendingKey ?? '');
    const startLine = parent.isArray ? line : parent.pendingKeyLine;
    parent.pendingKey = undefined;
    if (parent.alive.length === 0 && !parent.isTarget) return IRRELEVANT;
    const path = [...parent.path, key];
    const depth = parent.path.length;
    const alive: number[] = [];
    let isTarget = false;
    for (const index of parent.alive) {
      const segment = patterns[index][depth];
      if (segment !== '*' && segment !== key) continue;
      if (patterns[index].length === depth + 1) isTarget = true;
      else alive.push(index);
    }
    return { alive, isTarget, path, recordKey: parent.isTarget ? JSON.stringify(path) : undefined, startLine };
  };

  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.isArray && top.pendingKey === undefined && isKeyPosition(text, end)) {
        // Keys are only decoded where a pattern may look at them.
        top.pendingKey = top.alive.length > 0 || top.isTarget ? decodeKey(text.slice(i, end)) : '';
        top.pendingKeyLine = line;
      } else {
        const child = enterValue();
        if (child.recordKey !== undefined) found.set(child.recordKey, { startLine: child.startLine, endLine: line });
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const child = enterValue();
      if (child.recordKey !== undefined) stack[stack.length - 1].openChild = { key: child.recordKey, startLine: child.startLine };
      stack.push({
        isArray: c === 0x5b, path: child.path, alive: child.alive, isTarget: child.isTarget,
        nextIndex: 0, pendingKey: undefined, pendingKeyLine: 0, openChild: undefined,
      });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent?.openChild !== undefined) {
        found.set(parent.openChild.key, { startLine: parent.openChild.startLine, endLine: line });
        parent.openChild = undefined;
      }
      i++;
    } else if (c === 0x0a) {
      line++;
      i++;
    } else if (c === 0x20 || c === 0x0d || c === 0x09 || c === 0x2c /* , */ || c === 0x3a /* : */ || c === 0xfeff) {
      i++;
    } else {
      // A scalar (number, true, false, null, NaN, Infinity): runs up to the next delimiter.
      let end = i + 1;
      while (end < n && !isScalarDelimiter(text.charCodeAt(end))) end++;
      const child = enterValue();
      if (child.recordKey !== undefined) found.set(child.recordKey, { startLine: child.startLine, endLine: line });
      i = end;
    }
  }
  // Truncated text: children still open end with the text.
  for (const frame of stack) {
    if (frame.openChild !== undefined) found.set(frame.openChild.key, { startLine: frame.openChild.startLine, endLine: line });
  }
  return new JsonLines(found, line);
}

function isScalarDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a || c === 0x22 || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Offset just after the closing quote of the string starting at `start` (text length when unterminated). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** A string is an object key when the next non-space character is ':'. */
function isKeyPosition(text: string, after: number): boolean {
  let i = after;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return text[i] === ':';
}

/** Python writes non-ASCII names escaped ("C\u00f4te d'Ivoire"), so escaped keys are decoded. */
function decodeKey(quoted: string): string {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
