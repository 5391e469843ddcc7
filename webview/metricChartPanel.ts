/**
 * Metric chart panel. The chart comes first: a line per run for a few runs, or, beyond
 * RUN_LINES_LIMIT runs, the runs' distribution per turn (median, inter-quartile band, 5–95 % band,
 * mean) computed by the host. Single runs are drawn over the distribution on demand: find them by
 * id, folder or status. Then the choices, the aggregate, the chart's numbers as a table, and the
 * metric's records in pages served by the host.
 */
import type { MetricChartSelection, MetricChartSnapshot, MetricTableRow, RunChoice, TablePage } from '../src/protocol/messages';
import { dataTable, pager } from './dataTable';
import { el, formatCount, formatNumber, replaceChildren } from './dom';
import { metricPlot, type MetricPlot } from './metricPlot';
import { exportButtons, sourceButton, startPanel, type PanelContext } from './panelShell';
import { button, dropdown } from './ui';

const ALL = '';
/** Matches listed by the run search; more are summarised ("and 980 more"). */
const SEARCH_RESULTS = 20;

startPanel<MetricChartSnapshot>((s, context): Node[] => {
  const plot = metricPlot({
    label: `${s.selection.metric} over turns, ${s.runCount} runs${s.view === 'distribution' ? ': median, inter-quartile band, 5–95 % band and mean per turn' : ''}`,
    view: s.view,
    series: s.series,
    runCount: s.runCount,
    distribution: s.distribution,
    highlighted: s.selection.highlight,
    yRange: s.yRange,
    onActivate: (runId, turn) => void context.send({ kind: 'openWorldState', runId, turn }),
  });
  const change = (next: Partial<MetricChartSelection>) => context.select({ ...s.selection, ...next });
  return [
    el('h1', {}, s.title),
    el('section', { className: 'chart-area', attrs: { 'aria-label': 'Chart' } }, plot.element),
    el(
      'p',
      { className: 'status', attrs: { id: 'chart-caption' } },
      `${formatCount(s.runCount)} run(s) · ${s.selection.actor ?? 'all actors'}${s.yRange ? ` · y axis: declared range ${formatNumber(s.yRange[0])}–${formatNumber(s.yRange[1])}` : ''}. ` +
        (s.view === 'distribution' ? 'Find runs below to draw them over the distribution. ' : '') +
        'Hover a line to highlight it; click it to open that run’s world state for the turn.',
    ),
    viewControls(s, change),
    ...(s.view === 'distribution' || s.runCount > 12 ? [runSearch(s, plot, change)] : []),
    el('div', { className: 'layout' }, el('section', { className: 'side', attrs: { 'aria-label': 'Aggregate' } }, aggregate(s)), controls(s, context, change)),
    exportButtons(context, () => plot),
    el('details', {}, el('summary', {}, 'Chart data as a table'), el('div', { className: 'scroll' }, chartTable(s))),
    valuesSection(s, context),
  ];
});

function viewControls(s: MetricChartSnapshot, change: (next: Partial<MetricChartSelection>) => void): HTMLElement {
  return el(
    'div',
    { className: 'controls', attrs: { role: 'group', 'aria-label': 'View' } },
    dropdown(
      'View',
      [
        { value: 'distribution', label: 'Distribution over runs' },
        { value: 'runs', label: `A line per run (${formatCount(s.runCount)})` },
      ],
      s.view,
      (view) => change({ view: view as 'runs' | 'distribution' }),
      'view-choice',
    ),
  );
}

/** Finds runs by id, folder or status; a found run is drawn as a line (over the distribution) or removed again. */
function runSearch(s: MetricChartSnapshot, plot: MetricPlot, change: (next: Partial<MetricChartSelection>) => void): HTMLElement {
  const highlighted = new Set(s.selection.highlight ?? []);
  const toggle = (runId: string) => {
    const next = highlighted.has(runId) ? [...highlighted].filter((id) => id !== runId) : [...highlighted, runId];
    change({ highlight: next.length > 0 ? next : undefined, view: 'distribution' });
  };
  const results = el('ul', { className: 'run-results', attrs: { id: 'run-results', 'aria-live': 'polite' } });
  const show = (query: string) => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = words.length === 0 ? [] : s.choices.runs.filter((r) => words.every((w) => `${r.runId} ${r.folder} ${r.status}`.toLowerCase().includes(w)));
    replaceChildren(
      results,
      ...matches.slice(0, SEARCH_RESULTS).map((r) => el('li', {}, runButton(r, highlighted.has(r.runId) ? 'Remove' : 'Draw', () => toggle(r.runId)))),
      matches.length > SEARCH_RESULTS && el('li', { className: 'status' }, `and ${formatCount(matches.length - SEARCH_RESULTS)} more: type more of the folder or id`),
      words.length > 0 && matches.length === 0 && el('li', { className: 'status' }, 'No run matches.'),
    );
  };
  const input = el('input', {
    attrs: { id: 'run-search', type: 'search', placeholder: 'Find runs by id, folder (var-001) or status (halted)…', 'aria-label': 'Find runs by id, folder or status', 'aria-controls': 'run-results' },
    on: { input: () => show(input.value) },
  });
  const drawn = s.choices.runs.filter((r) => highlighted.has(r.runId));
  return el(
    'section',
    { className: 'run-search', attrs: { 'aria-label': 'Runs drawn as lines' } },
    input,
    results,
    drawn.length > 0 &&
      el(
        'ul',
        { className: 'run-chips', attrs: { id: 'drawn-runs', 'aria-label': 'Drawn runs' } },
        ...drawn.map((r) => {
          const swatch = el('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
          // CSSOM, not a style attribute: the CSP allows the one and forbids the other.
          swatch.style.background = plot.colorOf(r.runId) ?? 'currentColor';
          return el('li', {}, swatch, runButton(r, 'Remove', () => toggle(r.runId)));
        }),
      ),
  );
}

