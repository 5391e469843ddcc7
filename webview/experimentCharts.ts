/**
 * The Experiment panel's two charts, drawn as SVG: the runs' final values per variation (a strip
 * plot with each variation's mean and its 95 % confidence interval) and the metric over turns per
 * variation (median line with the inter-quartile band). The panel describes what to draw and gets
 * an element back; it never builds chart markup itself.
 *
 * Why SVG here and not uPlot (which draws the metric chart): these charts have a few dozen marks,
 * not thousands; every run point must be a focusable, clickable element with an accessible name (a
 * canvas has no per-point focus); and the issue asks for SVG export, which a canvas cannot give.
 * Colours come from chartColors.ts (≥ 3:1 against the theme background, unit-tested); every
 * distinction that colour makes is also made by a shape or a dash pattern, and each chart comes
 * with its numbers as a table in the panel.
 */
import type { DistributionPoint, ExperimentRunPoint, SampleSummary } from '../src/protocol/messages';
import { CHART_COLORS, themeKindOf, type ChartColors } from './chartColors';
import { formatNumber, svg } from './dom';
import { ellipsize } from '../src/core/text/shortText';

/** One variation as the charts draw it. */
export interface ChartVariation {
  variationId: number;
  label: string;
  final: SampleSummary;
  runs: readonly ExperimentRunPoint[];
  evolution: readonly DistributionPoint[];
}

const WIDTH = 760;
const PLOT_HEIGHT = 280;
const MARGIN = { left: 64, right: 20, top: 14, bottom: 52 };
const FONT = 'system-ui, -apple-system, Segoe UI, sans-serif';
/** Line patterns per variation, so lines differ by more than colour. */
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 2'];

/** The colour of variation number `index` (0-based, in display order) in the current theme. */
export function variationColor(index: number): string {
  const colors = CHART_COLORS[themeKindOf(document.body)];
  return colors.lines[index % colors.lines.length];
}

/** A line sample of a variation's colour and dash pattern, for legends and table headers. */
export function variationSwatch(index: number): SVGSVGElement {
  return svg(
    'svg',
    { className: 'variation-swatch', attrs: { width: 28, height: 10, viewBox: '0 0 28 10', 'aria-hidden': 'true' } },
    svg('line', { attrs: { x1: 1, y1: 5, x2: 27, y2: 5, stroke: variationColor(index), 'stroke-width': 3, 'stroke-dasharray': DASHES[index % DASHES.length] || undefined } }),
  );
}

/**
 * Final values per variation: each run a point (filled: counted in the statistics; hollow: a run
 * left out, e.g. a failed one), beside them the mean (diamond) with its 95 % CI whiskers.
 * `onActivate` is called when a point is clicked or activated with Enter/Space.
 */
