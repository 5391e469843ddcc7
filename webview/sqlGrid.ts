/**
 * The SQL results grid: an ARIA grid (role=grid, one focusable element with aria-activedescendant)
 * that renders only the rows in view, so a 1,000-row × 30-column result scrolls as smoothly as a
 * 10-row one. Sortable by column (numbers by value, NULL first), cells selectable with the mouse
 * (click, Shift+click, drag, the row number for whole rows) or the keyboard (arrows, Home/End,
 * Page Up/Down, Shift to extend, Shift+Space a row, Ctrl+A all), Enter or Space on a header sorts,
 * Ctrl+C copies. Every value is inserted as text; numbers go through the product's formatter.
 */
import { cellDisplay, isNumericCell, sortedRowOrder } from '../src/core/sql/resultGrid';
import type { SqlGridCell } from '../src/protocol/messages';
import { el, formatCount, replaceChildren } from './dom';
import { inRange, nextCell, nextSort, selectedRange, visibleRows, type CellPosition, type GridSize } from './gridNavigation';

/** What survives a redraw of the panel (a theme change rebuilds the DOM). */
export interface GridState {
  sort?: { column: number; descending: boolean };
  anchor: CellPosition;
  focus: CellPosition;
  scrollTop: number;
}

export interface SqlGridOptions {
  id: string;
  label: string;
  columns: string[];
  rows: SqlGridCell[][];
  /** Read and updated by the grid. */
  state: GridState;
  /** Copy these data rows (indices into `rows`, in display order) and result columns. */
  onCopy(rowIndices: number[], columnIndices: number[]): void;
  /** The display order (indices into `rows`), now and after every sort. */
  onOrder(order: number[]): void;
  /** A short sentence for the live region (sort changes, empty selections). */
  announce(text: string): void;
}

/** Used until a row is measured; the stylesheet fixes every row to one line. */
const ASSUMED_ROW_HEIGHT = 24;
/** Widest a column starts, in characters (a cell's whole text is in its tooltip). */
const MAX_COLUMN_CH = 48;
/** Rows looked at to size the columns. */
const SIZING_ROWS = 200;

