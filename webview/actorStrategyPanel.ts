/**
 * Actor strategy panel: one actor's decisions per variation (or run, or scenario): counts, its most
 * distinctive terms, and its actions at one turn side by side, one column per group. Action text is
 * LLM output: it is only ever inserted as text.
 */
import type { ActorStrategySnapshot } from '../src/protocol/messages';
import { dataTable, type Cell } from './dataTable';
import { el, formatNumber } from './dom';
import { sourceButton, startPanel, type PanelContext } from './panelShell';
import { button, turnDropdown } from './ui';

startPanel<ActorStrategySnapshot>((s, context) => [
  el('h1', {}, s.title),
  el('p', { className: 'note' }, `${s.selection.actor} across ${s.scope}, by ${s.groupedBy}.`),
  el('div', { className: 'scroll' }, countsTable(s)),
  el('p', { className: 'note', attrs: { id: 'terms-note' } }, TERMS_NOTE),
  el('h2', {}, 'Actions side by side'),
  el(
    'div',
    { className: 'controls' },
    turnDropdown(s.turns, s.turn, (turn) => context.select({ ...s.selection, turn })),
    s.groupedBy === 'variation' &&
      button(s.selection.includeFailed ? 'Completed runs only' : 'Include failed runs', () => context.select({ ...s.selection, includeFailed: !s.selection.includeFailed }), { secondary: true, id: 'include-failed' }),
  ),
  s.turn === null ? el('p', { className: 'status' }, 'This actor has no decisions here.') : el('div', { className: 'scroll' }, sideBySide(s, context)),
]);

const TERMS_NOTE =
  'Distinctive terms: words of the actions (FTS4 tokens, stop words dropped) this group uses more than the others, by the z-score of the log-odds ratio with an informative Dirichlet prior; the number is the occurrences in the group.';

function countsTable(s: ActorStrategySnapshot): HTMLTableElement {
  const rows = s.groups.map((g): Cell[] => [
    g.label,
    g.description ?? '',
    g.runs,
    g.decisions,
    g.decisionsPerRun === null ? '–' : formatNumber(g.decisionsPerRun),
    g.terms.length === 0 ? '–' : el('span', {}, ...g.terms.map((t) => el('span', { className: 'term', attrs: { title: `z = ${formatNumber(t.zScore)}; ${t.otherCount} in the others` } }, `${t.term} (${t.count}) `))),
  ]);
  return dataTable('Decisions and distinctive terms', [label(s.groupedBy), 'Description', 'Runs', 'Decisions', 'Per run', 'Distinctive terms'], rows, { id: 'strategy-table', rowHeaders: true });
}

function sideBySide(s: ActorStrategySnapshot, context: PanelContext): HTMLTableElement {
  const depth = Math.max(0, ...s.groups.map((g) => g.actions.length));
  const rows: Cell[][] = [];
  for (let i = 0; i < depth; i++) {
    rows.push(
      s.groups.map((g) => {
        const a = g.actions[i];
        if (!a) return '';
        return el(
          'div',
          { className: 'strategy-action' },
          el('div', { className: 'note' }, a.folder),
          a.action === null ? el('div', { className: 'status' }, 'No decision at this turn.') : el('div', { className: 'action-text' }, a.action),
          sourceButton(a.source, context),
        );
      }),
    );
  }
  return dataTable(`Actions in turn ${s.turn ?? '–'}, one column per ${s.groupedBy}`, s.groups.map((g) => g.label), rows, { id: 'actions-table' });
}

function label(groupedBy: ActorStrategySnapshot['groupedBy']): string {
  return groupedBy === 'variation' ? 'Variation' : groupedBy === 'run' ? 'Run' : 'Scenario';
}
