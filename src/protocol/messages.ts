/**
 * The one contract between the extension host and the Scenario Lab panels (bundled into both).
 *
 * - The webview posts `ready` once its script runs; the host posts nothing before that, so no
 *   first message is lost (and a re-shown webview, rebuilt from scratch, simply says `ready` again).
 * - The host answers with a complete `snapshot` of the panel, never a delta: a hidden webview may
 *   miss messages, and the latest snapshot alone must be enough to draw it.
 * - Anything the webview asks for carries a `requestId`; the host answers with a `response` with
 *   the same id.
 * - Strings inside snapshots come from run files (LLM output): the webview inserts them as text only.
 *
 * No imports: this file is compiled for Node and for the browser.
 */

// ------------------------------------------------------------------------------ selections
// What a panel shows. The webview keeps only this in its state, so a reload restores the panel
// by asking the host for fresh data for the same selection.

export interface MetricChartSelection {
  panel: 'metricChart';
  metric: string;
  /** Undefined: every scenario that has the metric. */
  scenario?: string;
  /** Undefined: every run (of the scenario). */
  runIds?: string[];
  actor?: string;
  /** A line per run, or the runs' distribution per turn; undefined: lines up to {@link RUN_LINES_LIMIT} runs, the distribution beyond. */
  view?: 'runs' | 'distribution';
  /** Runs drawn as lines over the distribution (found by the panel's run search). */
  highlight?: string[];
}

/** Up to this many runs the metric chart draws a line per run by default; beyond, the distribution. */
export const RUN_LINES_LIMIT = 12;

export interface ComparisonSelection {
  panel: 'comparison';
  runIds: string[];
  /** Metric of the overlay chart; undefined: the first metric the runs share. */
  metric?: string;
  /** Turn whose actions are shown side by side; undefined: the first turn. */
  turn?: number;
}

export interface RunStatisticsSelection {
  panel: 'runStatistics';
  runId: string;
  /** One of the folders carrying runId (several can); the first in path order when absent. */
  folder?: string;
}

/** The results grid of one read-only SQL query (Run SQL Query…). */
export interface SqlResultSelection {
  panel: 'sqlResult';
  /** The statement as the user typed it; run again only when the panel is restored after a reload. */
  query: string;
}

export interface ExperimentSelection {
  panel: 'experiment';
  /** The experiment's folder key, e.g. `experiments/accord-sweep`. */
  experiment: string;
  /** Metric shown; undefined: the first metric the experiment's runs recorded. */
  metric?: string;
  /** Statistics over every run of a variation, failed ones too (`variations --include-failed`). */
  includeFailed?: boolean;
}

/** One actor's decisions across an experiment's variations, a scenario's runs or the index's scenarios. */
export interface ActorStrategySelection {
  panel: 'actorStrategy';
  actor: string;
  /** Experiment (name or folder) or scenario; undefined: the whole index. */
  target?: string;
  /** Turn of the side-by-side actions; undefined: the actor's first turn. */
  turn?: number;
  /** Experiments: every indexed run, not only the completed ones. */
  includeFailed?: boolean;
}

export type PanelSelection = ActorStrategySelection | MetricChartSelection | ComparisonSelection | RunStatisticsSelection | SqlResultSelection | ExperimentSelection;
export type PanelKind = PanelSelection['panel'];

// ------------------------------------------------------------------------------ snapshot parts

/** A source location the webview may ask the host to open; the host only accepts tokens it sent. */
export interface SourceLink {
  token: string;
  /** Shown to the user, e.g. "china-002.md:14". */
  label: string;
}

export interface SeriesPoint {
  turn: number;
  value: number;
  /** Records averaged into this point. */
  count: number;
}

export interface RunSeries {
  runId: string;
  /** Short label for legends (run id, or the folder for unnamed runs). */
  label: string;
  points: SeriesPoint[];
}

/** The distribution of a metric over the runs at one turn (computed by core/analytics/metricDistribution). */
export interface DistributionPoint {
  turn: number;
  /** Runs with a value at this turn. */
  runs: number;
  mean: number;
  p05: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
}

/** A run the metric chart can find by its id, folder or status. */
export interface RunChoice {
  runId: string;
  /** The run's name everywhere else (runLabel): its folder, "var-001-run-001 (+1 folder)" for a run id several folders carry. */
  label: string;
  /** Workspace-relative folder path(s), comma-separated, e.g. experiments/x/runs/var-001-run-003. */
  folder: string;
  status: string;
}

export interface MetricTableRow {
  runId: string;
  turn: number;
  actor: string | null;
  value: number;
  timestamp: string;
  source?: SourceLink;
}

export interface TablePage<Row> {
  offset: number;
  limit: number;
  total: number;
  rows: Row[];
}

