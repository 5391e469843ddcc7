/**
 * The analytics facade: every question the CLI, the extension's features and the public extension
 * API may ask the index. It is the one door to the data: there is no database handle on it, so a
 * caller cannot write SQL past it (custom SQL goes through the SQL door, src/core/sql/sqlDoor.ts).
 * createAnalytics (analytics.ts) implements it over Kysely; the index worker's client implements
 * it over the same functions run in the worker.
 *
 * Units: costs in US dollars as Scenario Lab records them; token counts as recorded; times are
 * ISO 8601 strings as in the run files; turn numbers as the index stores them (turns.turn_num);
 * line numbers 1-based. Source tables are Scenario Lab's (runs, turns, decisions, communications,
 * metrics, costs) and ours (sl_* in src/core/db/schema.ts).
 */
import type { ActorStrategy, ActorStrategyOptions } from './actorStrategy';
import type { AnnotationFilters, AnnotationRecord } from './annotations';
import type { ExperimentSummary, VariationStatistics, VariationStatisticsOptions } from './experiments';
import type { LinePlace, MetricPoint, MetricSummary, RunFileContext } from './hoverQueries';
import type { FilteredRun, RunFilter } from './runFilter';
import type { VariationEvolution, VariationEvolutionOptions } from './variationEvolution';
import type {
  Communication,
  Decision,
  FolderActivity,
  IndexProblem,
  Metric,
  MetricAggregate,
  MetricEvolutionPoint,
  MetricFilters,
  Page,
  Run,
  RunComparison,
  RunFolder,
  RunName,
  RunMetricPoint,
  RunMetricSummary,
  RunStatistics,
  RunSummary,
  SourceLocation,
  Turn,
  TurnCost,
} from './types';

/** Which rows a metric question covers; each filter applies only when given. */
export interface MetricScope {
  /** runs.scenario_id. */
  scenario?: string;
  /** The actor the run files record (sl_metric_actors), not Scenario Lab's metrics.actor. */
  actor?: string;
  runIds?: readonly string[];
}

