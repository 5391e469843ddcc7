/**
 * Batch experiments as an analytics dimension (the guide's "Scenario Variation Analysis"): the
 * experiments of the index, and per variation its runs, batch counts, costs and the distribution
 * of a metric's final values, compared with variation 1 by Welch's t-test.
 *
 * Sources of every figure: runs completed/failed from batch-state.json (`completed_runs`,
 * `failed_runs` entries), costs from batch-costs.json `run_costs`, metric values from the indexed
 * run folders (each folder's own rows, so parallel runs that share a run id stay apart).
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { folderFinalPoints, type FolderTurnValue } from './finalValues';
import { summarize, welch, type SampleSummary } from './statistics';

export interface ExperimentSummary {
  experimentName: string;
  /** Index key of the batch output folder, e.g. `experiments/accord-sweep`. */
  folder: string;
  baseScenario: string | null;
  description: string | null;
  variationCount: number;
  runsPerVariation: number;
  /** variationCount × runsPerVariation. */
  runsPlanned: number;
  /** Sums over the variations of runsCompleted / runsFailed / totalCost. */
  runsCompleted: number;
  runsFailed: number;
  /** USD. */
  totalCost: number;
  budgetLimit: number | null;
  costPerRunLimit: number | null;
  maxParallel: number | null;
  startTime: string | null;
  endTime: string | null;
}

/** One run of a batch, by folder. */
export interface BatchRun {
  /** Folder name, e.g. `var-001-run-002`. */
  name: string;
  /** Index key of the run folder. */
  folder: string;
  runNumber: number | null;
  /** False for a run the batch files list but whose folder is gone (or never made). */
  hasFolder: boolean;
  /** The folder is indexed as a run folder (an empty folder, e.g. of a run the budget refused, is not). */
  indexed: boolean;
  /** `success`, `failed`, `budget_exceeded`, `cost_limit_exceeded`, or null when the batch has not recorded the run yet. */
  batchStatus: string | null;
  error: string | null;
  /** Run id and status of the indexed folder; null when the folder is not (yet) indexed as a run. */
  runId: string | null;
  status: string | null;
  /** The folder's final value of the requested metric (mean of its records at its highest turn with any). */
  finalValue: number | null;
  /** The turn of that final value (where the panel opens the run's world state); null with finalValue. */
  finalTurn: number | null;
}

export interface VariationFigures {
  variationId: number;
  description: string | null;
  /** As stored by Scenario Lab, e.g. `{actor_models: {us: "openai/gpt-4o"}, scenario_overrides: {}}`. */
  modifications: unknown;
  /** Workspace-relative run folders of the variation (indexed ones, whatever their batch status), in folder-name order. */
  runFolders: string[];
  runs: BatchRun[];
  /** Folder names of this variation in `completed_runs`. */
  runsCompleted: number;
  /** Entries of this variation in `failed_runs`. */
  runsFailed: number;
  /** Sum of its `run_costs[].cost` (USD); 0 without entries. */
  totalCost: number;
  /** totalCost / number of its `run_costs` entries; null without entries. */
  avgCostPerRun: number | null;
  /** Final values of the metric over the runs in scope (only with a metric). */
  final?: SampleSummary;
}

export interface VariationComparison {
  variationId: number;
  baselineVariationId: number;
  meanDifference: number | null;
  welchT: number | null;
  pValue: number | null;
}

export interface VariationStatistics {
  experimentName: string;
  folder: string;
  metric: string | null;
  actor: string | null;
  includeFailed: boolean;
  variations: VariationFigures[];
  /** Every other variation against the first (variation 1); only with a metric. */
  comparisons?: VariationComparison[];
}

export interface VariationStatisticsOptions {
  /** Metric name: adds `final` and `comparisons`. */
  metric?: string;
  /** Only the metric records of this actor. */
  actor?: string;
  /** Statistics over every run of a variation, not only the completed ones. */
  includeFailed?: boolean;
}

