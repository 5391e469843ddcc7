/**
 * Byte-exact imitations of the Python output routines Scenario Lab uses when it writes run folders:
 * `json.dump(..., indent=2)` (ensure_ascii, float repr), `datetime.isoformat()` / `strftime`,
 * `sorted()` on str (code-point order) and the persistence-phase file slug.
 */

import YAML from 'yaml';
import { pyFloatRepr } from '../../core/format/pythonRepr';

export { pyFloatRepr };

/** A JSON number that Python holds as a float, so it is written `5.0` and not `5`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A value already encoded by pyJson (at the top level). Embedding it elsewhere only re-indents
 * it: encoded JSON has no raw line breaks inside strings, so every "\n" is a layout line break.
 * Lets one file reuse a large part of another (metrics.json inside scenario-state.json).
 */
export class PyJsonText {
  constructor(readonly text: string) {}
}

/** Shorthand used by the record builders: `py(0.5)` is a Python float. */
export function py(value: number): PyFloat {
  return new PyFloat(value);
}

const NON_ASCII = /[\u007f-\uffff]/g;
const HAS_NON_ASCII = /[\u007f-\uffff]/;
/** Printable ASCII without `"` and `\`: needs no escaping at all (most keys and values). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal with Python's ensure_ascii escaping (`\u00e9`, lower-case hex). */
function pyString(text: string): string {
  if (text.length < LONG_STRING) return escapeString(text);
  let quoted = longStrings.get(text);
  if (quoted === undefined) {
    if (longStrings.size >= LONG_STRING_CACHE) longStrings.clear();
    quoted = escapeString(text);
    longStrings.set(text, quoted);
  }
  return quoted;
}

function escapeString(text: string): string {
  if (PLAIN.test(text)) return '"' + text + '"';
  const quoted = JSON.stringify(text);
  return HAS_NON_ASCII.test(quoted)
    ? quoted.replace(NON_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    : quoted;
}

// A run's state files repeat every decision text up to three times (recent_decisions, decisions,
// the v2 file); caching long literals avoids re-escaping them. V8 caches a string's hash, so the
// lookup is cheap for the very string objects that are repeated.
const LONG_STRING = 256;
const LONG_STRING_CACHE = 4096;
const longStrings = new Map<string, string>();

/**
 * `json.dumps(value, indent=2)` with Python's default ensure_ascii. Numbers are written as ints
 * unless wrapped in PyFloat; object keys keep insertion order (like a Python dict), `undefined`
 * is not allowed. Hand-written because JSON.stringify with a replacer is several times slower.
 */
export function pyJson(value: unknown): string {
  return encode(value, '\n');
}

/** `newline` is the line break plus the current indentation, so nesting costs one concat. */
function encode(value: unknown, newline: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pyString(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (value instanceof PyJsonText) return newline === '\n' ? value.text : value.text.replaceAll('\n', newline);
  const inner = newline + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '[' + inner + encode(value[0], inner);
    for (let i = 1; i < value.length; i++) out += ',' + inner + encode(value[i], inner);
    return out + newline + ']';
  }
  let out = '';
  for (const key in value as Record<string, unknown>) {
    out += (out === '' ? '{' : ',') + inner + pyString(key) + ': ' + encode((value as Record<string, unknown>)[key], inner);
  }
  return out === '' ? '{}' : out + newline + '}';
}

/** Python `str` ordering (`sorted()`): by code point, so surrogate pairs sort after the BMP. */
export function comparePython(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Persistence-phase decision file stem: `name.lower().replace(" ", "-")` (only spaces change). */
export function pySlug(name: string): string {
  return name.toLowerCase().replaceAll(' ', '-');
}

/** `{n:03d}`: three digits, more when needed (turn 1000 -> "1000"). */
export function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

// ---------------------------------------------------------------- naive local datetimes
// Scenario Lab writes naive local time; the generator models it as microseconds since an
// arbitrary epoch and formats with the UTC accessors so the host time zone never matters.

function parts(us: number): { date: string; time: string; micros: number } {
  const d = new Date(Math.floor(us / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`,
    time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
    micros: ((us % 1_000_000) + 1_000_000) % 1_000_000,
  };
}

/** `datetime.isoformat()`: microseconds are omitted when they are exactly 0. */
export function isoformat(us: number): string {
  const p = parts(us);
  return p.micros === 0 ? `${p.date}T${p.time}` : `${p.date}T${p.time}.${String(p.micros).padStart(6, '0')}`;
}

/** `strftime("%Y-%m-%d %H:%M:%S")`, used in markdown headers. */
export function markdownTime(us: number): string {
  const p = parts(us);
  return `${p.date} ${p.time}`;
}

/** `strftime("%Y%m%d%H%M%S%f")`, the suffix of communication ids. */
export function compactTime(us: number): string {
  const p = parts(us);
  return (p.date + p.time).replace(/[-:]/g, '') + String(p.micros).padStart(6, '0');
}

/** `strftime("%Y%m%d-%H%M%S")`, the suffix of V2 run ids. */
export function runIdTime(us: number): string {
  const p = parts(us);
  return `${p.date.replace(/-/g, '')}-${p.time.replace(/:/g, '')}`;
}

/** Microseconds since the epoch for a naive wall-clock time. */
export function microsAt(year: number, month: number, day: number, hour: number, minute: number): number {
  return Date.UTC(year, month - 1, day, hour, minute) * 1000;
}

/** The layout PyYAML's `yaml.dump` gives hand-written-looking files (no indented sequences, no flow padding). */
export const YAML_OPTIONS = { lineWidth: 100, indentSeq: false, flowCollectionPadding: false } as const;

/** PyYAML writes floats with a fraction (`5.0`); the yaml package needs to be told. */
export function yamlFloat(value: number): YAML.Scalar {
  const scalar = new YAML.Scalar(value);
  scalar.minFractionDigits = 1;
  return scalar;
}
