/**
 * SQL results panel: the query, the results grid, the row-limit note, and copy / export / open as
 * text. Copying and exporting are done by the host from its own copy of the result (raw values,
 * full precision); the webview only says which rows and columns, in the order it shows them.
 */
import type { SqlResultSnapshot } from '../src/protocol/messages';
import { el } from './dom';
import { startPanel } from './panelShell';
import { gridSizeText, sqlGrid, type GridState } from './sqlGrid';
import { button } from './ui';

/** Kept across redraws (a theme change redraws the panel): sort, selection and scroll position. */
let state: GridState = { anchor: { row: 0, col: 1 }, focus: { row: 0, col: 1 }, scrollTop: 0 };
let stateOf: string | undefined;

startPanel<SqlResultSnapshot>((s, context) => {
  if (stateOf !== s.selection.query) {
    state = { anchor: { row: 0, col: 1 }, focus: { row: 0, col: 1 }, scrollTop: 0 };
    stateOf = s.selection.query;
  }
  const allRows = () => s.rows.map((_, i) => i);
  let displayOrder: number[] = allRows();
  const grid =
    s.columns.length === 0
      ? el('p', { className: 'status' }, 'The statement returned no rows.')
      : sqlGrid({
          id: 'sql-grid',
          label: `Result of the query: ${gridSizeText(s.rows.length, s.columns.length)}`,
          columns: s.columns,
          rows: s.rows,
          state,
          onCopy: (rows, columns) => {
            void context.send({ kind: 'copyCells', rows, columns, header: false });
          },
          onOrder: (order) => (displayOrder = order),
          announce: (text) => context.notify(text),
        });
  return [
    el('h1', {}, 'SQL result'),
    el('pre', { className: 'sql-query', attrs: { id: 'sql-query', 'aria-label': 'Query' } }, s.selection.query),
    el(
      'div',
      { className: 'actions' },
      button('Copy all', () => void context.send({ kind: 'copyCells', rows: displayOrder, columns: s.columns.map((_, c) => c), header: true }), { secondary: true, id: 'copy-all', title: 'Every row and column as tab-separated text with the column names, in the order shown; raw values' }),
      button('Export CSV…', () => void context.send({ kind: 'exportCsv' }), { secondary: true, id: 'export-csv' }),
      button('Export JSON…', () => void context.send({ kind: 'exportJson' }), { secondary: true, id: 'export-json' }),
      button('Open as text', () => void context.send({ kind: 'openAsText' }), { secondary: true, id: 'open-as-text', title: 'The result as a read-only markdown document' }),
    ),
    el('p', { className: s.truncated ? 'note row-limit warning' : 'note row-limit', attrs: { id: 'row-note' } }, s.note),
    grid,
    el(
      'p',
      { className: 'status grid-help' },
      'Click a header (or Enter on it) to sort: ascending, descending, then the query’s order. Select with click, Shift+click, drag or Shift+arrows (a row number selects its row, Ctrl+A everything); Ctrl+C copies the selection as tab-separated text. Copies and exports carry the raw values; the grid shows them formatted.',
    ),
  ];
});
