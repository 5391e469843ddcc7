/**
 * A read-only SQL result as the results grid shows, sorts, copies and exports it. Pure (no
 * `vscode`, no DOM): the extension host builds exports and clipboard text with it, the webview
 * sorts and formats with it, and unit tests check both.
 *
 * What is shown and what is copied differ on purpose: the grid shows numbers through the product's
 * one formatter (`0.04376212000000001` in a cost column reads `$0.0438`), while copy (TSV), CSV and
 * JSON carry the raw value SQLite returned, so a pasted or exported figure loses no precision.
 */
import { toCsv, type CsvCell } from '../analytics/csv';
import { formatCost, formatNumber } from '../analytics/numberFormat';
import { nonFiniteAsText } from '../db/encoding';
import { spreadsheetField } from '../text/spreadsheetText';
import type { SqlGridCell } from '../../protocol/messages';

/** One cell as it crosses to the webview (defined with the panel protocol: JSON has no Infinity and no bytes). */
export type GridCell = SqlGridCell;

/**
 * A cell from what sql.js returns (number, string, null, Uint8Array) or pg does for a PostgreSQL
 * index (also boolean, Date, parsed json and arrays): a timestamp as ISO 8601 and json as JSON
 * text, as the `--json` output writes them.
 */
export function toGridCell(value: unknown): GridCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.isNaN(value) ? null : { real: value > 0 ? 'Infinity' : '-Infinity' };
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return { blob: value.byteLength };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The raw value of a cell for copy and export: the number itself (±Infinity included), the text, null, or `<N bytes>` for a BLOB. */
export function rawCellValue(cell: GridCell): string | number | null {
  if (cell === null || typeof cell !== 'object') return cell;
  return 'real' in cell ? (cell.real === 'Infinity' ? Infinity : -Infinity) : `<${cell.blob} bytes>`;
}

/** Whether a cell holds a number (shown right-aligned, sorted numerically). */
export function isNumericCell(cell: GridCell): boolean {
  return typeof cell === 'number' || (cell !== null && typeof cell === 'object' && 'real' in cell);
}

/** Costs in Scenario Lab's schema: `runs.total_cost`, `costs.cost`, and aliases such as `avg_cost`. */
const COST_COLUMN = /(^|_)cost$/i;
/** Identifiers and ordinal numbers read as written: run 12345 is not "12,345". */
const PLAIN_INTEGER_COLUMN = /(^|_)(id|num|number|turn|turns|year|rowid)$/i;

/**
 * The text shown for a cell of `column`: costs as `$0.0438` (formatCost), identifiers and turn
 * numbers as plain integers, other numbers through formatNumber (`6.125`, `12,345`), a BLOB as
 * `<N bytes>`. NULL is shown as the word NULL (the webview styles it apart from the text "NULL").
 */
export function cellDisplay(column: string, cell: GridCell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'object') return 'real' in cell ? cell.real : `<${cell.blob} bytes>`;
  if (COST_COLUMN.test(column)) return formatCost(cell);
  if (Number.isInteger(cell) && PLAIN_INTEGER_COLUMN.test(column)) return String(cell);
  return formatNumber(cell);
}

/** SQLite's own ordering of storage classes: NULL, then numbers, then text, then BLOBs. */
function storageRank(cell: GridCell): number {
  if (cell === null) return 0;
  if (isNumericCell(cell)) return 1;
  return typeof cell === 'string' ? 2 : 3;
}

const TEXT_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Ascending order of two cells, as `ORDER BY` would sort a mixed column (NULL first, numbers by
 * value, then text, then BLOBs by size), except that text compares as people read it
 * (case-insensitive, digits by value: "run-9" before "run-10").
 */
export function compareGridCells(a: GridCell, b: GridCell): number {
  const rank = storageRank(a) - storageRank(b);
  if (rank !== 0) return rank;
  if (isNumericCell(a)) {
    const x = rawCellValue(a) as number;
    const y = rawCellValue(b) as number;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === 'string') return TEXT_ORDER.compare(a, b as string) || (a < (b as string) ? -1 : a > (b as string) ? 1 : 0);
  return a === null ? 0 : (a as { blob: number }).blob - (b as { blob: number }).blob;
}

/**
 * Row indices in display order: sorted by `column` (stable, so equal cells keep the query's order)
 * or the query's own order when `column` is undefined.
 */
export function sortedRowOrder(rows: readonly GridCell[][], column: number | undefined, descending: boolean): number[] {
  const order = rows.map((_, i) => i);
  if (column === undefined) return order;
  const sign = descending ? -1 : 1;
  return order.sort((i, j) => sign * compareGridCells(rows[i][column], rows[j][column]) || i - j);
}

function tsvField(cell: GridCell): string {
  // A spreadsheet evaluates pasted text as it evaluates a CSV file: the same guard as toCsv; quoted
  // like a spreadsheet's own TSV, so a tab or line break inside run text stays in its cell.
  return spreadsheetField(rawCellValue(cell), '\t');
}

/**
 * Tab-separated text of the given rows (indices into `rows`, in the order given) and columns, with
 * the column names as the first line when `header` is set; lines end in CRLF as spreadsheets write
 * them. Raw values, not the formatted ones; NULL is an empty field.
 */
export function gridTsv(columns: readonly string[], rows: readonly GridCell[][], rowIndices: readonly number[], columnIndices: readonly number[], header: boolean): string {
  const lines = rowIndices.map((r) => columnIndices.map((c) => tsvField(rows[r][c])).join('\t'));
  if (header) lines.unshift(columnIndices.map((c) => tsvField(columns[c])).join('\t'));
  return lines.join('\r\n') + '\r\n';
}

/** CSV of the whole result through the product's CSV writer (formula guard, ±Infinity as words, NULL empty). */
export function gridCsv(columns: readonly string[], rows: readonly GridCell[][]): string {
  return toCsv(columns, rows.map((row) => row.map((cell): CsvCell => rawCellValue(cell))));
}

/**
 * Column names as JSON keys: a name used twice (`SELECT r.id, d.id …`) gets `:2`, `:3` … so no
 * column is lost to another of the same name.
 */
export function uniqueColumnKeys(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((name) => {
    let key = name;
    for (let n = 2; used.has(key); n++) key = `${name}:${n}`;
    used.add(key);
    return key;
  });
}

/** Rows as objects keyed by column name, as `scenario-lab sql --json` prints them. */
export function rowObjects(columns: readonly string[], rows: readonly unknown[][]): Array<Record<string, unknown>> {
  const keys = uniqueColumnKeys(columns);
  return rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
}

/** JSON of the whole result: an array of row objects (raw values; ±Infinity as the strings "Infinity"/"-Infinity", as the CLI writes them). */
export function gridJson(columns: readonly string[], rows: readonly GridCell[][]): string {
  return `${JSON.stringify(rowObjects(columns, rows.map((row) => row.map(rawCellValue))), nonFiniteAsText, 2)}\n`;
}
