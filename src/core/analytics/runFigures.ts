/**
 * A run's figures, defined once: which counts, costs and token totals a run has, in which order,
 * under which label and unit, and how its cost breaks down by phase, actor and model. Every
 * surface that shows them renders this list: the CLI `stats` / `compare` tables, the "Show Run
 * Statistics as Text" document, the panels' CSV export and the run-statistics and comparison
 * webview panels. Text goes through {@link formatFigure} (core/analytics/numberFormat); CSV and
 * `--json` keep the raw values. Pure (no `vscode`, no DOM): the webviews import it too.
 */
import { formatCost, formatCount } from './numberFormat';
import { NOT_ITEMISED_COST, type RunStatistics } from './types';

/** What a figure counts: US dollars, LLM tokens, rows of the index, or turns. */
export type FigureUnit = 'USD' | 'tokens' | 'count' | 'turns';

export type FigureKey = 'turns' | 'decisions' | 'communications' | 'metrics' | 'annotations' | 'totalCost' | 'inputTokens' | 'outputTokens' | 'totalTokens';

/** One figure of one run. `label` is lower case ("total cost"); panels capitalise it with {@link sentenceCase}. */
export interface RunFigure {
  key: FigureKey;
  label: string;
  value: number;
  unit: FigureUnit;
}

/**
 * The fields the figures are read from: a RunStatistics of the analytics API, or the panels'
 * RunFigures message (src/protocol/messages.ts), which carries the same fields under the same names.
 */
export type FigureSource = Pick<RunStatistics, 'turnCount' | 'decisionCount' | 'communicationCount' | 'metricCount' | 'annotationCount' | 'totalCost' | 'tokens'>;

const FIGURES: ReadonlyArray<{ key: FigureKey; label: string; unit: FigureUnit; of: (s: FigureSource) => number }> = [
  // Turn rows stored for the run (or its folder); decisions, communications, metric records and annotations are rows of the index.
  { key: 'turns', label: 'turns', unit: 'turns', of: (s) => s.turnCount },
  { key: 'decisions', label: 'decisions', unit: 'count', of: (s) => s.decisionCount },
  { key: 'communications', label: 'communications', unit: 'count', of: (s) => s.communicationCount },
  { key: 'metrics', label: 'metrics', unit: 'count', of: (s) => s.metricCount },
  { key: 'annotations', label: 'annotations', unit: 'count', of: (s) => s.annotationCount },
  // runs.total_cost: every LLM call, world updates included (docs/format.md#costs-file).
  { key: 'totalCost', label: 'total cost', unit: 'USD', of: (s) => s.totalCost },
  { key: 'inputTokens', label: 'input tokens', unit: 'tokens', of: (s) => s.tokens.input },
  { key: 'outputTokens', label: 'output tokens', unit: 'tokens', of: (s) => s.tokens.output },
  { key: 'totalTokens', label: 'total tokens', unit: 'tokens', of: (s) => s.tokens.total },
];

/** The run's figures in display order: counts, total cost (USD), then input / output / total tokens. */
export function runFigures(s: FigureSource): RunFigure[] {
  return FIGURES.map(({ key, label, unit, of }) => ({ key, label, unit, value: of(s) }));
}

/** A figure as text: USD through formatCost (`$0.0438`), the rest as counts with separators; missing reads "–". */
export function formatFigure(value: number | null | undefined, unit: FigureUnit): string {
  return unit === 'USD' ? formatCost(value) : formatCount(value);
}

/** "total cost" → "Total cost": the panels' labels. */
export function sentenceCase(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** One line of a cost breakdown: a phase, actor or model (or the not-itemised line) and its cost in USD. */
export interface NamedCost {
  name: string;
  total: number;
}

export type BreakdownKey = 'phase' | 'actor' | 'model';

/** The three breakdowns as the panels' message carries them: each already ends with the not-itemised line. */
export interface BreakdownSource {
  costByPhase: NamedCost[];
  costByActor: NamedCost[];
  costByModel: NamedCost[];
}

/** One breakdown of the run's total cost; its lines sum to the total cost. */
export interface CostBreakdown {
  key: BreakdownKey;
  /** "phase", "actor", "model": the name column's header. */
  label: string;
  lines: NamedCost[];
}

/**
 * The run's cost by phase, actor and model (USD), each followed by RunStatistics.notItemisedCost as
 * the {@link NOT_ITEMISED_COST} line when it is not 0 (world_update / qa_validation calls, which have
 * no row in Scenario Lab's costs table), so each breakdown sums to totalCost.
 */
export function namedBreakdowns(s: RunStatistics): BreakdownSource {
  const other = s.notItemisedCost !== 0 ? [{ name: NOT_ITEMISED_COST, total: s.notItemisedCost }] : [];
  return {
    costByPhase: [...s.costByPhase.map((c) => ({ name: c.phase, total: c.total })), ...other],
    costByActor: [...s.costByActor.map((c) => ({ name: c.actor, total: c.total })), ...other],
    costByModel: [...s.costByModel.map((c) => ({ name: c.model, total: c.total })), ...other],
  };
}

/** The breakdowns in display order (phase, actor, model). */
export function costBreakdowns(b: BreakdownSource): CostBreakdown[] {
  return [
    { key: 'phase', label: 'phase', lines: b.costByPhase },
    { key: 'actor', label: 'actor', lines: b.costByActor },
    { key: 'model', label: 'model', lines: b.costByModel },
  ];
}

/**
 * One row of the runs-side-by-side table. `key` is a FigureKey, or `phase:NAME` / `actor:NAME` /
 * `model:NAME` for a breakdown line (the keys of the comparison panel's figure marks). `values` has
 * one cell per run; undefined where the run has no cost record under that name (shown "–", not $0).
 */
export interface FigureRow {
  key: string;
  label: string;
  unit: FigureUnit;
  values: Array<number | undefined>;
}

/**
 * Several runs' figures side by side (the comparison panel, the panels' CSV, CLI `compare`): the
 * counts and total cost, then every breakdown line any run has ("cost by phase: decision"; the
 * not-itemised line last), then the tokens.
 */
export function figureTable(runs: ReadonlyArray<FigureSource & BreakdownSource>): FigureRow[] {
  const rows = (keys: readonly FigureKey[]): FigureRow[] =>
    FIGURES.filter((f) => keys.includes(f.key)).map(({ key, label, unit, of }) => ({ key, label, unit, values: runs.map(of) }));
  const breakdownRows = (['phase', 'actor', 'model'] as const).flatMap((group) => {
    const of = (r: BreakdownSource) => costBreakdowns(r).find((b) => b.key === group)!.lines;
    const names = [...new Set(runs.flatMap((r) => of(r).map((c) => c.name)))];
    // The not-itemised line closes each breakdown, as it does for one run, even when the first run lacks it.
    const ordered = [...names.filter((n) => n !== NOT_ITEMISED_COST), ...names.filter((n) => n === NOT_ITEMISED_COST)];
    return ordered.map((name): FigureRow => ({
      key: `${group}:${name}`,
      label: `cost by ${group}: ${name}`,
      unit: 'USD',
      values: runs.map((r) => of(r).find((c) => c.name === name)?.total),
    }));
  });
  return [
    ...rows(['turns', 'decisions', 'communications', 'metrics', 'annotations', 'totalCost']),
    ...breakdownRows,
    ...rows(['inputTokens', 'outputTokens', 'totalTokens']),
  ];
}
