/**
 * The metric extraction rules of Scenario Lab's metrics tracker, applied by the generator to its
 * own text so that every value in metrics.json is exactly what the pattern finds in the markdown.
 */
import type { MetricSpec } from './catalog';

export interface PatternMatch {
  /** The captured text of the last match (first non-empty group). */
  raw: string;
  matchCount: number;
}

/** Pattern rule: case-insensitive, last match wins, first non-empty capture group. */
export function matchPattern(text: string, pattern: string): PatternMatch | undefined {
  const re = compiled(pattern);
  re.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  let matchCount = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    last = m;
    matchCount++;
    if (m[0] === '') re.lastIndex++; // an empty match would loop forever
  }
  if (last === null) return undefined;
  const raw = last.slice(1).find((g) => g !== undefined && g !== '') ?? last[0];
  return { raw, matchCount };
}

// Patterns come from a handful of metric definitions but are applied millions of times.
const regexCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'gi');
    regexCache.set(pattern, re);
  }
  return re;
}

/** Keywords found in the text (case-insensitive substring test), in definition order. */
export function matchKeywords(text: string, keywords: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return keywords.filter((k) => lower.includes(k.toLowerCase()));
}

/** Python `float()` of an extracted string; categorical values become their category index. */
export function metricValue(metric: MetricSpec, raw: string): number {
  if (metric.type === 'categorical') return (metric.categories ?? []).indexOf(raw);
  return Number(raw);
}
