/**
 * Keyboard movement and selection of the SQL results grid, without the DOM (unit-tested in Node).
 * Positions are in display order: row -1 is the header row, rows 0…rows-1 the data rows as sorted;
 * column 0 is the row-number column (the row header), columns 1…columns the result's columns.
 * Keys follow the ARIA grid pattern: arrows, Home/End within a row, Ctrl+Home/End to the first or
 * last cell, Page Up/Down by a screenful.
 */

export interface CellPosition {
  row: number;
  col: number;
}

export interface GridSize {
  /** Data rows. */
  rows: number;
  /** Result columns (the row-number column is not counted). */
  columns: number;
  /** Rows moved by Page Up/Down. */
  page: number;
}

export interface KeyPress {
  key: string;
  ctrl: boolean;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Where focus goes for a key, or undefined when the key does not move it. */
export function nextCell(from: CellPosition, press: KeyPress, size: GridSize): CellPosition | undefined {
  const lastRow = size.rows - 1;
  const lastCol = size.columns;
  const at = (row: number, col: number): CellPosition => ({ row: clamp(row, -1, lastRow), col: clamp(col, 0, lastCol) });
  switch (press.key) {
    case 'ArrowUp':
      return at(from.row - 1, from.col);
    case 'ArrowDown':
      return at(from.row + 1, from.col);
    case 'ArrowLeft':
      return at(from.row, from.col - 1);
    case 'ArrowRight':
      return at(from.row, from.col + 1);
    case 'Home':
      return press.ctrl ? at(-1, 0) : at(from.row, 0);
    case 'End':
      return press.ctrl ? at(lastRow, lastCol) : at(from.row, lastCol);
    case 'PageUp':
      // The header stays one step away: paging stops at the first data row.
      return at(from.row < 0 ? -1 : Math.max(0, from.row - size.page), from.col);
    case 'PageDown':
      return at(from.row + size.page, from.col);
    default:
      return undefined;
  }
}

export interface CellRange {
  /** Display rows, inclusive. */
  firstRow: number;
  lastRow: number;
  /** Result column indices (0-based, without the row-number column), inclusive. */
  firstColumn: number;
  lastColumn: number;
}

/**
 * The rectangle between the anchor and the focused cell, in data rows and result columns. A
 * rectangle that includes the row-number column covers whole rows; the header row is never part
 * of it (the header is copied with "Copy all" only). Undefined when it holds no data cell.
 */
export function selectedRange(anchor: CellPosition, focus: CellPosition, size: GridSize): CellRange | undefined {
  if (size.rows === 0 || size.columns === 0) return undefined;
  const firstRow = Math.max(0, Math.min(anchor.row, focus.row));
  const lastRow = Math.min(size.rows - 1, Math.max(anchor.row, focus.row));
  if (lastRow < firstRow) return undefined;
  const wholeRows = Math.min(anchor.col, focus.col) === 0;
  const firstColumn = wholeRows ? 0 : Math.min(anchor.col, focus.col) - 1;
  const lastColumn = wholeRows ? size.columns - 1 : Math.max(anchor.col, focus.col) - 1;
  return { firstRow, lastRow, firstColumn, lastColumn };
}

/** Whether a display cell (row, col as in CellPosition) lies in the range. */
export function inRange(range: CellRange | undefined, row: number, col: number): boolean {
  return !!range && row >= range.firstRow && row <= range.lastRow && col - 1 >= range.firstColumn && col - 1 <= range.lastColumn;
}

/** The next sort of a column whose header was activated: ascending, then descending, then the query's order. */
export function nextSort(current: { column: number; descending: boolean } | undefined, column: number): { column: number; descending: boolean } | undefined {
  if (current?.column !== column) return { column, descending: false };
  return current.descending ? undefined : { column, descending: true };
}

/** Half-open range of rows to render for a scroll position (a screenful plus `overscan` on each side). */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rows: number, overscan = 10): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, end: Math.max(first, end) };
}