export interface Analytics {
  // ------------------------------------------------------------------------------------- runs
  /** One run (runs + its folders in sl_folders, configuration parsed); undefined for an unknown id. */
  getRun(runId: string): Promise<Run | undefined>;
  /** The run of a run folder, by the folder's index key (sl_folders.path); undefined when it has none. */
  getRunByFolder(folderPath: string): Promise<Run | undefined>;
  /** The guide's list_runs: newest first (runs.created), optionally one scenario. */
  listRuns(options?: { scenarioId?: string }): Promise<RunSummary[]>;
  /** Run ids in listRuns order (runs.created, newest first, then id), optionally one scenario: which runs there are, without their figures. */
  listRunIds(options?: { scenarioId?: string }): Promise<string[]>;
  /** Each run's id with its folders' paths (sl_folders.path), in listRuns order, optionally one scenario: what naming a run takes. */
  listRunNames(options?: { scenarioId?: string }): Promise<RunName[]>;
  /** Every indexed run folder (sl_folders), by path; with `withoutRun`, only those that carry no run id. */
  listFolders(options?: { withoutRun?: boolean }): Promise<RunFolder[]>;
  /** Scenario ids with their number of runs (runs.scenario_id). */
  listScenarios(): Promise<Array<{ scenarioId: string; runCount: number }>>;
  /** Actors with their number of decisions per scenario (decisions ⋈ turns ⋈ runs). */
  listActors(options?: { scenario?: string }): Promise<Array<{ actor: string; scenarioId: string; decisionCount: number }>>;
  // ------------------------------------------------------------------------ turns and records
  /** A run's turns in order, each with its world-state source (turns + sl_origins). */
  listTurns(runId: string): Promise<Turn[]>;
  /** A run's decisions (all turns, or one), with their sources. */
  listDecisions(runId: string, turnNum?: number): Promise<Decision[]>;
  /** A run's messages (communications), all turns or one, with their sources. */
  listCommunications(runId: string, turnNum?: number): Promise<Communication[]>;
  /** The guide's query_decisions_for_actor: every decision of one actor (optionally one scenario). */
  queryDecisionsForActor(actor: string, options?: { scenario?: string }): Promise<Decision[]>;
  /** One page of queryDecisionsForActor, with the total. */
  queryDecisionsForActorPage(actor: string, options: { scenario?: string }, page: { offset: number; limit: number }): Promise<Page<Decision>>;
  // ---------------------------------------------------------------------------------- metrics
  /** The guide's query_metrics: metric records (metrics ⋈ turns ⋈ runs) matching the filters. */
  queryMetrics(filters?: MetricFilters): Promise<Metric[]>;
  /** One page of queryMetrics, with the total. */
  queryMetricsPage(filters: MetricFilters, page: { offset: number; limit: number }): Promise<Page<Metric>>;
  /** Metric names with their record count per scenario. */
  listMetricNames(options?: { scenario?: string }): Promise<Array<{ name: string; scenarioId: string; count: number }>>;
  /** The actors (as the run files record them) that have records of a metric. */
  listMetricActors(metricName: string, options?: { scenario?: string }): Promise<string[]>;
  /** The ids of the runs with records of a metric, in id order (what a view pages over before reading records). */
  listMetricRunIds(metricName: string, options?: { scenario?: string; actor?: string }): Promise<string[]>;
  /** One line per run: the run's mean value of the metric at each turn (a chart's lines). */
  metricSeriesByRun(metricName: string, options?: MetricScope): Promise<RunMetricPoint[]>;
  /** Every metric of the given runs summarised per run (all actors): what a comparison shows. */
  metricSummaryByRun(runIds: readonly string[]): Promise<RunMetricSummary[]>;
  /** The guide's aggregate_metrics: avg/min/max/count over every matching record. */
  aggregateMetrics(metricName: string, options?: MetricScope): Promise<MetricAggregate>;
  /** Per turn number, avg/min/max across the matching runs (a chart's band). */
  metricEvolution(metricName: string, options?: MetricScope): Promise<MetricEvolutionPoint[]>;
  /** The range metrics.yaml declares for a metric (one scenario, or spanning all); undefined when none does. */
  declaredMetricRange(metricName: string, scenario?: string): Promise<[number, number] | undefined>;
  /** Every metric name, and the scenarios that have `metricName` (the chart's choices). */
  metricChartChoices(metricName: string): Promise<{ metrics: string[]; scenarios: string[] }>;
  // ------------------------------------------------------------------------------- statistics
  /** The guide's get_run_statistics plus cost by actor and model, and tokens; undefined for an unknown id. */
  getRunStatistics(runId: string): Promise<RunStatistics | undefined>;
  /**
   * What to show for a run id or run folder path: one entry, or one per folder (each with `folder`)
   * when several folders carry the run id; empty when the argument names nothing.
   */
  runStatisticsPerFolder(key: string): Promise<RunStatistics[]>;
  /** Statistics of several runs (ids or folder paths) side by side, one entry per folder of a shared run id (unknown ids are skipped). */
  compareRuns(runIds: readonly string[]): Promise<RunComparison>;
  /** Cost (USD) per turn: each costs record goes to the first turn stamped at or after it. */
  costByTurn(runId: string): Promise<TurnCost[]>;
  // ------------------------------------------------------------------------------ experiments
  /** Batch experiments (sl_experiments) with their variations and run counts. */
  listExperiments(): Promise<ExperimentSummary[]>;
  /** Experiments a name or folder matches (whole path segments). */
  findExperiments(experiment: string): Promise<Array<{ folder: string; experimentName: string }>>;
  /** Per variation figures of one experiment; throws when the name matches several. */
  variationStatistics(experiment: string, options?: VariationStatisticsOptions): Promise<VariationStatistics | undefined>;
  /** Runs whose metrics meet every condition of the filter. */
  filterRuns(filter: RunFilter): Promise<FilteredRun[]>;
  /** Metric names recorded by the runs of one experiment (by its folder, sl_experiments.folder). */
  experimentMetricNames(experimentFolder: string): Promise<string[]>;
  /** Per variation of one experiment, the median and interquartile range of a metric at each turn over its runs. */
  variationEvolution(experimentFolder: string, metric: string, options?: VariationEvolutionOptions): Promise<VariationEvolution[]>;
  /** Where a run folder's world state of one turn is written (sl_origins of the turn); undefined when unknown. */
  worldStateSource(folder: string, turn: number): Promise<SourceLocation | undefined>;
  /** worldStateSource of many (folder, turn) pairs in one query, answers in the order asked. */
  worldStateSources(wanted: ReadonlyArray<{ folder: string; turn: number }>): Promise<Array<SourceLocation | undefined>>;
  /**
   * One actor's decisions compared across an experiment's variations (a scenario's run folders, the
   * index's scenarios): counts, distinctive terms, actions at one turn. Undefined when the target
   * names nothing; throws when it names several experiments.
   */
  actorStrategy(actor: string, options?: ActorStrategyOptions): Promise<ActorStrategy | undefined>;
  // ---------------------------------------------------------------------- files in the editor
  /**
   * The run folder a file of a run belongs to (its parent folder), by the file's index key, with
   * the scenario's metric definitions and the run's actors; undefined outside an indexed run folder.
   */
  runFileContext(fileKey: string): Promise<RunFileContext | undefined>;
  /** The turn, decision and actor a 1-based line of a run file belongs to (sl_lines); undefined when unknown. */
  linePlace(folderId: number, fileKey: string, line: number): Promise<LinePlace | undefined>;
  /** Every record of one metric in one run, in turn order, with the actor the files record. */
  runMetricSeries(runId: string, metric: string): Promise<MetricPoint[]>;
  /** One metric across every run of a scenario: per turn and overall. */
  scenarioMetricSummary(scenarioId: string, metric: string): Promise<MetricSummary>;
  /** An actor's action at one turn of a run, with its source; undefined when it made no decision. */
  actorDecision(runId: string, turnNum: number, actor: string): Promise<{ action: string; source: SourceLocation | undefined } | undefined>;
  // ------------------------------------------------------------------------------ annotations
  /** The index's copy of the reviewers' annotations (sl_annotations), by run folder, file and line. */
  listAnnotations(filters?: AnnotationFilters): Promise<AnnotationRecord[]>;
  /** How many annotations a run has. */
  countAnnotations(runId: string): Promise<number>;
  // ------------------------------------------------------------------------------ bookkeeping
  /** Problems the indexer recorded (sl_problems), by file and line. */
  listProblems(): Promise<IndexProblem[]>;
  /** When each run folder's files last changed (newest sl_files.mtime_ms, in ms since 1970); with `runStatus`, only folders carrying a run of that stored status (runs.status). */
  folderActivity(options?: { runStatus?: string }): Promise<FolderActivity[]>;
  /** Run ids carried by more than one folder (resumed, parallel or copied runs). */
  runIdClashes(): Promise<Array<{ runId: string; folders: string[] }>>;
}
