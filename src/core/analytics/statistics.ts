/**
 * Sample statistics for comparing batch variations: summary with a Student's t confidence
 * interval, and Welch's unequal-variance t-test. The t distribution comes from stdlib
 * (`@stdlib/stats-base-dists-t-*`, double-precision ports of Boost/Cephes), not from
 * hand-written numerics. Every statistic that is undefined for the sample is null.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { SampleSummary } from '../../protocol/messages';

// The shape is the panels' protocol type (a file without imports, shared by host and webview).
export type { SampleSummary };

export interface WelchTest {
  /** mean(a) − mean(b); null when either sample is empty. */
  meanDifference: number | null;
  /** (mean(a) − mean(b)) / √(sd(a)²/n(a) + sd(b)²/n(b)); null when either n < 2 or both sd are 0. */
  welchT: number | null;
  /** Welch–Satterthwaite degrees of freedom, null with welchT. */
  df: number | null;
  /** Two-sided p-value of welchT with df degrees of freedom, null with welchT. */
  pValue: number | null;
}

export function summarize(values: readonly number[]): SampleSummary {
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, min: null, max: null, ci95Low: null, ci95High: null };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (n < 2) return { n, mean, sd: null, min, max, ci95Low: mean, ci95High: mean };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, min, max, ci95Low: mean - half, ci95High: mean + half };
}

/** Welch's t-test of sample a against sample b (the baseline), from their summaries. */
export function welch(a: SampleSummary, b: SampleSummary): WelchTest {
  const meanDifference = a.mean !== null && b.mean !== null ? a.mean - b.mean : null;
  if (meanDifference === null || a.sd === null || b.sd === null || (a.sd === 0 && b.sd === 0)) {
    return { meanDifference, welchT: null, df: null, pValue: null };
  }
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const welchT = meanDifference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(welchT), df));
  return { meanDifference, welchT, df, pValue };
}
