/**
 * Run comparison panel: figures of each run side by side (best/worst costs and highest/lowest
 * metric values marked), one metric's lines overlaid, and one turn's actions side by side.
 */
import { figureTable, formatFigure, sentenceCase } from '../src/core/analytics/runFigures';
import type { ComparisonSnapshot, Mark, RunFigures } from '../src/protocol/messages';
import { dataTable, type Cell } from './dataTable';
import { el, formatCost, formatNumber, NO_VALUE } from './dom';
import { metricPlot } from './metricPlot';
import { exportButtons, sourceButton, startPanel, type PanelContext } from './panelShell';
import { dropdown, turnDropdown } from './ui';

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
      turnDropdown(s.turns, s.turn, (turn) => context.select({ ...s.selection, turn })),
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

/** core/analytics/runFigures' table of the runs, with the marked per-turn cost and tokens after their totals. */
function figuresTable(s: ComparisonSnapshot): HTMLTableElement {
  const each = (f: (r: RunFigures) => string) => s.runs.map(f);
  const markedRow = (label: string, key: string, f: (r: RunFigures) => string): Cell[] => [label, ...s.runs.map((r, i) => marked(f(r), s.figureMarks[key]?.[i]))];
  const perTurn: Record<string, Cell[]> = {
    totalCost: markedRow('Cost per turn', 'costPerTurn', (r) => (r.turnCount > 0 ? formatCost(r.totalCost / r.turnCount) : NO_VALUE)),
    totalTokens: markedRow('Tokens per turn', 'tokensPerTurn', (r) => (r.turnCount > 0 ? formatNumber(r.tokens.total / r.turnCount) : NO_VALUE)),
  };
  const rows: Cell[][] = [
    ['Scenario', ...each((r) => r.scenarioName)],
    ['Status', ...each((r) => r.status)],
    // A run without records for a breakdown line shows a dash, not $0: nothing was recorded, which is not the same.
    ...figureTable(s.runs).flatMap((row): Cell[][] => [
      [sentenceCase(row.label), ...row.values.map((v, i) => marked(formatFigure(v, row.unit), s.figureMarks[row.key]?.[i]))],
      ...(perTurn[row.key] ? [perTurn[row.key]] : []),
    ]),
  ];
  return dataTable('Run figures', ['', ...s.runs.map((r) => r.label)], rows, { id: 'figures-table', rowHeaders: true });
}

function metricsTable(s: ComparisonSnapshot): HTMLTableElement {
  const rows = s.metrics.flatMap((m): Cell[][] => [
    [`${m.metric} (final)`, ...m.final.map((c) => (c ? marked(`${formatNumber(c.value)} (turn ${c.turn})`, c.mark) : NO_VALUE))],
    [`${m.metric} (mean)`, ...m.mean.map((c) => (c ? marked(formatNumber(c.value), c.mark) : NO_VALUE))],
  ]);
  return dataTable('Final and mean value of every metric (▲ highest, ▼ lowest: the data does not say which direction is better)', ['Metric', ...s.runs.map((r) => r.label)], rows, {
    id: 'metrics-table',
    rowHeaders: true,
  });
}

function actionsTable(s: ComparisonSnapshot, context: PanelContext): HTMLTableElement {
  const rows = s.actions.map((a): Cell[] => [
    a.actor,
    ...a.perRun.map((cell) => (cell ? el('div', {}, el('div', { className: 'action-text' }, cell.action), sourceButton(cell.source, context)) : NO_VALUE)),
  ]);
  return dataTable(`Actions in turn ${s.turn ?? NO_VALUE}`, ['Actor', ...s.runs.map((r) => r.label)], rows, { id: 'actions-table', rowHeaders: true });
}
