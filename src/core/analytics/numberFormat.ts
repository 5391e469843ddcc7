/**
 * The one number formatter of the product: trees, quick picks, hovers, panels, CLI tables and
 * exports' human-readable text all show figures through these functions, so a cost reads the same
 * everywhere. Pure (no `vscode`, no DOM): the extension, the webviews and the CLI all import it.
 * Machine-readable outputs (CLI `--json`, CSV) keep full precision and never go through here.
 */

/** Shown for a missing value (null, undefined, NaN). */
export const NO_VALUE = '–';

/** Decimals of every cost in US dollars: Scenario Lab's per-call costs are fractions of a cent. */
export const COST_DECIMALS = 4;

const grouped = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('en-US', options);
const COUNT = grouped({ maximumFractionDigits: 0 });
const COST = grouped({ minimumFractionDigits: COST_DECIMALS, maximumFractionDigits: COST_DECIMALS });
const VALUE = grouped({ maximumFractionDigits: 3 });
const SMALL_VALUE = grouped({ maximumSignificantDigits: 3 });

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value);
}

/** Infinities are real values in the index (a metric can record one): shown as JavaScript and SQLite print them. */
function infinite(value: number): string | undefined {
  return value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : undefined;
}

/** A count (runs, turns, tokens, records) with thousands separators: `12,345`. */
export function formatCount(value: number | null | undefined): string {
  return missing(value) ? NO_VALUE : (infinite(value) ?? COUNT.format(value));
}

/** A cost in US dollars, always with {@link COST_DECIMALS} decimals and thousands separators: `$1,234.0438`. */
export function formatCost(dollars: number | null | undefined): string {
  if (missing(dollars)) return NO_VALUE;
  if (infinite(dollars)) return infinite(dollars)!;
  // -0.00001 would otherwise print as "$-0.0000".
  const text = COST.format(Math.abs(dollars) < 0.5 * 10 ** -COST_DECIMALS ? 0 : dollars);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/**
 * A measured value (metric values, averages, quantiles): integers as they are, others with at most
 * 3 decimals and never a trailing dot or zeros (`6`, `6.5`, `6.125`); values below 0.001 keep 3
 * significant digits so they do not collapse to 0. Thousands separators throughout.
 */
export function formatNumber(value: number | null | undefined): string {
  if (missing(value)) return NO_VALUE;
  if (infinite(value)) return infinite(value)!;
  if (value !== 0 && Math.abs(value) < 0.001) return SMALL_VALUE.format(value);
  return VALUE.format(value);
}

/**
 * A signed change (`+0.5`, `-1.25`, `±0`) for deltas between turns or runs. The minus is the ASCII
 * hyphen-minus, as in every negative number and cost the formatter prints: one sign everywhere.
 */
export function formatDelta(delta: number | null | undefined): string {
  if (missing(delta)) return NO_VALUE;
  if (infinite(delta)) return infinite(delta)!;
  if (delta === 0) return '±0';
  return delta > 0 ? `+${formatNumber(delta)}` : `-${formatNumber(-delta)}`;
}

/** "1 turn", "2 turns", "1,000 runs". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
