/** Plain, accessible tables (caption, th scope) and the pager for tables the host serves in pages. */
import { el, formatNumber } from './dom';
import { button } from './ui';

export type Cell = Node | string | number;

export function dataTable(caption: string, headers: string[], rows: Cell[][], options: { id?: string; rowHeaders?: boolean } = {}): HTMLTableElement {
  return el(
    'table',
    { className: 'data-table', attrs: { id: options.id } },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el('tr', {}, ...row.map((cell, i) => (i === 0 && options.rowHeaders ? el('th', { attrs: { scope: 'row' } }, cell) : typeof cell === 'number' ? el('td', { className: 'number' }, formatNumber(cell)) : el('td', {}, cell)))),
      ),
    ),
  );
}

export function pager(page: { offset: number; limit: number; total: number }, goTo: (offset: number) => void): HTMLElement {
  const last = Math.max(0, Math.ceil(page.total / page.limit) - 1) * page.limit;
  const shown = page.total === 0 ? '0' : `${page.offset + 1}–${Math.min(page.offset + page.limit, page.total)}`;
  return el(
    'nav',
    { className: 'pager', attrs: { 'aria-label': 'Table pages' } },
    page.offset > 0 && button('Previous', () => goTo(Math.max(0, page.offset - page.limit)), { secondary: true }),
    el('span', { className: 'pager-status', attrs: { 'aria-live': 'polite' } }, `Rows ${shown} of ${page.total}`),
    page.offset < last && button('Next', () => goTo(page.offset + page.limit), { secondary: true }),
  );
}
