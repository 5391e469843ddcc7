/** Run statistics panel: counts, cost by phase/actor/model (bars + tables), and turn-by-turn cost. */
import { costBreakdowns, formatFigure, runFigures, sentenceCase } from '../src/core/analytics/runFigures';
import type { NamedTotal, RunStatisticsSnapshot } from '../src/protocol/messages';
import { barChart } from './barChart';
import { dataTable } from './dataTable';
import { el, formatCost } from './dom';
import { startPanel } from './panelShell';
import { button } from './ui';

startPanel<RunStatisticsSnapshot>((s, context) => {
  const run = s.run;
  if (!run) return [el('h1', {}, s.selection.runId), el('p', { className: 'status' }, 'This run is not in the index (any more).')];
  const counts: Array<[string, string]> = [
    ...(s.sharedWith.length > 1 ? [['Folder', `${run.folder ?? ''} (run id ${run.runId} is carried by ${s.sharedWith.length} folders; figures are this folder's)`] as [string, string]] : []),
    ['Scenario', run.scenarioName],
    ['Status', run.status],
    ...runFigures(run).map((f): [string, string] => [sentenceCase(f.label), formatFigure(f.value, f.unit)]),
  ];
  const turns: NamedTotal[] = s.costByTurn.map((t) => ({ name: `Turn ${t.turn}`, total: t.total }));
  return [
    el('h1', {}, s.title),
    el('dl', { className: 'counts', attrs: { id: 'counts' } }, ...counts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('div', { className: 'actions' }, button('Export CSV…', () => void context.send({ kind: 'exportCsv' }), { secondary: true, id: 'export-csv' })),
    ...costBreakdowns(run).map((b) => costSection(`Cost by ${b.label}`, sentenceCase(b.label), b.lines, `cost-${b.key}`)),
    costSection('Cost by turn', 'Turn', turns, 'cost-turn'),
    el('p', { className: 'status' }, 'Cost records carry no turn number; each is counted in the first turn recorded at or after it. The total cost also includes world updates, which have no cost records.'),
  ];
});

function costSection(title: string, column: string, totals: NamedTotal[], id: string): HTMLElement {
  return el(
    'section',
    { attrs: { 'aria-label': title } },
    el('h2', {}, title),
    totals.length === 0
      ? el('p', { className: 'status' }, 'No cost records.')
      : el(
          'div',
          { className: 'layout' },
          el('div', { className: 'chart-area' }, barChart(title, totals.map((t) => ({ label: t.name, value: t.total, valueText: formatCost(t.total) })))),
          el('div', { className: 'side' }, dataTable(title, [column, 'Cost'], totals.map((t) => [t.name, formatCost(t.total)]), { id: `${id}-table`, rowHeaders: true })),
        ),
  );
}
