/**
 * A small SVG line chart written for these panels instead of a chart library: SVG elements take
 * their colours from `--vscode-*` variables through CSS classes (so a theme switch recolours
 * them), carry accessible names, and can be exported as they are. What it draws: one line per run
 * over turns, optionally the cross-run min–max band and the mean per turn.
 *
 * Keyboard: Tab reaches one point; ←/→ move along a run's turns, ↑/↓ move between runs,
 * Enter or Space activates the point (opens that run's world state), Escape hides the tooltip.
 */
import type { BandPoint, RunSeries } from '../src/protocol/messages';
import { formatNumber, svg } from './dom';

export interface LineChartInput {
  /** Accessible name of the whole chart. */
  label: string;
  series: RunSeries[];
  band?: BandPoint[];
  onActivate?: (runId: string, turn: number) => void;
}

const WIDTH = 760;
const HEIGHT = 340;
const MARGIN = { top: 16, right: 20, bottom: 40, left: 56 };
/** CSS classes .series-0 … .series-7 hold the colours (media/panels.css). */
export const SERIES_CLASSES = 8;

export function lineChart(input: LineChartInput): SVGSVGElement {
  const turns = [...input.series.flatMap((s) => s.points.map((p) => p.turn)), ...(input.band ?? []).map((b) => b.turn)];
  const values = [...input.series.flatMap((s) => s.points.map((p) => p.value)), ...(input.band ?? []).flatMap((b) => [b.min, b.max])];
  const chart = svg('svg', {
    className: 'line-chart',
    attrs: { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group', 'aria-label': input.label, xmlns: 'http://www.w3.org/2000/svg' },
  });
  if (turns.length === 0) {
    chart.append(svg('text', { className: 'axis-label', attrs: { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' } }, 'No values to draw'));
    return chart;
  }
  const x = scale(Math.min(...turns), Math.max(...turns), MARGIN.left, WIDTH - MARGIN.right);
  const [low, high] = paddedRange(Math.min(...values), Math.max(...values));
  const y = scale(low, high, HEIGHT - MARGIN.bottom, MARGIN.top);

  chart.append(axes(x, y, Math.min(...turns), Math.max(...turns), low, high));
  if (input.band && input.band.length > 0) chart.append(band(input.band, x, y));

  const points: SVGCircleElement[][] = input.series.map((series, i) => {
    const cls = `series-${i % SERIES_CLASSES}`;
    const path = series.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.turn).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    chart.append(svg('path', { className: `series-line ${cls}`, attrs: { d: path, 'data-run': series.runId, 'aria-hidden': 'true' } }));
    return series.points.map((p) => {
      const text = `${series.label}, turn ${p.turn}: ${formatNumber(p.value)}${p.count > 1 ? ` (mean of ${p.count})` : ''}`;
      const circle = svg('circle', {
        className: `point ${cls}`,
        attrs: { cx: x(p.turn).toFixed(1), cy: y(p.value).toFixed(1), r: 4.5, tabindex: -1, role: 'button', 'aria-label': `${text}. Enter opens the world state.`, 'data-run': series.runId, 'data-turn': p.turn },
      });
      return circle;
    });
  });
  const tooltip = createTooltip();
  for (const row of points) row.forEach((c) => chart.append(c));
  chart.append(tooltip.group);
  wireInteraction(chart, points, input, tooltip);
  return chart;
}

function axes(x: Scale, y: Scale, firstTurn: number, lastTurn: number, low: number, high: number): SVGGElement {
  const group = svg('g', { className: 'axes', attrs: { 'aria-hidden': 'true' } });
  const bottom = HEIGHT - MARGIN.bottom;
  group.append(svg('line', { className: 'axis', attrs: { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom } }));
  group.append(svg('line', { className: 'axis', attrs: { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom } }));
  const step = Math.max(1, Math.ceil((lastTurn - firstTurn + 1) / 12));
  for (let turn = firstTurn; turn <= lastTurn; turn += step) {
    group.append(svg('text', { className: 'tick', attrs: { x: x(turn), y: bottom + 16, 'text-anchor': 'middle' } }, turn));
  }
  group.append(svg('text', { className: 'axis-label', attrs: { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle' } }, 'turn'));
  for (let i = 0; i <= 4; i++) {
    const value = low + ((high - low) * i) / 4;
    group.append(svg('line', { className: 'grid', attrs: { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value) } }));
    group.append(svg('text', { className: 'tick', attrs: { x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end' } }, formatNumber(value)));
  }
  return group;
}

function band(points: BandPoint[], x: Scale, y: Scale): SVGGElement {
  const upper = points.map((p) => `${x(p.turn).toFixed(1)},${y(p.max).toFixed(1)}`);
  const lower = points.map((p) => `${x(p.turn).toFixed(1)},${y(p.min).toFixed(1)}`).reverse();
  const mean = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.turn).toFixed(1)},${y(p.mean).toFixed(1)}`).join(' ');
  return svg(
    'g',
    { attrs: { 'aria-hidden': 'true' } },
    svg('polygon', { className: 'band', attrs: { points: [...upper, ...lower].join(' ') } }),
    svg('path', { className: 'mean-line', attrs: { d: mean } }),
  );
}

interface Tooltip {
  group: SVGGElement;
  show(circle: SVGCircleElement, text: string): void;
  hide(): void;
}

/** Drawn inside the SVG (positioned by attributes), so it needs no inline styles. */
function createTooltip(): Tooltip {
  const box = svg('rect', { className: 'tooltip-box', attrs: { rx: 3, height: 22 } });
  const label = svg('text', { className: 'tooltip-text', attrs: { y: 15, x: 8 } });
  const group = svg('g', { className: 'tooltip', attrs: { visibility: 'hidden', 'aria-hidden': 'true' } }, box, label);
  return {
    group,
    show(circle, text) {
      label.textContent = text;
      const width = text.length * 6.6 + 16;
      const cx = Number(circle.getAttribute('cx'));
      const cy = Number(circle.getAttribute('cy'));
      const left = Math.min(Math.max(cx - width / 2, 0), WIDTH - width);
      const top = cy - 34 < 0 ? cy + 10 : cy - 34;
      box.setAttribute('width', width.toFixed(0));
      group.setAttribute('transform', `translate(${left.toFixed(1)},${top.toFixed(1)})`);
      group.setAttribute('visibility', 'visible');
    },
    hide: () => group.setAttribute('visibility', 'hidden'),
  };
}

function wireInteraction(chart: SVGSVGElement, points: SVGCircleElement[][], input: LineChartInput, tooltip: Tooltip): void {
  const first = points.find((row) => row.length > 0)?.[0];
  first?.setAttribute('tabindex', '0');
  const tooltipText = (c: SVGCircleElement) => (c.getAttribute('aria-label') ?? '').replace(/\. Enter opens.*$/, '');
  const activate = (c: SVGCircleElement) => input.onActivate?.(c.getAttribute('data-run')!, Number(c.getAttribute('data-turn')));
  const focusPoint = (from: SVGCircleElement, to: SVGCircleElement | undefined) => {
    if (!to) return;
    from.setAttribute('tabindex', '-1');
    to.setAttribute('tabindex', '0');
    to.focus();
  };
  points.forEach((row, r) =>
    row.forEach((circle, k) => {
      circle.addEventListener('mouseenter', () => tooltip.show(circle, tooltipText(circle)));
      circle.addEventListener('mouseleave', () => tooltip.hide());
      circle.addEventListener('focus', () => tooltip.show(circle, tooltipText(circle)));
      circle.addEventListener('blur', () => tooltip.hide());
      circle.addEventListener('click', () => activate(circle));
      circle.addEventListener('keydown', (event) => {
        const turn = Number(circle.getAttribute('data-turn'));
        // The point of another run at the same turn, or its last one.
        const nearest = (other: SVGCircleElement[] | undefined) => other && (other.find((c) => Number(c.getAttribute('data-turn')) >= turn) ?? other[other.length - 1]);
        const handled: Record<string, () => void> = {
          ArrowRight: () => focusPoint(circle, row[k + 1]),
          ArrowLeft: () => focusPoint(circle, row[k - 1]),
          ArrowDown: () => focusPoint(circle, nearest(points.slice(r + 1).find((o) => o.length > 0))),
          ArrowUp: () => focusPoint(circle, nearest(points.slice(0, r).reverse().find((o) => o.length > 0))),
          Enter: () => activate(circle),
          ' ': () => activate(circle),
          Escape: () => tooltip.hide(),
        };
        const action = handled[event.key];
        if (action) {
          event.preventDefault();
          action();
        }
      });
    }),
  );
  chart.addEventListener('mouseleave', () => tooltip.hide());
}

type Scale = (value: number) => number;

function scale(domainLow: number, domainHigh: number, rangeLow: number, rangeHigh: number): Scale {
  if (domainHigh === domainLow) return () => (rangeLow + rangeHigh) / 2;
  return (value) => rangeLow + ((value - domainLow) / (domainHigh - domainLow)) * (rangeHigh - rangeLow);
}

/** Some room above and below the data, so points never sit on the frame. */
function paddedRange(low: number, high: number): [number, number] {
  const pad = high === low ? Math.max(1, Math.abs(high) * 0.1) : (high - low) * 0.08;
  return [low - pad, high + pad];
}
