/**
 * CSV text for exports. Run text is LLM output, so a text cell that a spreadsheet could evaluate
 * as a formula gets an apostrophe in front (OWASP's CSV-injection advice): one that starts with
 * = + - @ (or their full-width forms ＝ ＋ － ＠, which some spreadsheets take as the same), also
 * after leading spaces or line breaks (spreadsheets that trim cells would see the formula), and
 * one that starts with a tab, CR or LF.
 */
import { nonFiniteText } from '../db/encoding';
import type { Metric } from './types';

const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

export type CsvCell = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : nonFiniteText(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const METRIC_CSV_HEADER = ['run_id', 'scenario_id', 'turn_num', 'metric', 'actor', 'value', 'timestamp', 'source_file', 'source_line'] as const;

export function metricsCsv(metrics: readonly Metric[]): string {
  return toCsv(
    METRIC_CSV_HEADER,
    metrics.map((m) => [m.runId, m.scenarioId, m.turnNum, m.name, m.actor, m.value, m.timestamp, m.source?.file, m.source?.focusLine]),
  );
}
