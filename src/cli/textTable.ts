/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned,
 * one line per row, control characters in cells shown escaped (run text is untrusted).
 */
import { terminalText } from '../core/text/terminalText';
import { formatNumber, NO_VALUE } from '../core/analytics/numberFormat';

export type Cell = string | number | null | undefined;

export function textTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const cells = [header.map(String), ...rows.map((r) => r.map(show))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i])));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function show(value: Cell): string {
  // The placeholder the panels show for a missing value (--json keeps null).
  if (value === null || value === undefined) return NO_VALUE;
  if (typeof value === 'number') return formatNumber(value);
  // One line per row: run text can hold newlines and tabs.
  return terminalText(value.replace(/\s+/g, ' '));
}

/** Numbers, and numbers already formatted by core/analytics/numberFormat (costs), are right-aligned. */
function isNumeric(value: Cell): boolean {
  return value === null || value === undefined || typeof value === 'number' || value === NO_VALUE || /^[-+]?\$?[\d,]+(\.\d+)?$/.test(value);
}

function width(text: string): number {
  return [...text].length;
}
