/** Keyboard movement, selection and sorting of the SQL results grid (the ARIA grid pattern), without a DOM. */
import { strict as assert } from 'node:assert';
import { nextCell, nextSort, selectedRange, visibleRows, type GridSize } from '../../../webview/gridNavigation';

const size: GridSize = { rows: 1000, columns: 5, page: 20 };
const key = (k: string, ctrl = false) => ({ key: k, ctrl });

describe('SQL results grid navigation', () => {
  it('moves with the arrows and stops at the edges (row -1 is the header, column 0 the row numbers)', () => {
    assert.deepEqual(nextCell({ row: 0, col: 1 }, key('ArrowUp'), size), { row: -1, col: 1 });
    assert.deepEqual(nextCell({ row: -1, col: 1 }, key('ArrowUp'), size), { row: -1, col: 1 });
    assert.deepEqual(nextCell({ row: 999, col: 5 }, key('ArrowDown'), size), { row: 999, col: 5 });
    assert.deepEqual(nextCell({ row: 3, col: 5 }, key('ArrowRight'), size), { row: 3, col: 5 });
    assert.deepEqual(nextCell({ row: 3, col: 0 }, key('ArrowLeft'), size), { row: 3, col: 0 });
    assert.equal(nextCell({ row: 3, col: 2 }, key('a'), size), undefined);
  });

  it('Home/End go along the row, Ctrl+Home/End to the first and last cell, Page Up/Down by a screen', () => {
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('Home'), size), { row: 7, col: 0 });
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('End'), size), { row: 7, col: 5 });
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('Home', true), size), { row: -1, col: 0 });
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('End', true), size), { row: 999, col: 5 });
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('PageDown'), size), { row: 27, col: 3 });
    assert.deepEqual(nextCell({ row: 7, col: 3 }, key('PageUp'), size), { row: 0, col: 3 });
    assert.deepEqual(nextCell({ row: 990, col: 3 }, key('PageDown'), size), { row: 999, col: 3 });
  });

  it('selects the rectangle between anchor and focus; the row-number column selects whole rows', () => {
    assert.deepEqual(selectedRange({ row: 5, col: 3 }, { row: 2, col: 1 }, size), { firstRow: 2, lastRow: 5, firstColumn: 0, lastColumn: 2 });
    assert.deepEqual(selectedRange({ row: 4, col: 0 }, { row: 6, col: 0 }, size), { firstRow: 4, lastRow: 6, firstColumn: 0, lastColumn: 4 });
    assert.deepEqual(selectedRange({ row: -1, col: 2 }, { row: 1, col: 2 }, size), { firstRow: 0, lastRow: 1, firstColumn: 1, lastColumn: 1 }, 'never the header');
    assert.equal(selectedRange({ row: -1, col: 2 }, { row: -1, col: 3 }, size), undefined);
    assert.equal(selectedRange({ row: 0, col: 1 }, { row: 0, col: 1 }, { rows: 0, columns: 3, page: 1 }), undefined);
  });

  it('sorts ascending, then descending, then back to the query order', () => {
    assert.deepEqual(nextSort(undefined, 2), { column: 2, descending: false });
    assert.deepEqual(nextSort({ column: 2, descending: false }, 2), { column: 2, descending: true });
    assert.equal(nextSort({ column: 2, descending: true }, 2), undefined);
    assert.deepEqual(nextSort({ column: 2, descending: true }, 3), { column: 3, descending: false });
  });

  it('renders only the rows in view (plus a margin), at any scroll position', () => {
    assert.deepEqual(visibleRows(0, 480, 24, 1000, 10), { first: 0, end: 30 });
    assert.deepEqual(visibleRows(24 * 500, 480, 24, 1000, 10), { first: 490, end: 530 });
    assert.deepEqual(visibleRows(24 * 990, 480, 24, 1000, 10), { first: 980, end: 1000 });
    assert.deepEqual(visibleRows(0, 480, 24, 0, 10), { first: 0, end: 0 });
  });
});