export async function listExperiments(db: Kysely<IndexDatabase>): Promise<ExperimentSummary[]> {
  const experiments = await db.selectFrom('sl_experiments').selectAll().orderBy('experiment_name').orderBy('folder').execute();
  const figures = await variationRows(db, undefined);
  return experiments.map((e) => {
    const variations = figures.filter((v) => v.experiment === e.folder);
    return {
      experimentName: e.experiment_name,
      folder: e.folder,
      baseScenario: e.base_scenario,
      description: e.description,
      variationCount: variations.length,
      runsPerVariation: e.runs_per_variation,
      runsPlanned: variations.length * e.runs_per_variation,
      runsCompleted: variations.reduce((n, v) => n + v.runsCompleted, 0),
      runsFailed: variations.reduce((n, v) => n + v.runsFailed, 0),
      totalCost: variations.reduce((n, v) => n + v.totalCost, 0),
      budgetLimit: e.budget_limit,
      costPerRunLimit: e.cost_per_run_limit,
      maxParallel: e.max_parallel,
      startTime: e.start_time,
      endTime: e.end_time,
    };
  });
}

/**
 * The experiments whose folder or name is `experiment` (a folder wins; then a unique trailing part of a
 * folder on whole segments, e.g. `accord-sweep`; trailing slashes and
 * backslashes are ignored). Several when different batches share a name.
 */
export async function findExperiments(db: Kysely<IndexDatabase>, experiment: string): Promise<Array<{ folder: string; experimentName: string }>> {
  const folder = experiment.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const rows = await db.selectFrom('sl_experiments').select(['folder', 'experiment_name']).where((eb) => eb.or([eb('folder', '=', folder), eb('experiment_name', '=', experiment)])).orderBy('folder').execute();
  const exact = rows.filter((r) => r.folder === folder);
  if (rows.length > 0 || folder === '') return (exact.length > 0 ? exact : rows).map((r) => ({ folder: r.folder, experimentName: r.experiment_name }));
  // A trailing part of the folder, as people type it ("accord-sweep" for experiments/accord-sweep):
  // matched on whole path segments, so several matches are reported as ambiguous by the caller.
  const tail = await db.selectFrom('sl_experiments').select(['folder', 'experiment_name']).orderBy('folder').execute();
  return tail.filter((r) => r.folder.endsWith(`/${folder}`)).map((r) => ({ folder: r.folder, experimentName: r.experiment_name }));
}

/**
 * Per variation of one experiment: runs, batch counts, costs and (with a metric) the final-value
 * statistics and Welch comparisons against variation 1. Undefined when no experiment matches.
 * @throws Error when the name matches several experiments (the message lists their folders).
 */
export async function variationStatistics(
  db: Kysely<IndexDatabase>,
  experiment: string,
  options: VariationStatisticsOptions = {},
): Promise<VariationStatistics | undefined> {
  const matches = await findExperiments(db, experiment);
  if (matches.length === 0) return undefined;
  if (matches.length > 1) throw new Error(`"${experiment}" names ${matches.length} experiments; give one of their folders: ${matches.map((m) => m.folder).join(', ')}`);
  const { folder, experimentName } = matches[0];
  const [figures, runs, finals] = await Promise.all([
    variationRows(db, folder),
    batchRuns(db, folder),
    options.metric === undefined ? Promise.resolve(new Map<string, FolderTurnValue>()) : folderFinalPoints(db, options.metric, { actor: options.actor, experiment: folder }),
  ]);
  const variations: VariationFigures[] = figures.map((v) => {
    const own = runs
      .filter((r) => r.variationId === v.variationId)
      .map((r) => ({ ...r.run, finalValue: finals.get(r.run.folder)?.value ?? null, finalTurn: finals.get(r.run.folder)?.turn ?? null }));
    const figuresOf: VariationFigures = {
      variationId: v.variationId,
      description: v.description,
      modifications: v.modifications,
      runFolders: own.filter((r) => r.indexed).map((r) => r.folder),
      runs: own,
      runsCompleted: v.runsCompleted,
      runsFailed: v.runsFailed,
      totalCost: v.totalCost,
      avgCostPerRun: v.costEntries > 0 ? v.totalCost / v.costEntries : null,
    };
    if (options.metric !== undefined) {
      const inScope = own.filter((r) => r.finalValue !== null && inStatisticsScope(r, options.includeFailed));
      figuresOf.final = summarize(inScope.map((r) => r.finalValue as number));
    }
    return figuresOf;
  });
  const result: VariationStatistics = {
    experimentName, folder, metric: options.metric ?? null, actor: options.actor ?? null, includeFailed: options.includeFailed ?? false, variations,
  };
  if (options.metric !== undefined && variations.length > 0) {
    const [baseline, ...others] = variations;
    result.comparisons = others.map((v) => {
      const test = welch(v.final!, baseline.final!);
      return { variationId: v.variationId, baselineVariationId: baseline.variationId, meanDifference: test.meanDifference, welchT: test.welchT, pValue: test.pValue };
    });
  }
  return result;
}

