/**
 * The sample batch experiment (docs/format.md#batches), written the way Scenario Lab's BatchRunner writes one in
 * parallel mode: `experiments/model-comparison` with one `actor_model` variation per model, runs
 * in waves of `max_parallel` (runs of a wave share a run id), and optionally failed runs:
 * `failed` (an exception mid-run: an interrupted folder, no cost entry), `cost_limit_exceeded`
 * (the most expensive runs, above `cost_per_run_limit`: cost entry with success false) and
 * `budget_exceeded` (the last runs, refused before they started: no folder, error null).
 */
import YAML from 'yaml';
import { isoformat, pad3, py, pyJson, pySlug, yamlFloat, YAML_OPTIONS } from './python';
import type { Random } from './random';
import { totalCost, writeRunFolder, type FileSink } from './render';
import { simulateRun } from './run';
import type { RunRecord, ScenarioModel } from './runRecord';

export const BATCH_DIR = 'experiments/model-comparison';
const BATCH_MODELS = ['openai/gpt-4o', 'anthropic/claude-3.5-haiku', 'google/gemini-1.5-pro', 'meta-llama/llama-3.1-70b-instruct', 'mistralai/mistral-large', 'openai/gpt-4o-mini'];
const MAX_PARALLEL = 2;
/** Failure statuses in the order extra failures are added. */
const FAILURE_CYCLE = ['failed', 'cost_limit_exceeded', 'budget_exceeded'] as const;

export interface BatchOptions {
  turns: number;
  runsPerVariation: number;
  /** 1..6 models of the varied actor. */
  variations: number;
  /** Runs that do not complete, statuses cycling failed, cost_limit_exceeded, budget_exceeded. */
  failures: number;
}

/** A batch run folder that was written, with the status the batch files give it. */
export interface BatchRunWritten {
  path: string;
  record: RunRecord;
  batchStatus: 'success' | 'failed' | 'cost_limit_exceeded';
}

interface Job {
  variation: number;
  model: string;
  folder: string;
  status: 'success' | (typeof FAILURE_CYCLE)[number];
}

