/**
 * The batch-experiment commands of `scenario-lab`: `experiments`, `variations` and the filtered
 * form of `runs` (`--where`, `--max-cost`, `--experiment`). Their --json output is a contract
 * (snake_case names, nulls for undefined statistics), so the mapping lives here in one place.
 */
import type { ExperimentSummary, VariationStatistics } from '../core/analytics/experiments';
import { parseMetricCondition, type FilteredRun } from '../core/analytics/runFilter';
import type { SampleSummary } from '../core/analytics/statistics';
import { nonFiniteAsText } from '../core/db/encoding';
import type { Analytics } from '../core/analytics/analytics';

/** What these commands need of an index (embedded or shared). */
type ScenarioIndex = { readonly analytics: Analytics };
import { textTable } from './textTable';
import { formatCost } from '../core/analytics/numberFormat';
import { requireKnown, unknownName } from './knownNames';

/** The options these commands read (a subset of the CLI's). */
export interface ExperimentOptions {
  json?: boolean;
  metric?: string;
  actor?: string;
  scenario?: string;
  experiment?: string;
  where?: string[];
  'max-cost'?: string;
  'include-failed'?: boolean;
}

/** A bad argument: the CLI prints it with the usage and exits with 2. */
export class ArgumentError extends Error {}

type Out = (text: string) => void;

export function experimentJson(e: ExperimentSummary) {
  return {
    experiment_name: e.experimentName,
    folder: e.folder,
    base_scenario: e.baseScenario,
    variation_count: e.variationCount,
    runs_planned: e.runsPlanned,
    runs_completed: e.runsCompleted,
    runs_failed: e.runsFailed,
    total_cost: e.totalCost,
  };
}

function finalJson(s: SampleSummary) {
  return { n: s.n, mean: s.mean, sd: s.sd, min: s.min, max: s.max, ci95_low: s.ci95Low, ci95_high: s.ci95High };
}

export function variationsJson(v: VariationStatistics) {
  return {
    experiment_name: v.experimentName,
    folder: v.folder,
    metric: v.metric,
    variations: v.variations.map((x) => ({
      variation_id: x.variationId,
      description: x.description,
      modifications: x.modifications,
      run_folders: x.runFolders,
      runs_completed: x.runsCompleted,
      runs_failed: x.runsFailed,
      total_cost: x.totalCost,
      avg_cost_per_run: x.avgCostPerRun,
      ...(x.final ? { final: finalJson(x.final) } : {}),
    })),
    ...(v.comparisons
      ? {
          comparisons: v.comparisons.map((c) => ({
            variation_id: c.variationId,
            baseline_variation_id: c.baselineVariationId,
            mean_difference: c.meanDifference,
            welch_t: c.welchT,
            p_value: c.pValue,
          })),
        }
      : {}),
  };
}

function filteredRunJson(r: FilteredRun) {
  return {
    folder: r.folder,
    run_id: r.runId,
    scenario_name: r.scenarioName,
    status: r.status,
    total_cost: r.totalCost,
    experiment_folder: r.experimentFolder,
    variation_id: r.variationId,
    batch_status: r.batchStatus,
    metrics: r.metrics,
  };
}

/** `experiments`: one line (or JSON object) per batch experiment. */
export async function experimentsCommand(index: ScenarioIndex, o: ExperimentOptions, out: Out): Promise<number> {
  const experiments = await index.analytics.listExperiments();
  if (o.json) return json(out, experiments.map(experimentJson));
  out(
    textTable(
      ['experiment', 'folder', 'base scenario', 'variations', 'planned', 'completed', 'failed', 'cost'],
      experiments.map((e) => [e.experimentName, e.folder, e.baseScenario, e.variationCount, e.runsPlanned, e.runsCompleted, e.runsFailed, formatCost(e.totalCost)]),
    ),
  );
  return 0;
}

