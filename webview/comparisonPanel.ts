/**
 * Run comparison panel: figures of each run side by side (best/worst costs and highest/lowest
 * metric values marked), one metric's lines overlaid, and one turn's actions side by side.
 */
import type { ComparisonSnapshot, Mark, NamedTotal, RunFigures } from '../src/protocol/messages';
import { dataTable, type Cell } from './dataTable';
import { el, formatCost, formatNumber } from './dom';
import { metricPlot } from './metricPlot';
import { exportButtons, sourceButton, startPanel, type PanelContext } from './panelShell';
import { dropdown } from './ui';

startPanel<ComparisonSnapshot>((s, context) => {
  if (s.runs.length === 0) return [el('h1', {}, 'Compare runs'), el('p', { className: 'status' }, 'None of the chosen runs is in the index.')];
  const chart = s.overlay.metric
    ? metricPlot({
        label: `${s.overlay.metric} over turns for the compared runs`,
        view: 'runs',
        series: s.overlay.series,
        onActivate: (runId, turn) => void context.send({ kind: 'openWorldState', runId, turn }),
      })
    : null;
  return [
    el('h1', {}, s.title),
    el('div', { className: 'scroll' }, figuresTable(s)),
    el('p', { className: 'note', attrs: { id: 'marks-note' } }, MARKS_NOTE),
    el('h2', {}, 'Metrics'),
    el('div', { className: 'scroll' }, metricsTable(s)),
    el('h2', {}, 'Metric over turns'),
    el(
      'div',
      { className: 'controls' },
      dropdown('Metric', s.metrics.map((m) => ({ value: m.metric, label: m.metric })), s.overlay.metric ?? '', (metric) => context.select({ ...s.selection, metric }), 'overlay-metric'),
    ),
    chart?.element ?? el('p', { className: 'status' }, 'These runs have no metrics.'),
    exportButtons(context, () => chart),
    el('h2', {}, 'Actions side by side'),
    el(
      'div',
      { className: 'controls' },
      dropdown('Turn', s.turns.map((t) => ({ value: String(t), label: `Turn ${t}` })), String(s.turn ?? ''), (turn) => context.select({ ...s.selection, turn: Number(turn) }), 'turn-choice'),
    ),
    el('div', { className: 'scroll' }, actionsTable(s, context)),
  ];
});

/** What the marks of the figures table mean (the host marks them so: comparisonSnapshot.figureMarks). */
const MARKS_NOTE =
  '▲ best / ▼ worst: lowest / highest cost or tokens per turn among the runs that completed. Halted, failed or running runs are not marked: stopping early is not being cheap. Cost by phase, actor and model is marked per turn too.';

const MARK_TEXT: Record<Exclude<Mark, undefined>, string> = { best: '▲ best', worst: '▼ worst', highest: '▲ highest', lowest: '▼ lowest' };

function marked(text: string, mark: Mark): Cell {
  if (!mark) return text;
  return el('span', {}, text, el('span', { className: `mark mark-${mark}`, attrs: { 'data-mark': mark } }, MARK_TEXT[mark]));
}

function figuresTable(s: ComparisonSnapshot): HTMLTableElement {
  const each = (f: (r: RunFigures) => string) => s.runs.map(f);
  const markedRow = (label: string, key: string, f: (r: RunFigures) => string): Cell[] => [label, ...s.runs.map((r, i) => marked(f(r), s.figureMarks[key]?.[i]))];
  const breakdown = (group: string, of: (r: RunFigures) => NamedTotal[]) =>
    [...new Set(s.runs.flatMap((r) => of(r).map((c) => c.name)))].map((name) =>
      // A run without records for this name shows a dash, not $0: nothing was recorded, which is not the same.
      markedRow(`Cost by ${group}: ${name}`, `${group}:${name}`, (r) => {
        const total = of(r).find((c) => c.name === name)?.total;
        return total === undefined ? '–' : formatCost(total);
      }),
    );
  const rows: Cell[][] = [
    ['Scenario', ...each((r) => r.scenarioName)],
    ['Status', ...each((r) => r.status)],
    ['Turns', ...each((r) => formatNumber(r.turnCount))],
    ['Decisions', ...each((r) => formatNumber(r.decisionCount))],
    ['Communications', ...each((r) => formatNumber(r.communicationCount))],
    ['Metrics', ...each((r) => formatNumber(r.metricCount))],
    ['Annotations', ...each((r) => formatNumber(r.annotationCount))],
    ['Total cost', ...each((r) => formatCost(r.totalCost))],
    markedRow('Cost per turn', 'costPerTurn', (r) => (r.turnCount > 0 ? formatCost(r.totalCost / r.turnCount) : '–')),
    ...breakdown('phase', (r) => r.costByPhase),
    ...breakdown('actor', (r) => r.costByActor),
    ...breakdown('model', (r) => r.costByModel),
    ['Input tokens', ...each((r) => formatNumber(r.tokens.input))],
    ['Output tokens', ...each((r) => formatNumber(r.tokens.output))],
    ['Total tokens', ...each((r) => formatNumber(r.tokens.total))],
    markedRow('Tokens per turn', 'tokensPerTurn', (r) => (r.turnCount > 0 ? formatNumber(r.tokens.total / r.turnCount) : '–')),
  ];
  return dataTable('Run figures', ['', ...s.runs.map((r) => r.label)], rows, { id: 'figures-table', rowHeaders: true });
}

function metricsTable(s: ComparisonSnapshot): HTMLTableElement {
  const rows = s.metrics.flatMap((m): Cell[][] => [
    [`${m.metric} (final)`, ...m.final.map((c) => (c ? marked(`${formatNumber(c.value)} (turn ${c.turn})`, c.mark) : '–'))],
    [`${m.metric} (mean)`, ...m.mean.map((c) => (c ? marked(formatNumber(c.value), c.mark) : '–'))],
  ]);
  return dataTable('Final and mean value of every metric (▲ highest, ▼ lowest: the data does not say which direction is better)', ['Metric', ...s.runs.map((r) => r.label)], rows, {
    id: 'metrics-table',
    rowHeaders: true,
  });
}

function actionsTable(s: ComparisonSnapshot, context: PanelContext): HTMLTableElement {
  const rows = s.actions.map((a): Cell[] => [
    a.actor,
    ...a.perRun.map((cell) => (cell ? el('div', {}, el('div', { className: 'action-text' }, cell.action), sourceButton(cell.source, context)) : '–')),
  ]);
  return dataTable(`Actions in turn ${s.turn ?? '–'}`, ['Actor', ...s.runs.map((r) => r.label)], rows, { id: 'actions-table', rowHeaders: true });
}