export function sqlGrid(o: SqlGridOptions): HTMLElement {
  const { columns, rows, state } = o;
  let order = sortedRowOrder(rows, state.sort?.column, state.sort?.descending ?? false);
  let rowHeight = ASSUMED_ROW_HEIGHT;
  const size = (): GridSize => ({ rows: rows.length, columns: columns.length, page: Math.max(1, Math.floor(scroller.clientHeight / rowHeight) - 1) });
  const cellId = (row: number, col: number) => `${o.id}-r${row}-c${col}`;

  const headerCells = ['#', ...columns].map((name, col) =>
    el('th', { attrs: { role: 'columnheader', id: cellId(-1, col), 'aria-colindex': col + 1, 'data-row': -1, 'data-col': col, title: col === 0 ? 'Row number in the query’s order (Enter: back to that order)' : `${name} (Enter: sort)` } }, name),
  );
  const body = el('tbody');
  const table = el(
    'table',
    {
      className: 'sql-grid',
      attrs: { id: o.id, role: 'grid', tabindex: 0, 'aria-label': o.label, 'aria-rowcount': rows.length + 1, 'aria-colcount': columns.length + 1, 'aria-multiselectable': 'true' },
    },
    columnGroup(columnWidths(columns, rows)),
    el('thead', {}, el('tr', { attrs: { role: 'row', 'aria-rowindex': 1 } }, ...headerCells)),
    body,
  );
  table.style.width = `${columnWidths(columns, rows).reduce((sum, w) => sum + w, 0)}ch`;
  const scroller = el('div', { className: 'grid-scroll' }, table);

  const markSort = () => {
    headerCells.forEach((th, col) => {
      const sorted = col > 0 && state.sort?.column === col - 1;
      th.setAttribute('aria-sort', sorted ? (state.sort!.descending ? 'descending' : 'ascending') : 'none');
      th.classList.toggle('sorted', sorted);
      th.dataset.sortMark = sorted ? (state.sort!.descending ? ' ▼' : ' ▲') : '';
    });
  };

  const render = () => {
    const { first, end } = visibleRows(scroller.scrollTop, scroller.clientHeight || 800, rowHeight, rows.length);
    const range = selectedRange(state.anchor, state.focus, size());
    const spacer = (height: number) => {
      const cell = el('td', { attrs: { colspan: columns.length + 1 } });
      cell.style.height = `${height}px`; // CSSOM, which the CSP allows (style attributes it does not)
      return el('tr', { className: 'spacer', attrs: { 'aria-hidden': 'true' } }, cell);
    };
    const shown: Node[] = [spacer(first * rowHeight)];
    for (let position = first; position < end; position++) {
      const index = order[position];
      const cells: Node[] = [el('th', { attrs: { role: 'rowheader', id: cellId(position, 0), 'aria-colindex': 1, 'data-row': position, 'data-col': 0 } }, String(index + 1))];
      rows[index].forEach((cell, c) => {
        const text = cellDisplay(columns[c], cell);
        const classes = [isNumericCell(cell) ? 'number' : '', cell === null ? 'null' : '', typeof cell === 'object' && cell !== null ? 'special' : ''].filter(Boolean).join(' ');
        const long = typeof cell === 'string' && (cell.length > 40 || /[\r\n]/.test(cell));
        cells.push(
          el(
            'td',
            {
              className: classes || undefined,
              attrs: { role: 'gridcell', id: cellId(position, c + 1), 'aria-colindex': c + 2, 'data-row': position, 'data-col': c + 1, 'aria-selected': inRange(range, position, c + 1) ? 'true' : 'false', title: long ? cell : cell === null ? 'NULL (no value)' : undefined },
            },
            text,
          ),
        );
      });
      shown.push(el('tr', { attrs: { role: 'row', 'aria-rowindex': position + 2 } }, ...cells));
    }
    shown.push(spacer((rows.length - end) * rowHeight));
    replaceChildren(body, ...shown);
    document.querySelectorAll(`#${o.id} .active`).forEach((node) => node.classList.remove('active'));
    const active = document.getElementById(cellId(state.focus.row, state.focus.col)) ?? headerCells[state.focus.col];
    active?.classList.add('active');
    if (active) table.setAttribute('aria-activedescendant', active.id);
  };

  const measure = () => {
    const measured = body.querySelector('tr:not(.spacer)')?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - rowHeight) > 0.5) {
      rowHeight = measured;
      render();
    }
  };

  /** Scrolls so the focused cell is in view (below the sticky header), then draws. */
  const reveal = () => {
    const headerHeight = table.tHead?.getBoundingClientRect().height ?? rowHeight;
    if (state.focus.row >= 0) {
      const top = state.focus.row * rowHeight;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight - headerHeight) scroller.scrollTop = top + rowHeight - scroller.clientHeight + headerHeight;
    }
    render();
    document.getElementById(cellId(state.focus.row, state.focus.col))?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };

  const sortBy = (col: number) => {
    state.sort = col === 0 ? undefined : nextSort(state.sort, col - 1);
    order = sortedRowOrder(rows, state.sort?.column, state.sort?.descending ?? false);
    o.onOrder(order);
    markSort();
    render();
    o.announce(state.sort ? `Sorted by ${columns[state.sort.column]}, ${state.sort.descending ? 'descending' : 'ascending'}.` : 'In the query’s order.');
  };

  const copySelection = () => {
    const range = selectedRange(state.anchor, state.focus, size());
    if (!range) return o.announce('Select cells to copy (click, Shift+click, or Shift with the arrow keys).');
    const columnIndices = Array.from({ length: range.lastColumn - range.firstColumn + 1 }, (_, i) => range.firstColumn + i);
    o.onCopy(order.slice(range.firstRow, range.lastRow + 1), columnIndices);
  };

  table.addEventListener('keydown', (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (ctrl && (key === 'c' || key === 'C')) {
      event.preventDefault();
      return copySelection();
    }
    if (ctrl && (key === 'a' || key === 'A')) {
      event.preventDefault();
      state.anchor = { row: 0, col: 0 };
      state.focus = { row: rows.length - 1, col: columns.length };
      return render();
    }
    if ((key === 'Enter' || key === ' ') && state.focus.row === -1) {
      event.preventDefault();
      return sortBy(state.focus.col);
    }
    if (key === ' ' && event.shiftKey) {
      event.preventDefault();
      state.anchor = { row: state.anchor.row, col: 0 };
      return render();
    }
    const next = nextCell(state.focus, { key, ctrl }, size());
    if (!next) return;
    event.preventDefault();
    state.focus = next;
    if (!event.shiftKey) state.anchor = next;
    reveal();
  });

  const positionOf = (target: EventTarget | null): CellPosition | undefined => {
    const cell = (target as Element | null)?.closest?.('[data-col]') as HTMLElement | null;
    return cell ? { row: Number(cell.dataset.row), col: Number(cell.dataset.col) } : undefined;
  };
  table.addEventListener('mousedown', (event) => {
    const at = positionOf(event.target);
    if (!at) return;
    event.preventDefault(); // no text selection; the grid's own selection is what is copied
    table.focus();
    state.focus = at;
    if (!event.shiftKey) state.anchor = at;
    render();
  });
  table.addEventListener('mousemove', (event) => {
    const at = event.buttons === 1 ? positionOf(event.target) : undefined;
    if (!at || at.row < 0 || (at.row === state.focus.row && at.col === state.focus.col)) return;
    state.focus = at;
    render();
  });
  table.addEventListener('click', (event) => {
    const at = positionOf(event.target);
    if (at?.row === -1 && !event.shiftKey) sortBy(at.col);
  });

  let scheduled = false;
  scroller.addEventListener('scroll', () => {
    state.scrollTop = scroller.scrollTop;
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  });

  o.onOrder(order);
  markSort();
  render();
  // Once in the page: the real viewport and row height, and the scroll position before a redraw.
  requestAnimationFrame(() => {
    scroller.scrollTop = state.scrollTop;
    render();
    measure();
    table.dataset.rendered = String(rows.length);
  });
  return scroller;
}

/**
 * Widths in characters of the row-number column and each result column, from the header and the
 * first rows' shown text (table-layout: fixed needs them up front; rows render later, in pieces).
 */
function columnWidths(columns: string[], rows: SqlGridCell[][]): number[] {
  const sample = rows.slice(0, SIZING_ROWS);
  const widthOf = (c: number) => {
    let widest = columns[c].length + 2; // room for the sort mark
    for (const row of sample) widest = Math.max(widest, cellDisplay(columns[c], row[c]).length);
    return Math.min(MAX_COLUMN_CH, Math.max(4, widest)) + 2;
  };
  return [String(rows.length).length + 3, ...columns.map((_, c) => widthOf(c))];
}

function columnGroup(widths: number[]): HTMLElement {
  return el(
    'colgroup',
    {},
    ...widths.map((width) => {
      const col = el('col');
      col.style.width = `${width}ch`;
      return col;
    }),
  );
}

/** "1,000 rows × 12 columns". */
export function gridSizeText(rows: number, columns: number): string {
  return `${formatCount(rows)} row${rows === 1 ? '' : 's'} × ${formatCount(columns)} column${columns === 1 ? '' : 's'}`;
}
