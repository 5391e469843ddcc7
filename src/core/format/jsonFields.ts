/**
 * Typed access to decoded JSON/YAML objects that never throws: a value of the wrong type gives a
 * warning (at the line of the record it belongs to) and the caller's safe default.
 */
import { nonFiniteText } from '../db/encoding';
import { MAX_TURN, type Problem, type ProblemSeverity } from './records';

export type JsonObject = Record<string, unknown>;

/** PostgreSQL's integer, the type of Scenario Lab's INTEGER columns there (SQLAlchemy's Integer). */
const MAX_INTEGER = 2_147_483_647;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where problems go: the file being read and its problem list. */
export interface ProblemSink {
  file: string;
  problems: Problem[];
}

export function report(sink: ProblemSink, line: number, severity: ProblemSeverity, message: string): void {
  sink.problems.push({ file: sink.file, line, severity, message });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return nonFiniteText(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Fields of a record that has to be an object; anything else is reported and skipped. */
export function recordFields(sink: ProblemSink, item: unknown, where: string, line: number): Fields | undefined {
  if (isObject(item)) return new Fields(sink, item, where, line);
  report(sink, line, 'warning', `${where} is not an object; skipped`);
  return undefined;
}

/**
 * Fields of one object (`where` names it in messages, e.g. `record 3 of "costs"`). Absent keys and
 * null give undefined silently: Scenario Lab omits or nulls optional keys routinely.
 */
export class Fields {
  constructor(
    private readonly sink: ProblemSink,
    readonly obj: JsonObject,
    private readonly where: string,
    readonly line: number,
  ) {}

  /** Reports a value of the wrong type or shape; returns undefined so callers can fall back. */
  invalid(key: string, expected: string, value: unknown): undefined {
    report(this.sink, this.line, 'warning', `"${key}" of ${this.where} should be ${expected} but is ${describe(value)}; it is ignored`);
    return undefined;
  }

  /**
   * For a key that has to be there: reports it when absent (a wrong type was already reported by
   * the getter) and returns the fallback, so callers write `f.number('turn') ?? f.required('turn', 0)`.
   */
  required<T>(key: string, fallback: T): T {
    if (this.obj[key] === undefined || this.obj[key] === null) report(this.sink, this.line, 'warning', `${this.where} has no "${key}"`);
    return fallback;
  }

  string(key: string): string | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : this.invalid(key, 'text', value);
  }

  /**
   * A real number. Python's json.dump writes float('inf') as `Infinity`, which SQLite's REAL holds
   * (and Scenario Lab's own database stores), so ±Infinity is returned as is; `NaN` is a value no
   * NOT NULL column can hold (SQLite stores NaN as NULL), so it is reported and ignored.
   */
  number(key: string, ignored = 'it is ignored'): number | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') return this.invalid(key, 'a number', value);
    if (Number.isNaN(value)) return this.nonFinite(key, value, 'SQLite cannot store NaN', ignored);
    return value;
  }

  /**
   * A count or a turn number: a whole, finite number that Scenario Lab's INTEGER columns hold on
   * both engines (PostgreSQL's integer: ±2,147,483,647; a larger one made PostgreSQL refuse the
   * whole run). NaN, ±Infinity and larger numbers are reported and ignored.
   */
  integer(key: string): number | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') return this.invalid(key, 'a number', value);
    if (!Number.isFinite(value)) return this.nonFinite(key, value, 'it has to be a whole number', 'it is ignored');
    if (!Number.isInteger(value)) return this.invalid(key, 'a whole number', value);
    if (Math.abs(value) <= MAX_INTEGER) return value;
    report(this.sink, this.line, 'warning', `"${key}" of ${this.where} is ${value}, larger than a whole-number column holds (${MAX_INTEGER}); it is ignored`);
    return undefined;
  }

  /**
   * A turn number: a whole number up to MAX_TURN. A larger one is no turn any run reached, and
   * every turn up to a folder's last becomes a row, so it is reported and ignored like NaN.
   */
  turn(key: string): number | undefined {
    const value = this.integer(key);
    if (value === undefined || value <= MAX_TURN) return value;
    report(this.sink, this.line, 'warning', `"${key}" of ${this.where} is ${value}, more turns than any run has (at most ${MAX_TURN}); it is ignored`);
    return undefined;
  }

  private nonFinite(key: string, value: number, why: string, ignored: string): undefined {
    report(this.sink, this.line, 'warning', `"${key}" of ${this.where} is ${nonFiniteText(value)} (${why}); ${ignored}`);
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'boolean' ? value : this.invalid(key, 'true or false', value);
  }

  object(key: string): JsonObject | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    return isObject(value) ? value : this.invalid(key, 'an object', value);
  }

  list(key: string): unknown[] | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value : this.invalid(key, 'a list', value);
  }

  /** A list of strings; other items are dropped with one warning. */
  stringList(key: string): string[] | undefined {
    const list = this.list(key);
    if (list === undefined) return undefined;
    const strings = list.filter((item): item is string => typeof item === 'string');
    if (strings.length < list.length) {
      report(this.sink, this.line, 'warning', `"${key}" of ${this.where} should hold only text; ${list.length - strings.length} other item(s) ignored`);
    }
    return strings;
  }

  /** A string that is also allowed to be an explicit null (e.g. a cost record's actor). */
  nullableString(key: string): string | null {
    return this.string(key) ?? null;
  }
}
