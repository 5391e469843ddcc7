/**
 * The one module that knows the charting library. Panels describe what to draw (runs as lines,
 * or the runs' distribution per turn with some runs drawn over it) and get an element back;
 * nothing else imports uPlot.
 *
 * Why uPlot: it draws on a canvas (1,000 runs × 10 turns is 10,000 points; uPlot draws 100,000+
 * in milliseconds where an SVG chart needs a DOM node per point), it is ~50 KB minified with no
 * dependencies, it needs neither `eval` nor remote content and sets its own styles through the
 * CSSOM (allowed by the panels' strict CSP; its stylesheet ships as a local file), and its axes
 * pick "nice" tick steps (1, 2, 5 × 10ⁿ) with no label overlap. Colours come from chartColors.ts
 * per theme kind (≥ 3:1 contrast). A canvas has no accessible structure, so every chart comes
 * with its numbers as a table in the panel and an accessible name.
 */
import uPlot from 'uplot';
import type { DistributionPoint, RunSeries } from '../src/protocol/messages';
import { CHART_COLORS, themeKindOf, type ChartColors } from './chartColors';
import { el, formatNumber } from './dom';

export interface MetricPlotInput {
  /** Accessible name of the chart. */
  label: string;
  /** `runs`: a line per run. `distribution`: median, inter-quartile band, 5–95 % band and mean, with `highlighted` runs over them. */
  view: 'runs' | 'distribution';
  series: readonly RunSeries[];
  /** Runs the chart stands for (the distribution's runs, more than `series` in the distribution view); default: the series. */
  runCount?: number;
  distribution?: readonly DistributionPoint[];
  /** Runs drawn as lines in the distribution view. */
  highlighted?: readonly string[];
  /** Y axis range (the metric's declared range); otherwise the data's, rounded to nice numbers. */
  yRange?: [number, number];
  /** A click on a run's line at a turn (opens that run's world state). */
  onActivate?: (runId: string, turn: number) => void;
}

export interface MetricPlot {
  /** The chart, with its legend. */
  element: HTMLElement;
  /** The chart as a PNG data: URL, on the theme's background. */
  png(): string;
  /** Colour of a run's line (for legends and chips outside the chart). */
  colorOf(runId: string): string | undefined;
}

const HEIGHT = 340;

export function metricPlot(input: MetricPlotInput): MetricPlot {
  const colors = CHART_COLORS[themeKindOf(document.body)];
  const host = el('div', { className: 'metric-plot', attrs: { role: 'img', 'aria-label': input.label, 'data-view': input.view } });
  const lines = input.view === 'runs' ? input.series : input.series.filter((s) => input.highlighted?.includes(s.runId));
  const turns = [...new Set([...input.series.flatMap((s) => s.points.map((p) => p.turn)), ...(input.distribution ?? []).map((d) => d.turn)])].sort((a, b) => a - b);
  host.dataset.runs = String(input.runCount ?? input.series.length);
  host.dataset.lines = String(lines.length);
  // Over the distribution, runs skip the first colours (those of the median and the mean).
  const offset = input.view === 'distribution' ? 2 : 0;
  const colorOf = new Map(lines.map((s, i) => [s.runId, colors.lines[(i + offset) % colors.lines.length]]));
  let plot: uPlot | undefined;

  const attach = () => {
    if (turns.length === 0) {
      host.replaceChildren(el('p', { className: 'status' }, 'No values to draw.'));
      return;
    }
    const { options, data, runAt } = build(input, lines, turns, colors, colorOf);
    const isRun = (seriesIndex: number) => runAt(seriesIndex) !== undefined;
    plot?.destroy();
    plot = new uPlot({ ...options, width: Math.max(320, host.clientWidth || 760), height: HEIGHT }, data, host);
    // Tests (and the timing in the e2e log) read where points are drawn and when drawing ended.
    (host as HTMLElement & { plot?: uPlot }).plot = plot;
    host.dataset.drawnAt = String(performance.now());
    if (input.onActivate) {
      const over = plot.over;
      over.addEventListener('click', () => {
        const p = plot!;
        const idx = p.cursor.idx;
        const focused = p.series.findIndex((s, i) => i > 0 && (s as { _focus?: boolean })._focus);
        const runId = runAt(focused >= 0 ? focused : nearestLine(p, idx, isRun));
        if (runId && idx !== null && idx !== undefined) input.onActivate!(runId, turns[idx]);
      });
    }
    new ResizeObserver(() => plot && host.clientWidth > 0 && plot.setSize({ width: host.clientWidth, height: HEIGHT })).observe(host);
  };

  // Drawn once the panel has put the element in the document, at its width.
  requestAnimationFrame(attach);
  return {
    element: host,
    colorOf: (runId) => colorOf.get(runId),
    png: () => {
      const canvas = host.querySelector('canvas');
      if (!canvas) throw new Error('The chart is not drawn.');
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d')!;
      context.fillStyle = getComputedStyle(document.body).backgroundColor;
      context.fillRect(0, 0, copy.width, copy.height);
      context.drawImage(canvas, 0, 0);
      return copy.toDataURL('image/png');
    },
  };
}