function runButton(r: RunChoice, verb: string, onClick: () => void): HTMLElement {
  // The run's label, as in the legend: a run id two folders carry is one run (one line), named by its first folder.
  return button(`${verb} ${r.label} · ${r.status}`, onClick, { secondary: true, title: `${r.runId} · ${r.folder}` });
}

function controls(s: MetricChartSnapshot, context: PanelContext, change: (next: Partial<MetricChartSelection>) => void): HTMLElement {
  const choices = (values: string[], allLabel: string) => [{ value: ALL, label: allLabel }, ...values.map((v) => ({ value: v, label: v }))];
  return el(
    'div',
    { className: 'controls' },
    dropdown('Metric', s.choices.metrics.map((m) => ({ value: m, label: m })), s.selection.metric, (metric) => context.select({ panel: 'metricChart', metric }), 'metric-choice'),
    dropdown('Scenario', choices(s.choices.scenarios, 'All scenarios'), s.selection.scenario ?? ALL, (v) => change({ scenario: v || undefined, runIds: undefined, highlight: undefined }), 'scenario-choice'),
    s.choices.actors.length > 0 && dropdown('Actor', choices(s.choices.actors, 'All actors'), s.selection.actor ?? ALL, (v) => change({ actor: v || undefined }), 'actor-choice'),
    s.selection.runIds && button(`Show all runs (now ${formatCount(s.selection.runIds.length)})`, () => change({ runIds: undefined }), { secondary: true, id: 'all-runs' }),
  );
}

function aggregate(s: MetricChartSnapshot): HTMLElement {
  const a = s.aggregate;
  return el(
    'dl',
    { className: 'counts', attrs: { id: 'aggregate' } },
    el('dt', {}, 'Average'), el('dd', {}, formatNumber(a.avg)),
    el('dt', {}, 'Minimum'), el('dd', {}, formatNumber(a.min)),
    el('dt', {}, 'Maximum'), el('dd', {}, formatNumber(a.max)),
    el('dt', {}, 'Records'), el('dd', {}, formatCount(a.count)),
  );
}

/** The chart's numbers, for screen readers and for reading exact values; runs as columns only while they are few. */
function chartTable(s: MetricChartSnapshot): HTMLTableElement {
  const perRun = s.view === 'runs' && s.series.length <= 12 ? s.series : s.series.filter((x) => s.selection.highlight?.includes(x.runId));
  const rows = s.distribution.map((d) => [
    d.turn,
    d.runs,
    d.p05,
    d.p25,
    d.median,
    d.p75,
    d.p95,
    d.mean,
    ...perRun.map((series) => series.points.find((p) => p.turn === d.turn)?.value ?? '–'),
  ]);
  return dataTable(`${s.selection.metric} per turn`, ['Turn', 'Runs', '5th pct', '25th pct', 'Median', '75th pct', '95th pct', 'Mean', ...perRun.map((x) => x.label)], rows, {
    id: 'chart-table',
    rowHeaders: true,
  });
}

/** The records table shows one page; the pager asks the host for the next one. */
function valuesSection(s: MetricChartSnapshot, context: PanelContext): HTMLElement {
  const section = el('section', { attrs: { 'aria-label': 'Values' } });
  const show = (page: TablePage<MetricTableRow>) =>
    replaceChildren(
      section,
      el('h2', {}, 'Values'),
      dataTable(
        `${s.selection.metric} records`,
        ['Run', 'Turn', 'Actor', 'Value', 'Recorded', 'Source'],
        page.rows.map((r) => [r.runId, r.turn, r.actor ?? '', r.value, r.timestamp, sourceButton(r.source, context)]),
        { id: 'values-table' },
      ),
      pager(page, async (offset) => {
        const response = await context.send({ kind: 'tablePage', offset });
        if (response?.page) show(response.page);
      }),
    );
  show(s.table);
  return section;
}
