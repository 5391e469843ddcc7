/**
 * Metric chart panel: one line per run over turns, the min–max band and mean across runs, the
 * aggregate, the same data as a table, and the metric's records in pages served by the host.
 */
import type { MetricChartSelection, MetricChartSnapshot, MetricTableRow, TablePage } from '../src/protocol/messages';
import { dataTable, pager } from './dataTable';
import { el, formatNumber, replaceChildren } from './dom';
import { lineChart } from './lineChart';
import { exportButtons, legend, sourceButton, startPanel, type PanelContext } from './panelShell';
import { checkbox, dropdown } from './ui';

const ALL = '';

startPanel<MetricChartSnapshot>((s, context) => {
  const chart = lineChart({
    label: `${s.selection.metric} over turns, ${s.series.length} runs, with the min–max band and mean per turn`,
    series: s.series,
    band: s.band,
    onActivate: (runId, turn) => void context.send({ kind: 'openWorldState', runId, turn }),
  });
  return [
    el('h1', {}, s.title),
    el('p', { className: 'status' }, `${s.selection.scenario ?? 'All scenarios'} · ${s.selection.actor ?? 'all actors'} · ${s.series.length} run(s). Click a point (or focus it and press Enter) to open that run's world state for the turn.`),
    controls(s, context),
    el(
      'div',
      { className: 'layout' },
      el('section', { className: 'chart-area', attrs: { 'aria-label': 'Chart' } }, chart, legend(s.series, s.band.length > 0)),
      el('section', { className: 'side', attrs: { 'aria-label': 'Aggregate' } }, aggregate(s)),
    ),
    exportButtons(context, () => chart),
    el('details', {}, el('summary', {}, 'Chart data as a table'), el('div', { className: 'scroll' }, chartTable(s))),
    valuesSection(s, context),
  ];
});

function controls(s: MetricChartSnapshot, context: PanelContext): HTMLElement {
  const change = (next: Partial<MetricChartSelection>) => context.select({ ...s.selection, ...next });
  const choices = (values: string[], allLabel: string) => [{ value: ALL, label: allLabel }, ...values.map((v) => ({ value: v, label: v }))];
  const selectedRuns = new Set(s.selection.runIds ?? s.choices.runs);
  const toggleRun = (runId: string, on: boolean) => {
    const next = s.choices.runs.filter((id) => (id === runId ? on : selectedRuns.has(id)));
    if (next.length > 0) change({ runIds: next.length === s.choices.runs.length ? undefined : next });
  };
  return el(
    'div',
    { className: 'controls' },
    dropdown('Metric', s.choices.metrics.map((m) => ({ value: m, label: m })), s.selection.metric, (metric) => context.select({ panel: 'metricChart', metric }), 'metric-choice'),
    dropdown('Scenario', choices(s.choices.scenarios, 'All scenarios'), s.selection.scenario ?? ALL, (v) => change({ scenario: v || undefined, runIds: undefined }), 'scenario-choice'),
    s.choices.actors.length > 0 && dropdown('Actor', choices(s.choices.actors, 'All actors'), s.selection.actor ?? ALL, (v) => change({ actor: v || undefined }), 'actor-choice'),
    el('fieldset', { className: 'run-choices' }, el('legend', {}, 'Runs'), ...s.choices.runs.map((id) => checkbox(id, selectedRuns.has(id), (on) => toggleRun(id, on), id))),
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
    el('dt', {}, 'Records'), el('dd', {}, formatNumber(a.count)),
  );
}

/** The chart's numbers, for screen readers and for reading exact values. */
function chartTable(s: MetricChartSnapshot): HTMLTableElement {
  const rows = s.band.map((b) => [
    b.turn,
    b.min,
    b.mean,
    b.max,
    b.count,
    ...s.series.map((series) => {
      const point = series.points.find((p) => p.turn === b.turn);
      return point ? point.value : '–';
    }),
  ]);
  return dataTable(`${s.selection.metric} per turn`, ['Turn', 'Min', 'Mean', 'Max', 'Records', ...s.series.map((x) => x.label)], rows, { id: 'chart-table', rowHeaders: true });
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