export interface Aggregate {
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface NamedTotal {
  name: string;
  total: number;
}

/**
 * A run's figures for the run-statistics and comparison panels. The panels render them through
 * core/analytics/runFigures (runFigures, costBreakdowns, figureTable), the list the CLI, the markdown
 * document and the CSV export render too. Costs in USD; each breakdown ends with the not-itemised line.
 */
export interface RunFigures {
  runId: string;
  /** The run id, and the folder when several folders carry it (their figures are shown per folder). */
  label: string;
  /** The run folder the figures are of, when known. */
  folder: string | null;
  scenarioName: string;
  status: string;
  turnCount: number;
  decisionCount: number;
  communicationCount: number;
  metricCount: number;
  /** Reviewer annotations on the run's files. */
  annotationCount: number;
  totalCost: number;
  costByPhase: NamedTotal[];
  costByActor: NamedTotal[];
  costByModel: NamedTotal[];
  tokens: { input: number; output: number; total: number };
}

/** Which of several values stands out: marked in the comparison table. */
export type Mark = 'best' | 'worst' | 'highest' | 'lowest' | undefined;

export interface MetricComparisonRow {
  metric: string;
  /** One cell per compared run, in the order of the snapshot's runs; undefined where the run lacks the metric. */
  final: Array<{ value: number; turn: number; mark: Mark } | undefined>;
  mean: Array<{ value: number; mark: Mark } | undefined>;
}

export interface ActorActions {
  actor: string;
  /** One cell per compared run. */
  perRun: Array<{ action: string; source?: SourceLink } | undefined>;
}

/** A run of a variation with its final value of the panel's metric (a point of the strip plot). */
export interface ExperimentRunPoint {
  /** Folder name, e.g. `var-001-run-003`. */
  name: string;
  /** `success`, `failed`, `budget_exceeded`, `cost_limit_exceeded`, or null when not recorded yet. */
  batchStatus: string | null;
  /** Final value and the turn it was recorded at. */
  value: number;
  turn: number;
  /** Counted in the variation's statistics (completed, or every run with includeFailed). */
  inStatistics: boolean;
  /** The run's world state at that turn. */
  source?: SourceLink;
}

/** Summary of a sample (a variation's final values), computed by core/analytics/statistics' summarize. */
export interface SampleSummary {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1 in the denominator); null when n < 2. */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** mean ± t(0.975, n − 1) · sd / √n; both equal the mean when n < 2; null when n = 0. */
  ci95Low: number | null;
  ci95High: number | null;
}

export interface ExperimentVariation {
  variationId: number;
  description: string | null;
  /** The variation's modifications as JSON text (LLM-free, but shown as text all the same). */
  modifications: string | null;
  runsCompleted: number;
  runsFailed: number;
  /** USD. */
  totalCost: number;
  avgCostPerRun: number | null;
  final: SampleSummary;
  runs: ExperimentRunPoint[];
  /** Distribution of the metric over the variation's runs in statistics, per turn. */
  evolution: DistributionPoint[];
}

export interface ExperimentComparison {
  variationId: number;
  baselineVariationId: number;
  meanDifference: number | null;
  welchT: number | null;
  pValue: number | null;
}

/** p-values below this are marked in the comparison table. */
export const SIGNIFICANCE_LEVEL = 0.05;

// ------------------------------------------------------------------------------ snapshots

export interface MetricChartSnapshot {
  panel: 'metricChart';
  /** Tab title and heading; names the scenario so panels of different scenarios are told apart. */
  title: string;
  selection: MetricChartSelection;
  /** What the selection can be changed to (filled from the index). */
  choices: { metrics: string[]; scenarios: string[]; actors: string[]; runs: RunChoice[] };
  /** The view drawn (the selection's, or the default for this many runs). */
  view: 'runs' | 'distribution';
  /** Runs with a value of the metric in the selection (what the distribution is computed over). */
  runCount: number;
  /**
   * The runs drawn as lines: every run in the `runs` view; in the `distribution` view only the
   * highlighted ones (the host computes the distribution, so 1,000 runs' points never cross to
   * the webview: the first open of a batch's chart stays small and fast).
   */
  series: RunSeries[];
  distribution: DistributionPoint[];
  /** The metric's declared range in metrics.yaml, when it has one: the y axis spans it. */
  yRange?: [number, number];
  aggregate: Aggregate;
  table: TablePage<MetricTableRow>;
}