export function finalValuesPlot(metric: string, variations: readonly ChartVariation[], onActivate: (run: ExperimentRunPoint) => void): SVGSVGElement {
  const colors = CHART_COLORS[themeKindOf(document.body)];
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom;
  const chart = frame(`Final value of ${metric} per variation: each run's value, the mean and its 95 % confidence interval`, height, 'final-values');
  const values = variations.flatMap((v) => [...v.runs.map((r) => r.value), v.final.ci95Low, v.final.ci95High].filter((x): x is number => x !== null && Number.isFinite(x)));
  if (values.length === 0) return empty(chart, colors, 'No run of this experiment recorded this metric.');
  const y = scale(values, [MARGIN.top + PLOT_HEIGHT, MARGIN.top]);
  yAxis(chart, y, colors, metric);
  const band = (WIDTH - MARGIN.left - MARGIN.right) / variations.length;
  variations.forEach((v, i) => {
    const color = colors.lines[i % colors.lines.length];
    const center = MARGIN.left + band * (i + 0.5);
    const stripX = center - Math.min(40, band * 0.18);
    const spread = Math.min(44, band * 0.28);
    v.runs.forEach((run, j) => {
      // A low-discrepancy offset (golden ratio), so runs with equal values sit side by side, stably.
      const x = stripX + (((j * 0.618034) % 1) - 0.5) * spread;
      const state = run.inStatistics ? 'counted in the statistics' : 'not counted in the statistics';
      const label = `Variation ${v.variationId}, ${run.name}: ${formatNumber(run.value)} at turn ${run.turn} (${run.batchStatus ?? 'status not recorded'}, ${state}). Opens its world state.`;
      const point = svg(
        'circle',
        {
          className: 'run-point',
          attrs: {
            cx: x.toFixed(1), cy: y(run.value).toFixed(1), r: 5, tabindex: 0, role: 'button', 'aria-label': label, 'data-run': run.name, 'data-variation': v.variationId,
            fill: run.inStatistics ? color : 'none', 'fill-opacity': run.inStatistics ? 0.85 : undefined, stroke: color, 'stroke-width': 1.5,
          },
          on: {
            click: () => onActivate(run),
            keydown: (event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onActivate(run);
              }
            },
          },
        },
        svg('title', {}, label),
      );
      chart.append(point);
    });
    const f = v.final;
    if (f.mean !== null && f.ci95Low !== null && f.ci95High !== null) {
      const x = center + Math.min(36, band * 0.2);
      const [low, high, mean] = [y(f.ci95Low), y(f.ci95High), y(f.mean)];
      const ci = `Variation ${v.variationId}: mean ${formatNumber(f.mean)}, 95 % CI ${formatNumber(f.ci95Low)} to ${formatNumber(f.ci95High)} (n = ${f.n})`;
      chart.append(
        svg(
          'g',
          { className: 'mean-ci', attrs: { 'data-variation': v.variationId } },
          svg('title', {}, ci),
          svg('line', { attrs: { x1: x, x2: x, y1: low.toFixed(1), y2: high.toFixed(1), stroke: color, 'stroke-width': 2 } }),
          svg('line', { attrs: { x1: x - 7, x2: x + 7, y1: low.toFixed(1), y2: low.toFixed(1), stroke: color, 'stroke-width': 2 } }),
          svg('line', { attrs: { x1: x - 7, x2: x + 7, y1: high.toFixed(1), y2: high.toFixed(1), stroke: color, 'stroke-width': 2 } }),
          svg('path', { attrs: { d: `M${x} ${(mean - 7).toFixed(1)} l7 7 l-7 7 l-7 -7 z`, fill: color, stroke: colors.text, 'stroke-width': 1 } }),
        ),
      );
    }
    chart.append(
      text(center, MARGIN.top + PLOT_HEIGHT + 18, `Variation ${v.variationId}`, colors, { anchor: 'middle', weight: '600' }),
      text(center, MARGIN.top + PLOT_HEIGHT + 34, ellipsize(v.label, Math.max(8, Math.floor(band / 7))), colors, { anchor: 'middle' }),
    );
  });
  return chart;
}

