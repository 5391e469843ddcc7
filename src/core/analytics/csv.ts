/**
 * CSV text for exports. Run text is LLM output, so every field goes through spreadsheetField(),
 * which puts an apostrophe before text a spreadsheet could evaluate as a formula.
 */
import { spreadsheetField, type SpreadsheetValue } from '../text/spreadsheetText';
import type { Metric } from './types';

export type CsvCell = SpreadsheetValue;

/** CSV text (CRLF line ends, a final CRLF) of the header and rows; fields as spreadsheetField() writes them. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => row.map((cell) => spreadsheetField(cell, ',')).join(',')).join('\r\n') + '\r\n';
}

export const METRIC_CSV_HEADER = ['run_id', 'scenario_id', 'turn_num', 'metric', 'actor', 'value', 'timestamp', 'source_file', 'source_line'] as const;

export function metricsCsv(metrics: readonly Metric[]): string {
  return toCsv(
    METRIC_CSV_HEADER,
    metrics.map((m) => [m.runId, m.scenarioId, m.turnNum, m.name, m.actor, m.value, m.timestamp, m.source?.file, m.source?.focusLine]),
  );
}
