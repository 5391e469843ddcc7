/**
 * Experiment panel: one batch experiment, one metric. The variations side by side as distributions
 * of their runs' final values (strip plot with the mean and its 95 % CI), the Welch comparison with
 * variation 1 (marked below p 0.05), cost per variation, and the metric over turns per variation
 * (median with inter-quartile band). Every chart has its table; a run point or row opens the
 * run's world state at the turn of its final value.
 */
import { SIGNIFICANCE_LEVEL, type ExperimentRunPoint, type ExperimentSnapshot, type ExperimentVariation } from '../src/protocol/messages';
import { dataTable, type Cell } from './dataTable';
import { el, formatCost, formatCount, formatDelta, formatNumber } from './dom';
import { evolutionPlot, finalValuesPlot, variationSwatch, type ChartVariation } from './experimentCharts';
import { startPanel, type PanelContext } from './panelShell';
import { svgPng, svgText } from './svgExport';
import { button, dropdown } from './ui';

startPanel<ExperimentSnapshot>((s, context) => {
  if (!s.found) return [el('h1', {}, s.title), el('p', { className: 'status' }, `No indexed experiment has the folder ${s.folder} (any more).`)];
  const metric = s.metric;
  const chartVariations: ChartVariation[] = s.variations.map((v) => ({ ...v, label: v.description ?? 'no description' }));
  const open = (run: ExperimentRunPoint) => {
    if (run.source) void context.send({ kind: 'openSource', token: run.source.token });
    else context.notify(`No world state file is indexed for turn ${run.turn} of ${run.name}.`, true);
  };
  const header = [
    el('h1', {}, s.title),
    el('p', { className: 'note' }, `${s.folder} · base scenario ${s.baseScenario ?? '–'} · ${formatCount(s.variations.length)} variations`),
    el(
      'div',
      { className: 'controls' },
      dropdown('Metric', s.metrics.map((m) => ({ value: m, label: m })), metric ?? '', (m) => context.select({ ...s.selection, metric: m }), 'metric-choice'),
      dropdown(
        'Runs in the statistics',
        [
          { value: 'completed', label: 'Completed runs' },
          { value: 'all', label: 'All runs (failed ones too)' },
        ],
        s.selection.includeFailed ? 'all' : 'completed',
        (value) => context.select({ ...s.selection, includeFailed: value === 'all' }),
        'runs-choice',
      ),
    ),
    el('div', { className: 'actions' }, button('Export CSV…', () => void context.send({ kind: 'exportCsv' }), { secondary: true, id: 'export-csv' })),
  ];
  if (metric === undefined) return [...header, el('p', { className: 'status' }, 'The runs of this experiment recorded no metric.'), costSection(s)];
  const finalChart = finalValuesPlot(metric, chartVariations, open);
  const evolutionChart = evolutionPlot(metric, chartVariations);
  // Tests and the e2e timing read when the charts were drawn.
  requestAnimationFrame(() => document.getElementById('app')?.setAttribute('data-charts-drawn', String(performance.now())));
  return [
    ...header,
    el('h2', {}, `Final value of ${metric} per variation`),
    el('figure', { className: 'chart-figure', attrs: { id: 'final-chart', 'data-metric': metric } }, finalChart),
    chartExports(context, finalChart, 'final-values'),
    el('p', { className: 'note', attrs: { id: 'final-marks' } }, FINAL_MARKS),
    el('div', { className: 'scroll' }, finalTable(s)),
    el('details', {}, el('summary', {}, `Runs as a table (${formatCount(s.variations.reduce((n, v) => n + v.runs.length, 0))}): the chart's points`), el('div', { className: 'scroll' }, runsTable(s, open))),
    el('h2', {}, 'Comparison with variation 1'),
    el('div', { className: 'scroll' }, comparisonTable(s)),
    el('p', { className: 'note', attrs: { id: 'comparison-marks' } }, COMPARISON_MARKS),
    costSection(s),
    el('h2', {}, `${metric} over turns per variation`),
    el('figure', { className: 'chart-figure', attrs: { id: 'evolution-chart' } }, evolutionChart),
    chartExports(context, evolutionChart, 'over-turns'),
    el('details', {}, el('summary', {}, 'The chart as a table: median and 25th–75th percentile per turn'), el('div', { className: 'scroll' }, evolutionTable(s))),
  ];
});

const FINAL_MARKS =
  'Each dot is a run\'s final value (its records of the metric at its last turn with any, averaged): filled dots are counted in the statistics, hollow dots are runs left out (failed runs, unless "All runs" is chosen). The diamond is the mean, the whiskers its 95 % confidence interval (Student\'s t). Click a dot, or focus it and press Enter, to open the run\'s world state at that turn.';
const COMPARISON_MARKS = `Welch's t-test of each variation's final values against variation 1 (unequal variances). ✱ marks p < ${SIGNIFICANCE_LEVEL}; "–" means the test is undefined (fewer than 2 runs on a side, or no variation at all).`;

