/**
 * Text for spreadsheets: CSV exports and the SQL grid's TSV copy carry run text (LLM output) and
 * comments, and a spreadsheet evaluates a cell that looks like a formula, whether it was opened
 * from a file or pasted. This is the one place that makes such a field inert and keeps it in its
 * cell.
 */
import { nonFiniteText } from '../db/encoding';

/**
 * A cell a spreadsheet could evaluate as a formula (OWASP's CSV-injection advice): it starts with
 * = + - @ (or their full-width forms ＝ ＋ － ＠, which some spreadsheets take as the same), also
 * after leading spaces or line breaks (spreadsheets that trim cells would see the formula), or it
 * starts with a tab, CR or LF.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

/** What a field may hold: text, a number, or nothing (null / undefined). */
export type SpreadsheetValue = string | number | null | undefined;

/**
 * One field of a CSV (`separator` ',') or TSV ('\t') line as a spreadsheet reads it: nothing for
 * null/undefined; a finite number as String() writes it, ±Infinity and NaN as those words; text
 * behind an apostrophe when it could start a formula, then in double quotes (inner quotes doubled)
 * when it holds a quote, the separator, CR or LF, so it stays one cell. Never throws.
 */
export function spreadsheetField(value: SpreadsheetValue, separator: ',' | '\t'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : nonFiniteText(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  const needsQuotes = separator === ',' ? /[",\r\n]/ : /["\t\r\n]/;
  return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
