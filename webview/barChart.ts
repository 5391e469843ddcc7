/**
 * Horizontal SVG bars for cost breakdowns (a handful of bars: themed by CSS classes,
 * labels as text nodes). Panels always show the same numbers in a table beside it.
 */
import { ellipsize } from '../src/core/text/shortText';
import { svg } from './dom';

export interface Bar {
  label: string;
  value: number;
  /** What is printed at the end of the bar. */
  valueText: string;
}

const WIDTH = 560;
const ROW = 24;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 90;

export function barChart(label: string, bars: Bar[]): SVGSVGElement {
  const height = Math.max(1, bars.length) * ROW + 8;
  const chart = svg('svg', { className: 'bar-chart', attrs: { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': label, xmlns: 'http://www.w3.org/2000/svg' } });
  const max = Math.max(0, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  bars.forEach((bar, i) => {
    const y = 4 + i * ROW;
    const width = max > 0 ? Math.max(1, (bar.value / max) * span) : 1;
    chart.append(
      svg('text', { className: 'tick', attrs: { x: LABEL_WIDTH - 8, y: y + 15, 'text-anchor': 'end' } }, ellipsize(bar.label, 28)),
      svg('rect', { className: `bar series-${i % 8}`, attrs: { x: LABEL_WIDTH, y: y + 3, width: width.toFixed(1), height: ROW - 8, rx: 2 } }, svg('title', {}, `${bar.label}: ${bar.valueText}`)),
      svg('text', { className: 'tick', attrs: { x: LABEL_WIDTH + width + 6, y: y + 15 } }, bar.valueText),
    );
  });
  return chart;
}