/** The series (of uPlot's) nearest to the cursor among the run lines, for a click between lines. */
function nearestLine(p: uPlot, idx: number | null | undefined, isRun: (seriesIndex: number) => boolean): number {
  if (idx === null || idx === undefined) return -1;
  const top = p.cursor.top ?? 0;
  let best = -1;
  let distance = 12; // pixels: a click farther than this from every line opens nothing
  p.series.forEach((s, i) => {
    const value = p.data[i]?.[idx];
    if (i === 0 || !s.show || value === null || value === undefined || !isRun(i)) return;
    const d = Math.abs(p.valToPos(value, 'y') - top);
    if (d < distance) [best, distance] = [i, d];
  });
  return best;
}

function build(input: MetricPlotInput, lines: readonly RunSeries[], turns: number[], colors: ChartColors, colorOf: Map<string, string>) {
  const column = (values: Map<number, number>) => turns.map((t) => values.get(t) ?? null);
  const data: Array<Array<number | null>> = [turns];
  const series: uPlot.Series[] = [{ label: 'turn', value: (_u, v) => (v === null ? '–' : `turn ${v}`) }];
  const bands: uPlot.Band[] = [];
  const value = (_u: uPlot, v: number | null) => formatNumber(v);
  const d = input.view === 'distribution' ? (input.distribution ?? []) : [];
  if (d.length > 0) {
    const of = (key: keyof DistributionPoint) => column(new Map(d.map((p) => [p.turn, p[key]])));
    const first = data.length;
    // Order matters for the bands: outer bounds, inner bounds, then the lines drawn on top.
    data.push(of('p95'), of('p05'), of('p75'), of('p25'), of('median'), of('mean'));
    series.push(
      { label: '95th percentile', stroke: colors.outerFill, width: 0, points: { show: false }, value },
      { label: '5th percentile', stroke: colors.outerFill, width: 0, points: { show: false }, value },
      { label: '75th percentile', stroke: colors.iqrFill, width: 0, points: { show: false }, value },
      { label: '25th percentile', stroke: colors.iqrFill, width: 0, points: { show: false }, value },
      { label: 'median', stroke: colors.median, width: 2.5, points: { show: false }, value },
      { label: 'mean', stroke: colors.mean, width: 2, dash: [6, 4], points: { show: false }, value },
    );
    bands.push({ series: [first, first + 1], fill: colors.outerFill }, { series: [first + 2, first + 3], fill: colors.iqrFill });
  }
  const runIndex = new Map<number, string>();
  for (const s of lines) {
    runIndex.set(data.length, s.runId);
    data.push(column(new Map(s.points.map((p) => [p.turn, p.value]))));
    // The folder name alone ("run-993", "var-001-run-002"): the legend already says these are runs.
    series.push({ label: s.label, stroke: colorOf.get(s.runId), width: 1.75, spanGaps: true, points: { show: turns.length <= 30, size: 6 }, value });
  }
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: colors.text,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
    font: '12px system-ui, sans-serif',
    labelFont: '12px system-ui, sans-serif',
  });
  const yRange = input.yRange;
  const options: Omit<uPlot.Options, 'width' | 'height'> = {
    series,
    bands,
    legend: { show: true, live: true },
    cursor: { focus: { prox: 16 }, drag: { x: false, y: false } },
    focus: { alpha: 0.25 },
    scales: {
      x: { time: false, range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) },
      // Declared range as is; otherwise the data's range widened to nice numbers (uPlot's rangeNum).
      y: { range: yRange ? () => yRange : (_u, min, max) => uPlot.rangeNum(min, max, 0.1, true) as [number, number] },
    },
    axes: [
      { ...axis('Turn'), incrs: [1, 2, 5, 10, 20, 50, 100], values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
      { ...axis(input.label.split(' over ')[0]), values: (_u, ticks) => ticks.map((t) => formatNumber(t)), size: 56 },
    ],
  };
  return { options, data: data as uPlot.AlignedData, runAt: (seriesIndex: number) => runIndex.get(seriesIndex) };
}
