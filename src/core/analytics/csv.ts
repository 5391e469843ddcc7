/**
 * CSV text for exports. Run text is LLM output, so cells that a spreadsheet would evaluate as a
 * formula (leading = + - @ tab CR) are prefixed with an apostrophe (OWASP's CSV-injection advice).
 */
import { nonFiniteText } from '../db/encoding';
import type { Metric } from './types';

export type CsvCell = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : nonFiniteText(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const METRIC_CSV_HEADER = ['run_id', 'scenario_id', 'turn_num', 'metric', 'actor', 'value', 'timestamp', 'source_file', 'source_line'] as const;

export function metricsCsv(metrics: readonly Metric[]): string {
  return toCsv(
    METRIC_CSV_HEADER,
    metrics.map((m) => [m.runId, m.scenarioId, m.turnNum, m.name, m.actor, m.value, m.timestamp, m.source?.file, m.source?.focusLine]),
  );
}