/** The metric over turns per variation: the median over its runs as a line, the 25th–75th percentile as a band. */
export function evolutionPlot(metric: string, variations: readonly ChartVariation[]): SVGSVGElement {
  const colors = CHART_COLORS[themeKindOf(document.body)];
  const legendHeight = 22 * variations.length;
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom + legendHeight;
  const chart = frame(`${metric} over turns per variation: median of the runs, with the inter-quartile range as a band`, height, 'evolution');
  const points = variations.flatMap((v) => v.evolution);
  if (points.length === 0) return empty(chart, colors, 'No run of this experiment recorded this metric.');
  const turns = points.map((p) => p.turn);
  const [first, last] = [Math.min(...turns), Math.max(...turns)];
  const x = (turn: number) => (first === last ? (MARGIN.left + WIDTH - MARGIN.right) / 2 : MARGIN.left + ((turn - first) / (last - first)) * (WIDTH - MARGIN.left - MARGIN.right));
  const y = scale(points.flatMap((p) => [p.p25, p.p75, p.median]), [MARGIN.top + PLOT_HEIGHT, MARGIN.top]);
  yAxis(chart, y, colors, metric);
  const step = Math.max(1, Math.ceil((last - first + 1) / 12));
  for (let t = first; t <= last; t += step) chart.append(text(x(t), MARGIN.top + PLOT_HEIGHT + 18, String(t), colors, { anchor: 'middle' }));
  chart.append(text((MARGIN.left + WIDTH - MARGIN.right) / 2, MARGIN.top + PLOT_HEIGHT + 38, 'Turn', colors, { anchor: 'middle' }));
  variations.forEach((v, i) => {
    const color = colors.lines[i % colors.lines.length];
    const d = v.evolution;
    if (d.length === 0) return;
    const upper = d.map((p) => `${x(p.turn).toFixed(1)},${y(p.p75).toFixed(1)}`);
    const lower = [...d].reverse().map((p) => `${x(p.turn).toFixed(1)},${y(p.p25).toFixed(1)}`);
    chart.append(
      svg(
        'g',
        { className: 'variation-evolution', attrs: { 'data-variation': v.variationId } },
        svg('polygon', { attrs: { points: [...upper, ...lower].join(' '), fill: color, 'fill-opacity': 0.16, stroke: 'none' } }),
        svg('polyline', { attrs: { points: d.map((p) => `${x(p.turn).toFixed(1)},${y(p.median).toFixed(1)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2.5, 'stroke-dasharray': DASHES[i % DASHES.length] || undefined } }),
        ...d.map((p) =>
          svg(
            'circle',
            { attrs: { cx: x(p.turn).toFixed(1), cy: y(p.median).toFixed(1), r: 3, fill: color } },
            svg('title', {}, `Variation ${v.variationId}, turn ${p.turn}: median ${formatNumber(p.median)}, 25th–75th percentile ${formatNumber(p.p25)}–${formatNumber(p.p75)} (${p.runs} runs)`),
          ),
        ),
      ),
    );
    const ly = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom + 22 * i + 8;
    chart.append(
      svg('rect', { attrs: { x: MARGIN.left, y: ly - 7, width: 30, height: 14, fill: color, 'fill-opacity': 0.16 } }),
      svg('line', { attrs: { x1: MARGIN.left, x2: MARGIN.left + 30, y1: ly, y2: ly, stroke: color, 'stroke-width': 2.5, 'stroke-dasharray': DASHES[i % DASHES.length] || undefined } }),
      text(MARGIN.left + 38, ly + 4, `Variation ${v.variationId}: ${ellipsize(v.label, 70)} — median line, 25th–75th percentile band`, colors, {}),
    );
  });
  return chart;
}

// ------------------------------------------------------------------------------------ pieces

function frame(label: string, height: number, name: string): SVGSVGElement {
  return svg('svg', {
    className: 'experiment-chart',
    attrs: { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'group', 'aria-label': label, 'data-chart': name, 'font-family': FONT, 'font-size': 12 },
  });
}

function empty(chart: SVGSVGElement, colors: ChartColors, message: string): SVGSVGElement {
  chart.append(text(WIDTH / 2, MARGIN.top + PLOT_HEIGHT / 2, message, colors, { anchor: 'middle' }));
  return chart;
}

function text(x: number, y: number, content: string, colors: ChartColors, options: { anchor?: string; weight?: string; rotate?: boolean }): SVGTextElement {
  return svg(
    'text',
    { attrs: { x: x.toFixed(1), y: y.toFixed(1), fill: colors.text, 'text-anchor': options.anchor, 'font-weight': options.weight, transform: options.rotate ? `rotate(-90 ${x.toFixed(1)} ${y.toFixed(1)})` : undefined } },
    content,
  );
}

interface Scale {
  (value: number): number;
  ticks: number[];
}

/** A linear scale over the values, widened to "nice" ticks (1, 2, 5 × 10ⁿ), onto [bottom, top] pixels. */
function scale(values: readonly number[], [bottom, top]: [number, number]): Scale {
  let [min, max] = [Math.min(...values), Math.max(...values)];
  if (min === max) [min, max] = [min - 1, max + 1];
  const rough = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const [lo, hi] = [Math.floor(min / step) * step, Math.ceil(max / step) * step];
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  const s = ((value: number) => bottom - ((value - lo) / (hi - lo)) * (bottom - top)) as Scale;
  s.ticks = ticks;
  return s;
}

function yAxis(chart: SVGSVGElement, y: Scale, colors: ChartColors, label: string): void {
  for (const t of y.ticks) {
    chart.append(
      svg('line', { attrs: { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(t).toFixed(1), y2: y(t).toFixed(1), stroke: colors.grid, 'stroke-width': 1 } }),
      text(MARGIN.left - 8, y(t) + 4, formatNumber(t), colors, { anchor: 'end' }),
    );
  }
  chart.append(text(16, MARGIN.top + PLOT_HEIGHT / 2, ellipsize(label, 40), colors, { anchor: 'middle', rotate: true }));
}