/**
 * Whether a run's values count in a variation's statistics: completed runs (batch status
 * `success`), or every run with includeFailed. The panel's turn-by-turn distribution uses the same rule.
 */
export function inStatisticsScope(run: Pick<BatchRun, 'batchStatus'>, includeFailed = false): boolean {
  return includeFailed || run.batchStatus === 'success';
}

interface VariationRow {
  experiment: string;
  variationId: number;
  description: string | null;
  modifications: unknown;
  runsCompleted: number;
  runsFailed: number;
  totalCost: number;
  costEntries: number;
}

/** Variations with their batch counts and costs (of one experiment, or of all). */
async function variationRows(db: Kysely<IndexDatabase>, experiment: string | undefined): Promise<VariationRow[]> {
  let variations = db.selectFrom('sl_variations').select(['experiment', 'variation_id', 'description', 'modifications']);
  let counts = db
    .selectFrom('sl_batch_runs')
    .select((eb) => ['experiment', 'variation_id', eb.fn.sum<number>('completed').as('completed'), eb.fn.sum<number>('failed_count').as('failed')])
    .groupBy(['experiment', 'variation_id']);
  // Costs are summed in file order, as Scenario Lab's cost manager adds them up.
  let costs = db.selectFrom('sl_batch_costs').select(['experiment', 'variation_id', 'cost']).orderBy('experiment').orderBy('seq');
  if (experiment !== undefined) {
    variations = variations.where('experiment', '=', experiment);
    counts = counts.where('experiment', '=', experiment);
    costs = costs.where('experiment', '=', experiment);
  }
  const [vRows, cRows, costRows] = await Promise.all([variations.orderBy('experiment').orderBy('variation_id').execute(), counts.execute(), costs.execute()]);
  const key = (e: string, id: number | null) => `${id}\u0000${e}`;
  const countBy = new Map(cRows.map((c) => [key(c.experiment, c.variation_id), c]));
  const costBy = new Map<string, { total: number; entries: number }>();
  for (const c of costRows) {
    const k = key(c.experiment, c.variation_id);
    const sum = costBy.get(k) ?? { total: 0, entries: 0 };
    sum.total += c.cost;
    sum.entries++;
    costBy.set(k, sum);
  }
  return vRows.map((v) => {
    const k = key(v.experiment, v.variation_id);
    return {
      experiment: v.experiment,
      variationId: v.variation_id,
      description: v.description,
      modifications: v.modifications === null ? null : JSON.parse(v.modifications),
      runsCompleted: Number(countBy.get(k)?.completed ?? 0),
      runsFailed: Number(countBy.get(k)?.failed ?? 0),
      totalCost: costBy.get(k)?.total ?? 0,
      costEntries: costBy.get(k)?.entries ?? 0,
    };
  });
}

/** The batch runs of an experiment with what the index knows of their folders. */
async function batchRuns(db: Kysely<IndexDatabase>, experiment: string): Promise<Array<{ variationId: number | null; run: Omit<BatchRun, 'finalValue' | 'finalTurn'> }>> {
  const rows = await db
    .selectFrom('sl_batch_runs as b')
    .leftJoin('sl_folders as f', 'f.path', 'b.folder')
    .select(['b.name', 'b.folder', 'b.variation_id', 'b.run_number', 'b.has_folder', 'b.status as batch_status', 'b.error', 'f.id as folder_id', 'f.run_id', 'f.status'])
    .where('b.experiment', '=', experiment)
    .orderBy('b.name')
    .execute();
  return rows.map((r) => ({
    variationId: r.variation_id,
    run: {
      name: r.name, folder: r.folder, runNumber: r.run_number, hasFolder: r.has_folder === 1, indexed: r.folder_id !== null, batchStatus: r.batch_status, error: r.error,
      runId: r.run_id ?? null, status: r.status ?? null,
    },
  }));
}