export function generateBatch(scenario: ScenarioModel, o: BatchOptions, rng: Random, clock: number, sink: FileSink): BatchRunWritten[] {
  // Vary an actor whose short_name differs from its slug, so both decision formats show the change.
  const varied = scenario.actors.find((a) => a.shortName !== pySlug(a.name)) ?? scenario.actors[0];
  const models = BATCH_MODELS.slice(0, Math.max(1, Math.min(o.variations, BATCH_MODELS.length)));
  const jobs: Job[] = models.flatMap((model, v) =>
    Array.from({ length: o.runsPerVariation }, (_, k) => ({ variation: v + 1, model, folder: `var-${pad3(v + 1)}-run-${pad3(k + 1)}`, status: 'success' as Job['status'] })),
  );
  const totalRuns = jobs.length;
  const failures = planFailures(jobs, o.failures, rng.fork('failures'));

  const stateStart = clock + rng.int(30e6, 600e6);
  const summaryStart = stateStart + rng.int(20e3, 40e3);
  let waveStart = summaryStart;
  const finished: Array<{ job: Job; record: RunRecord }> = [];
  const started = jobs.filter((j) => j.status !== 'budget_exceeded');
  for (let w = 0; w < started.length; w += MAX_PARALLEL) {
    // Runs of one wave start within the same second, so they share a run_id (docs/format.md#run-id).
    const second = Math.floor((waveStart + rng.int(1e6, 3e6)) / 1e6) * 1e6 + rng.int(0, 400e3);
    const wave = started.slice(w, w + MAX_PARALLEL).map((job, j) => {
      const runRng = rng.fork(job.folder);
      const startUs = second + j * runRng.int(1e3, 50e3);
      const modelOverrides = { [varied.shortName]: job.model };
      // An exception in the turn after `lastTurn` leaves that turn's first files (docs/format.md#write-order).
      const record =
        job.status === 'failed' && o.turns >= 2
          ? simulateRun({ scenario, kind: 'interrupted', lastTurn: runRng.int(1, o.turns - 1), partialDeciders: runRng.int(1, scenario.actors.length), startUs, modelOverrides, rng: runRng })
          : simulateRun({ scenario, kind: 'completed', lastTurn: o.turns, partialDeciders: 0, startUs, modelOverrides, rng: runRng });
      writeRunFolder(record, `${BATCH_DIR}/runs/${job.folder}`, sink);
      return { job, record };
    });
    finished.push(...wave.sort((a, b) => a.record.endUs - b.record.endUs));
    waveStart = Math.max(...wave.map((x) => x.record.endUs));
  }
  const stateEnd = waveStart + rng.int(1e3, 30e3);
  const summaryEnd = stateEnd + rng.int(500, 2000);

  // The most expensive runs are the ones over the per-run limit; the limit sits between them and the rest.
  const byCost = finished.filter((f) => f.job.status !== 'failed').sort((a, b) => totalCost(b.record) - totalCost(a.record));
  byCost.slice(0, failures.costLimit).forEach((f) => (f.job.status = 'cost_limit_exceeded'));
  const costLimit = failures.costLimit > 0 && byCost.length > failures.costLimit
    ? Math.round(((totalCost(byCost[failures.costLimit - 1].record) + totalCost(byCost[failures.costLimit].record)) / 2) * 1e6) / 1e6
    : failures.costLimit > 0 ? totalCost(byCost[byCost.length - 1].record) / 2 : 2;

  let totalSpent = 0;
  const costed = finished.filter((f) => f.job.status !== 'failed');
  const runCosts = costed.map(({ job, record }) => {
    const cost = totalCost(record);
    totalSpent += cost;
    return { run_id: job.folder, variation_id: job.variation, cost: py(cost), success: job.status === 'success', timestamp: isoformat(record.endUs) };
  });
  // Budget-stopped runs were refused because the remaining budget was below the per-run limit.
  const budgetLimit = failures.budget > 0 ? Math.round((totalSpent + costLimit / 2) * 100) / 100 : Math.max(5, 2 * totalRuns);
  const config = {
    experiment_name: `${scenario.theme.dir} - model comparison`,
    description: `Does a different model for ${varied.shortName} change the outcome?`,
    base_scenario: `scenarios/${scenario.theme.dir}`,
    runs_per_variation: o.runsPerVariation, max_parallel: MAX_PARALLEL,
    budget_limit: yamlFloat(budgetLimit), cost_per_run_limit: yamlFloat(costLimit),
    variations: [{ type: 'actor_model', actor: varied.shortName, values: models }],
    output_dir: BATCH_DIR,
  };
  sink(`${BATCH_DIR}.yaml`, YAML.stringify(config, YAML_OPTIONS));
  sink(`${BATCH_DIR}/batch-config.yaml`, YAML.stringify(config, { ...YAML_OPTIONS, sortMapEntries: true }));

  const variationStatistics: Record<string, unknown> = {};
  models.forEach((_, v) => {
    const entries = costed.filter((f) => f.job.variation === v + 1);
    if (entries.length === 0) return;
    const total = entries.reduce((s, f) => s + totalCost(f.record), 0);
    variationStatistics[String(v + 1)] = {
      total_cost: py(total), num_runs: entries.length, successful_runs: entries.filter((f) => f.job.status === 'success').length, avg_cost_per_run: py(total / entries.length),
    };
  });
  const succeeded = costed.filter((f) => f.job.status === 'success').length;
  const costSummary = {
    total_spent: py(totalSpent), budget_limit: py(budgetLimit), cost_per_run_limit: py(costLimit), remaining_budget: py(Math.max(0, budgetLimit - totalSpent)),
    runs_completed: succeeded, runs_failed: costed.length - succeeded, runs_budget_exceeded: failures.costLimit,
    avg_cost_per_run: succeeded > 0 ? py(totalSpent / succeeded) : null,
    duration_seconds: py((summaryEnd - summaryStart) / 1e6), start_time: isoformat(summaryStart), end_time: isoformat(summaryEnd),
  };
  const failedRuns = [
    ...finished.filter((f) => f.job.status !== 'success').map(({ job, record }) => ({
      run_id: job.folder,
      error: job.status === 'failed' ? 'Error code: 502 - upstream provider returned an invalid response' : `Run cost $${totalCost(record).toFixed(2)} exceeds limit $${costLimit.toFixed(2)}`,
      status: job.status,
    })),
    ...jobs.filter((j) => j.status === 'budget_exceeded').map((j) => ({ run_id: j.folder, error: null, status: j.status })),
  ];
  const completed = finished.filter((f) => f.job.status === 'success').map((f) => f.job.folder);
  sink(`${BATCH_DIR}/batch-state.json`, pyJson({
    experiment_name: config.experiment_name,
    // A Python set in the real runner: the order is arbitrary.
    completed_runs: rng.shuffle(jobs.filter((j) => completed.includes(j.folder)).map((j) => j.folder)),
    failed_runs: failedRuns,
    variations: models.map((model, v) => ({
      variation_id: v + 1, description: `${varied.shortName}=${model.split('/').pop()}`,
      modifications: { actor_models: { [varied.shortName]: model }, scenario_overrides: {} },
    })),
    start_time: isoformat(stateStart), end_time: isoformat(stateEnd),
  }));
  sink(`${BATCH_DIR}/batch-costs.json`, pyJson({ summary: costSummary, run_costs: runCosts, variation_statistics: variationStatistics }));
  sink(`${BATCH_DIR}/batch-summary.json`, pyJson({
    experiment_name: config.experiment_name, base_scenario: config.base_scenario, total_variations: models.length,
    runs_per_variation: o.runsPerVariation, total_runs_planned: totalRuns, runs_completed: completed.length, runs_failed: failedRuns.length,
    duration_seconds: py((stateEnd - stateStart) / 1e6), cost_summary: costSummary, failed_runs: failedRuns,
  }));
  return finished.map(({ job, record }) => ({ path: `${BATCH_DIR}/runs/${job.folder}`, record, batchStatus: job.status as BatchRunWritten['batchStatus'] }));
}

/**
 * Marks the budget-stopped runs (the last ones) and the failed ones (random among the rest);
 * returns how many runs the cost limit is to stop, chosen by cost once they have run.
 */
function planFailures(jobs: Job[], count: number, rng: Random): { costLimit: number; budget: number } {
  const statuses = Array.from({ length: Math.min(count, Math.max(0, jobs.length - 1)) }, (_, i) => FAILURE_CYCLE[i % FAILURE_CYCLE.length]);
  const budget = statuses.filter((s) => s === 'budget_exceeded').length;
  jobs.slice(jobs.length - budget).forEach((j) => (j.status = 'budget_exceeded'));
  const failed = statuses.filter((s) => s === 'failed').length;
  rng.shuffle(jobs.slice(0, jobs.length - budget)).slice(0, failed).forEach((j) => (j.status = 'failed'));
  return { costLimit: statuses.filter((s) => s === 'cost_limit_exceeded').length, budget };
}