const variationCell = (v: ExperimentVariation, index: number): Cell => el('span', { className: 'variation-label' }, variationSwatch(index), `Variation ${v.variationId}`);

function finalTable(s: ExperimentSnapshot): HTMLTableElement {
  const rows = s.variations.map((v, i): Cell[] => {
    const f = v.final;
    return [variationCell(v, i), v.description ?? '–', formatCount(f.n), formatNumber(f.mean), formatNumber(f.sd), f.n === 0 ? '–' : `${formatNumber(f.ci95Low)} to ${formatNumber(f.ci95High)}`, formatNumber(f.min), formatNumber(f.max)];
  });
  return dataTable(`Final value of ${s.metric} per variation`, ['Variation', 'Description', 'Runs (n)', 'Mean', 'SD', '95 % CI of the mean', 'Min', 'Max'], rows, { id: 'final-table', rowHeaders: true });
}

function comparisonTable(s: ExperimentSnapshot): HTMLTableElement {
  const rows = s.comparisons.map((c): Cell[] => {
    const significant = c.pValue !== null && c.pValue < SIGNIFICANCE_LEVEL;
    const index = s.variations.findIndex((v) => v.variationId === c.variationId);
    return [
      variationCell(s.variations[index], index),
      formatDelta(c.meanDifference),
      formatNumber(c.welchT),
      formatNumber(c.pValue),
      c.pValue === null ? '–' : significant ? el('span', { className: 'mark mark-significant', attrs: { 'data-mark': 'significant' } }, `✱ p < ${SIGNIFICANCE_LEVEL}`) : 'no',
    ];
  });
  const baseline = s.variations[0];
  return dataTable(
    `Difference of the mean final value from variation ${baseline?.variationId ?? 1}${baseline?.description ? ` (${baseline.description})` : ''}`,
    ['Variation', 'Difference of means', 'Welch t', 'p-value', `Below ${SIGNIFICANCE_LEVEL}`],
    rows,
    { id: 'comparison-table', rowHeaders: true },
  );
}

function costSection(s: ExperimentSnapshot): HTMLElement {
  const rows = s.variations.map((v, i): Cell[] => [variationCell(v, i), formatCount(v.runsCompleted), formatCount(v.runsFailed), formatCost(v.totalCost), formatCost(v.avgCostPerRun)]);
  return el(
    'section',
    { attrs: { 'aria-label': 'Cost per variation' } },
    el('h2', {}, 'Cost per variation'),
    el('div', { className: 'scroll' }, dataTable('Runs and cost per variation (batch-state.json, batch-costs.json)', ['Variation', 'Completed', 'Failed', 'Total cost', 'Average per run'], rows, { id: 'cost-table', rowHeaders: true })),
  );
}

function runsTable(s: ExperimentSnapshot, open: (run: ExperimentRunPoint) => void): HTMLTableElement {
  const rows = s.variations.flatMap((v, i) =>
    v.runs.map((r): Cell[] => [
      variationCell(v, i),
      el('button', { className: 'link', attrs: { type: 'button', 'data-run': r.name, title: `Open the world state of ${r.name} at turn ${r.turn}` }, on: { click: () => open(r) } }, r.name),
      r.batchStatus ?? 'not recorded',
      formatNumber(r.value),
      formatCount(r.turn),
      r.inStatistics ? 'yes' : 'no (hollow dot)',
    ]),
  );
  return dataTable(`Final value of ${s.metric} of every run`, ['Variation', 'Run (opens its world state)', 'Batch status', 'Final value', 'Turn', 'In the statistics'], rows, { id: 'runs-table', rowHeaders: true });
}

function evolutionTable(s: ExperimentSnapshot): HTMLTableElement {
  const turns = [...new Set(s.variations.flatMap((v) => v.evolution.map((p) => p.turn)))].sort((a, b) => a - b);
  const rows = turns.map((turn): Cell[] => [
    `Turn ${turn}`,
    ...s.variations.map((v) => {
      const p = v.evolution.find((x) => x.turn === turn);
      return p ? `${formatNumber(p.median)} (${formatNumber(p.p25)}–${formatNumber(p.p75)}), ${formatCount(p.runs)} runs` : '–';
    }),
  ]);
  return dataTable(`${s.metric} per turn: median (25th–75th percentile) of each variation's runs`, ['Turn', ...s.variations.map((v) => `Variation ${v.variationId}`)], rows, { id: 'evolution-table', rowHeaders: true });
}

function chartExports(context: PanelContext, chart: SVGSVGElement, name: string): HTMLElement {
  return el(
    'div',
    { className: 'actions' },
    button('Export chart as SVG…', () => void context.send({ kind: 'exportChart', format: 'svg', data: svgText(chart), chart: name }), { secondary: true, id: `export-${name}-svg` }),
    button(
      'Export chart as PNG…',
      () =>
        void svgPng(chart).then(
          (data) => context.send({ kind: 'exportChart', format: 'png', data, chart: name }),
          (error: Error) => context.notify(error.message, true),
        ),
      { secondary: true, id: `export-${name}-png` },
    ),
  );
}
