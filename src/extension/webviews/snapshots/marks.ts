/**
 * Marks the extremes of one row of a comparison. Costs and tokens are better low; for metrics
 * the data says nothing about direction (is more tension good?), so they are marked highest and
 * lowest instead of best and worst.
 */
import type { Mark } from '../../../protocol/messages';

export function markExtremes(values: ReadonlyArray<number | undefined>, direction: 'lowerIsBetter' | 'unknown'): Mark[] {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (present.length < 2) return values.map(() => undefined);
  const low = Math.min(...present);
  const high = Math.max(...present);
  if (low === high) return values.map(() => undefined);
  const [lowMark, highMark]: Mark[] = direction === 'lowerIsBetter' ? ['best', 'worst'] : ['lowest', 'highest'];
  return values.map((v) => (v === low ? lowMark : v === high ? highMark : undefined));
}
