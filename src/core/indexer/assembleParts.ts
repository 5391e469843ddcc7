/** What the assemblers of each run folder format share (assembleFolder.ts): the context, the invented run id, times and small list helpers. */
import type { Problem, SourceLocation, SourceSpan } from '../format/records';
import { localSqlTime, toSqlDatetime } from '../format/timestamps';
import type { AssembledFolder } from './assembledFolder';
import type { ParsedFolder } from './readFolder';
import { latestTime } from './runFacts';

/** What an assembler needs beyond the folder: names from outside the run folder. */
export interface AssembleContext {
  /** Scenario display name for a scenario folder name (`output/<dir>/…`), from scenarios/<dir>/scenario.yaml. */
  scenarioNameForDir?: (dir: string) => string | undefined;
}

/**
 * The run id of a folder whose files record none (`folder:<path>`), made of the workspace-relative
 * path without a shared index's source: a folder gets the same id on both engines, and the same
 * batch indexed from two machines the same runs, as recorded run ids do (its figures per folder stay
 * apart in sl_folders).
 */
export function folderRunId(folder: Pick<ParsedFolder, 'localKey'>): string {
  return `folder:${folder.localKey}`;
}

/** The scenario's display name when no state file gives it: a message file's title, the scenario definition, the folder name. */
export function scenarioNameOf(folder: ParsedFolder, rows: AssembledFolder, context: AssembleContext): string {
  const dir = rows.meta.scenarioDir;
  return folder.communications.find((c) => c.scenarioName)?.scenarioName ?? (dir ? context.scenarioNameForDir?.(dir) : undefined) ?? dir ?? folder.key;
}

/** A parsed span as an origin row; the focus line is its first line. */
export function spanOrigin(span: SourceSpan): SourceLocation {
  return { file: span.file, startLine: span.startLine, endLine: span.endLine, focusLine: span.startLine };
}

/** A file's ISO time in the database's datetime form; undefined when the file records none. */
export function sqlTime(value: string | undefined | null): string | undefined {
  return value ? toSqlDatetime(value) : undefined;
}

/** Latest time the run's files record: its rows and costs, and the markdown of a turn in progress (decisions, messages, world updates). */
export function lastWrittenOf(folder: Pick<ParsedFolder, 'decisions' | 'communications' | 'worldStates'>, rows: AssembledFolder): string | null {
  const times = [
    ...rows.turns.flatMap((t) => [t.timestamp, ...t.decisions.map((d) => d.timestamp), ...t.communications.map((c) => c.timestamp), ...t.metrics.map((m) => m.timestamp)]),
    ...rows.costs.map((c) => c.timestamp),
    ...folder.decisions.map((d) => sqlTime(d.timestamp)),
    ...folder.communications.map((c) => sqlTime(c.generatedAt)),
    ...folder.worldStates.map((w) => sqlTime(w.doc.kind === 'v2-formatted' ? w.doc.updatedAt : w.doc.kind === 'v1' ? w.doc.generatedAt : undefined)),
  ];
  return latestTime(times) ?? null;
}

/** Modification times of the files that are the run's own (not our sidecar). */
export function runFileTimes(folder: ParsedFolder): number[] {
  return folder.files.filter((f) => f.kind !== 'annotations').map((f) => f.mtimeMs);
}

/**
 * Scenario Lab's own stand-in for a time no file records (`now()` at its first write, docs/format.md#persistence);
 * used only for a folder that has no file at all to take a time from.
 */
export function nowSqlTime(): string {
  return localSqlTime(Date.now());
}

/** Appends `item` unless it is undefined. */
export function pushDefined<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

/** Appends `value` to the list of `key`, creating it. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The sum of `values` (0 for none). */
export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The integers from `from` to `to`, both included (empty when `to` < `from`). */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k <= to; k++) out.push(k);
  return out;
}

/** Whether two lists hold the same strings in the same order. */
export function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Python sorts strings by code point; localeCompare would not. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An info-level problem on the first line of `file`. */
export function info(file: string, message: string): Problem {
  return { file, line: 1, severity: 'info', message };
}
