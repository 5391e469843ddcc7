/** A unicode sparkline of a series: one block per value, scaled between the series' min and max. */
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: ReadonlyArray<number | null>): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return '';
  const min = Math.min(...present);
  const span = Math.max(...present) - min;
  return values
    .map((v) => (v === null || !Number.isFinite(v) ? ' ' : BLOCKS[span === 0 ? 3 : Math.round(((v - min) / span) * (BLOCKS.length - 1))]))
    .join('');
}