/** `variations <experiment>`: per variation counts, costs and (with --metric) final-value statistics. */
export async function variationsCommand(index: ScenarioIndex, args: string[], o: ExperimentOptions, out: Out, err: Out): Promise<number> {
  if (args.length !== 1) throw new ArgumentError('variations needs one experiment name or folder (quote names with spaces)');
  await requireExperiment(index, args[0]);
  await requireKnown(index, { metric: o.metric, actor: o.actor });
  const stats = await index.analytics.variationStatistics(args[0], { metric: o.metric, actor: o.actor, includeFailed: o['include-failed'] });
  if (!stats) {
    err(`scenario-lab: no experiment named ${args[0]} in the index (list them with: scenario-lab experiments --db …)`);
    return 1;
  }
  if (o.json) return json(out, variationsJson(stats));
  out(`${stats.experimentName} (${stats.folder})`);
  out(
    textTable(
      ['variation', 'description', 'completed', 'failed', 'cost', 'avg cost', ...(stats.metric ? ['n', 'mean', 'sd', 'ci95 low', 'ci95 high', 'min', 'max'] : [])],
      stats.variations.map((v) => [
        v.variationId, v.description, v.runsCompleted, v.runsFailed, formatCost(v.totalCost), formatCost(v.avgCostPerRun),
        ...(v.final ? [v.final.n, v.final.mean, v.final.sd, v.final.ci95Low, v.final.ci95High, v.final.min, v.final.max] : []),
      ]),
    ),
  );
  if (stats.comparisons && stats.comparisons.length > 0) {
    out('');
    out(`${stats.metric}: each variation against variation ${stats.comparisons[0].baselineVariationId} (Welch's t-test)`);
    out(textTable(['variation', 'mean difference', 'welch t', 'p'], stats.comparisons.map((c) => [c.variationId, c.meanDifference, c.welchT, c.pValue])));
  }
  return 0;
}

/** `runs --where … --max-cost … [--experiment E] [--scenario S]`: run folders that meet thresholds. */
export async function filteredRunsCommand(index: ScenarioIndex, o: ExperimentOptions, out: Out, err: Out): Promise<number> {
  let conditions;
  try {
    conditions = (o.where ?? []).flatMap((w) => w.split(/\s*,\s*|\s+and\s+/i)).filter((w) => w.trim() !== '').map(parseMetricCondition);
  } catch (error) {
    throw new ArgumentError((error as Error).message);
  }
  const maxCost = o['max-cost'] === undefined ? undefined : Number(o['max-cost']);
  if (maxCost !== undefined && (o['max-cost']!.trim() === '' || !Number.isFinite(maxCost))) throw new ArgumentError(`--max-cost needs a number of dollars, not "${o['max-cost']}"`);
  for (const metric of new Set(conditions.map((c) => c.metric))) await requireKnown(index, { metric });
  let experiment: string | undefined;
  if (o.experiment !== undefined) {
    await requireExperiment(index, o.experiment);
    const matches = await index.analytics.findExperiments(o.experiment);
    if (matches.length !== 1) {
      err(matches.length === 0 ? `scenario-lab: no experiment named ${o.experiment} in the index` : `scenario-lab: "${o.experiment}" names several experiments: ${matches.map((m) => m.folder).join(', ')}`);
      return 1;
    }
    experiment = matches[0].folder;
  }
  const runs = await index.analytics.filterRuns({ scenario: o.scenario, experiment, conditions, maxCost, actor: o.actor });
  if (o.json) return json(out, runs.map(filteredRunJson));
  const metrics = [...new Set(conditions.map((c) => c.metric))];
  out(
    textTable(
      ['folder', 'run id', 'status', 'batch status', 'cost', ...metrics],
      runs.map((r) => [r.folder, r.runId, r.status, r.batchStatus, formatCost(r.totalCost), ...metrics.map((m) => r.metrics[m])]),
    ),
  );
  return 0;
}

/** Fails with status 1, naming the closest experiments, when `name` matches no experiment name or folder. */
async function requireExperiment(index: ScenarioIndex, name: string): Promise<void> {
  if ((await index.analytics.findExperiments(name)).length > 0) return;
  const known = (await index.analytics.listExperiments()).flatMap((e) => [e.experimentName, e.folder]);
  throw unknownName('experiment', name, known, 'list them with: scenario-lab experiments --db …');
}

function json(out: Out, value: unknown): number {
  // Like every --json output of the CLI: a stored ±Infinity prints as the string "Infinity".
  out(JSON.stringify(value, nonFiniteAsText, 2));
  return 0;
}