export interface ComparisonSnapshot {
  panel: 'comparison';
  /** Tab title and heading, naming the scenario(s) of the compared runs. */
  title: string;
  selection: ComparisonSelection;
  runs: RunFigures[];
  /** Marks per figure row of the run table (key: figure name such as "totalCost"), one per run. */
  figureMarks: Record<string, Mark[]>;
  metrics: MetricComparisonRow[];
  overlay: { metric: string | undefined; series: RunSeries[] };
  turns: number[];
  turn: number | undefined;
  actions: ActorActions[];
}

export interface RunStatisticsSnapshot {
  panel: 'runStatistics';
  /** "Run statistics: AI Safety Summit 2026 · run-005": the scenario and the run's folder. */
  title: string;
  selection: RunStatisticsSelection;
  run: RunFigures | undefined;
  /** Every folder carrying the run id when there are several (the figures are the selected folder's). */
  sharedWith: string[];
  costByTurn: Array<{ turn: number; total: number }>;
}

/**
 * One cell of a SQL result (same shape as core/sql/resultGrid's GridCell): JSON has no Infinity
 * and no bytes, so SQLite's REAL infinities and BLOBs travel as small objects.
 */
export type SqlGridCell = string | number | null | { real: 'Infinity' | '-Infinity' } | { blob: number };

export interface SqlResultSnapshot {
  panel: 'sqlResult';
  title: string;
  selection: SqlResultSelection;
  columns: string[];
  /** Rows in the query's order; at most the row limit. */
  rows: SqlGridCell[][];
  /** "1,000 rows in 40 ms", or why rows were cut ("Showing the first 1,000 rows; the query returned more."). */
  note: string;
  /** True when the query returned more rows than are shown. */
  truncated: boolean;
}

export interface ExperimentSnapshot {
  panel: 'experiment';
  /** "Experiment: <name>". */
  title: string;
  selection: ExperimentSelection;
  /** False when no indexed experiment has the selection's folder (any more). */
  found: boolean;
  experimentName: string;
  folder: string;
  baseScenario: string | null;
  /** Metrics the experiment's runs recorded (the metric picker). */
  metrics: string[];
  /** The metric shown (the selection's, or the first with data); undefined when the runs recorded none. */
  metric: string | undefined;
  variations: ExperimentVariation[];
  /** Every other variation against variation 1 (Welch's t-test of the final values). */
  comparisons: ExperimentComparison[];
}

export interface ActorStrategySnapshot {
  panel: 'actorStrategy';
  title: string;
  selection: ActorStrategySelection;
  /** "experiment X (folder), completed runs", "scenario S", "every run of the index". */
  scope: string;
  groupedBy: 'variation' | 'run' | 'scenario';
  turns: number[];
  turn: number | null;
  groups: Array<{
    label: string;
    description: string | null;
    runs: number;
    decisions: number;
    decisionsPerRun: number | null;
    terms: Array<{ term: string; count: number; otherCount: number; zScore: number }>;
    /** One per run folder at the turn; `action` null where the run has no decision then. */
    actions: Array<{ folder: string; action: string | null; source?: SourceLink }>;
  }>;
}

export type PanelSnapshot = ActorStrategySnapshot | MetricChartSnapshot | ComparisonSnapshot | RunStatisticsSnapshot | SqlResultSnapshot | ExperimentSnapshot;

// ------------------------------------------------------------------------------ messages

/** What the webview asks; each gets one `response`. */
export type PanelRequest =
  /** Replace the selection (the host answers, then posts a new snapshot). */
  | { kind: 'select'; selection: PanelSelection }
  | { kind: 'tablePage'; offset: number }
  | { kind: 'openWorldState'; runId: string; turn: number }
  | { kind: 'openSource'; token: string }
  | { kind: 'exportCsv' }
  /** `data`: SVG text, or a PNG as a data: URL, made by the webview from the chart it shows; `chart` names it in the file name (letters, digits, dashes). */
  | { kind: 'exportChart'; format: 'svg' | 'png'; data: string; chart?: string }
  /** SQL grid: copy these rows (indices into the snapshot's rows, in display order) and columns as TSV; `header` adds the column names. */
  | { kind: 'copyCells'; rows: number[]; columns: number[]; header: boolean }
  /** SQL grid: save the whole result as JSON. */
  | { kind: 'exportJson' }
  /** SQL grid: open the result as the markdown text document it used to be. */
  | { kind: 'openAsText' };

export type WebviewMessage = { type: 'ready' } | { type: 'request'; requestId: number; request: PanelRequest };

export type PanelResponse =
  | { type: 'response'; requestId: number; ok: true; page?: TablePage<MetricTableRow>; message?: string }
  | { type: 'response'; requestId: number; ok: false; error: string };

export type HostMessage = { type: 'snapshot'; snapshot: PanelSnapshot } | { type: 'error'; message: string } | PanelResponse;

/** Rows per page of the metric value table. */
export const TABLE_PAGE_SIZE = 50;
