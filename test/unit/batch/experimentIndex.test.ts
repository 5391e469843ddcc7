/**
 * Batch experiments in the index and the analytics API: the sample workspace's batch, a batch made
 * by the sample generator with three variations, parallel runs sharing run ids and every kind of
 * failed run, checked against an independent SciPy computation from the run files; and the live
 * case, a batch whose files change between passes.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const SAMPLE_BATCH = 'experiments/regulatory-model-comparison';
const GENERATED_BATCH = 'experiments/model-comparison';
const ORACLE = path.join(REPO_ROOT, 'test', 'python', 'batch_statistics.py');

/** Writes a generated workspace: 3 variations x 4 runs, 4 failures (failed, cost limit, budget, failed). */
function generatedWorkspace(dir: string): void {
  generateSampleWorkspace({ runs: 0, turns: 3, actors: 3, scenarios: 1, seed: 'batch-test', batchRunsPerVariation: 4, batchVariations: 3, batchFailures: 4 }, (relative, content) => {
    fs.mkdirSync(path.join(dir, path.dirname(relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  });
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function scipyAvailable(): boolean {
  if (spawnSync('python3', ['-c', 'import scipy'], { encoding: 'utf8' }).status === 0) return true;
  // CI installs python3-scipy (scripts/vscode-host/install.sh); elsewhere the oracle check is skipped.
  if (process.env.CI) assert.fail('python3-scipy is required in CI');
  return false;
}

describe('batch experiments in the index', function () {
  this.timeout(60000);
  let dir: string;
  let index: ScenarioIndex;
  const roots = () => [{ name: 'ws', absPath: dir }];

  afterEach(async () => {
    await index?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the sample workspace', () => {
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-batch-'));
      fs.cpSync(FIXTURE, dir, { recursive: true });
      index = await openScenarioIndex(undefined);
      await index.index({ roots: roots() });
    });

    it('lists the experiment with its figures from the batch files', async () => {
      const [experiment, ...others] = await index.analytics.listExperiments();
      assert.equal(others.length, 0);
      assert.equal(experiment.experimentName, 'Regulatory negotiation - model comparison');
      assert.equal(experiment.folder, SAMPLE_BATCH);
      assert.equal(experiment.baseScenario, 'scenarios/ai-regulatory-negotiation');
      assert.equal(experiment.variationCount, 2);
      assert.equal(experiment.runsPlanned, 2);
      assert.equal(experiment.runsCompleted, 2);
      assert.equal(experiment.runsFailed, 0);
      assert.equal(experiment.totalCost, 0.06746979 + 0.04376212000000001);
      assert.equal(experiment.budgetLimit, 5);
      assert.equal(experiment.costPerRunLimit, 1);
    });

    it('gives each variation its run folder and the final value of a metric from that folder', async () => {
      const stats = (await index.analytics.variationStatistics('Regulatory negotiation - model comparison', { metric: 'regulatory_stringency' }))!;
      assert.deepEqual(stats.variations.map((v) => [v.variationId, v.description, v.runFolders]), [
        [1, 'us=gpt-4o', [`${SAMPLE_BATCH}/runs/var-001-run-001`]],
        [2, 'us=claude-3.5-haiku', [`${SAMPLE_BATCH}/runs/var-002-run-001`]],
      ]);
      for (const v of stats.variations) {
        // The final value straight from the run's files: its records at the highest turn, averaged.
        const folder = path.join(dir, v.runFolders[0]);
        const last = readJson(path.join(folder, 'scenario-state.json')).turn;
        const records = readJson(path.join(folder, 'scenario-state-v2.json')).metrics.filter((m: any) => m.name === 'regulatory_stringency' && m.turn <= last);
        const top = Math.max(...records.map((m: any) => m.turn));
        const atTop = records.filter((m: any) => m.turn === top).map((m: any) => m.value);
        const expected = atTop.reduce((s: number, x: number) => s + x, 0) / atTop.length;
        assert.deepEqual(v.final, { n: 1, mean: expected, sd: null, min: expected, max: expected, ci95Low: expected, ci95High: expected });
      }
      assert.deepEqual(stats.comparisons, [{
        variationId: 2, baselineVariationId: 1, meanDifference: stats.variations[1].final!.mean! - stats.variations[0].final!.mean!, welchT: null, pValue: null,
      }]);
    });

    it('finds the experiment by folder too, and nothing for an unknown one', async () => {
      assert.equal((await index.analytics.variationStatistics(`${SAMPLE_BATCH}/`))?.experimentName, 'Regulatory negotiation - model comparison');
      assert.equal(await index.analytics.variationStatistics('no such experiment'), undefined);
      // The folder's last part, as people type it; a part of a segment is no match.
      assert.equal((await index.analytics.variationStatistics('regulatory-model-comparison'))?.folder, SAMPLE_BATCH);
      assert.equal(await index.analytics.variationStatistics('model-comparison'), undefined);
    });

    it('derives the variations from the config when batch-state.json is missing, and drops the experiment when its files go', async () => {
      fs.rmSync(path.join(dir, SAMPLE_BATCH, 'batch-state.json'));
      await index.index({ roots: roots() });
      const stats = (await index.analytics.variationStatistics(SAMPLE_BATCH))!;
      assert.deepEqual(stats.variations.map((v) => [v.variationId, v.description, v.modifications, v.runsCompleted]), [
        [1, 'us=gpt-4o', { actor_models: { us: 'openai/gpt-4o' }, scenario_overrides: {} }, 0],
        [2, 'us=claude-3.5-haiku', { actor_models: { us: 'anthropic/claude-3.5-haiku' }, scenario_overrides: {} }, 0],
      ]);
      for (const file of ['batch-config.yaml', 'batch-costs.json', 'batch-summary.json']) fs.rmSync(path.join(dir, SAMPLE_BATCH, file));
      await index.index({ roots: roots() });
      assert.deepEqual(await index.analytics.listExperiments(), []);
    });

    it('records a broken batch file as a problem at its line and keeps the rest', async () => {
      fs.writeFileSync(path.join(dir, SAMPLE_BATCH, 'batch-costs.json'), '{\n  "run_costs": [\n    {"run_id": "var-001-run-001", "cost": }\n  ]\n}');
      await index.index({ roots: roots(), onlyFolders: [path.join(dir, SAMPLE_BATCH)] });
      const problems = (await index.analytics.listProblems()).filter((p) => p.file === `${SAMPLE_BATCH}/batch-costs.json`);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].line, 3);
      const [experiment] = await index.analytics.listExperiments();
      assert.equal(experiment.runsCompleted, 2, 'batch-state.json still counts');
      assert.equal(experiment.totalCost, 0);
    });
    it('leaves a NaN run cost out of the totals with a problem, and indexes the rest', async () => {
      const file = path.join(dir, SAMPLE_BATCH, 'batch-costs.json');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"cost": 0.06746979', '"cost": NaN'));
      await index.index({ roots: roots(), onlyFolders: [path.join(dir, SAMPLE_BATCH)] });
      const stats = (await index.analytics.variationStatistics(SAMPLE_BATCH))!;
      assert.deepEqual(stats.variations.map((v) => [v.totalCost, v.avgCostPerRun]), [[0, null], [0.04376212000000001, 0.04376212000000001]]);
      const problems = (await index.analytics.listProblems()).filter((p) => p.file === `${SAMPLE_BATCH}/batch-costs.json`);
      assert.match(problems[0].message, /NaN/);
      assert.equal(problems[0].line, 16, 'the line where the entry starts');
    });
  });

  describe('a generated batch with failed runs', () => {
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-batch-'));
      generatedWorkspace(dir);
      index = await openScenarioIndex(undefined);
      await index.index({ roots: roots() });
    });

    it('keeps every failed run with its batch status and maps runs that share a run id folder by folder', async () => {
      const state = readJson(path.join(dir, GENERATED_BATCH, 'batch-state.json'));
      const statuses = new Map<string, string>(state.failed_runs.map((f: any) => [f.run_id, f.status]));
      assert.deepEqual([...new Set(statuses.values())].sort(), ['budget_exceeded', 'cost_limit_exceeded', 'failed']);
      const stats = (await index.analytics.variationStatistics(GENERATED_BATCH, { metric: 'trust_level', includeFailed: true }))!;
      const runs = stats.variations.flatMap((v) => v.runs.map((r) => ({ ...r, variationId: v.variationId })));
      assert.equal(runs.length, 12);
      for (const r of runs) {
        assert.equal(r.variationId, Number(r.name.slice(4, 7)));
        assert.equal(r.batchStatus, state.completed_runs.includes(r.name) ? 'success' : statuses.get(r.name));
      }
      const budget = runs.find((r) => r.batchStatus === 'budget_exceeded')!;
      assert.equal(budget.hasFolder, false, 'refused before it started: no folder');
      assert.ok(!stats.variations.some((v) => v.runFolders.includes(budget.folder)));
      // In sequential mode the runner makes the folder before its budget check: an empty folder is still no run folder.
      fs.mkdirSync(path.join(dir, budget.folder));
      await index.index({ roots: roots() });
      const again = (await index.analytics.variationStatistics(GENERATED_BATCH))!;
      assert.equal(again.variations.flatMap((v) => v.runs).find((r) => r.name === budget.name)!.hasFolder, true);
      assert.ok(!again.variations.some((v) => v.runFolders.includes(budget.folder)));
      assert.ok(again.variations.some((v) => v.runs.some((r) => r.batchStatus === 'failed' && v.runFolders.includes(r.folder))), 'a failed run with files is one of its variation\'s run folders');
      // Parallel waves share run ids; each folder still has its own final value.
      const byRunId = new Map<string, typeof runs>();
      for (const r of runs.filter((x) => x.runId)) byRunId.set(r.runId!, [...(byRunId.get(r.runId!) ?? []), r]);
      const shared = [...byRunId.values()].filter((group) => group.length > 1);
      assert.ok(shared.length >= 2, 'several run ids are shared');
      for (const group of shared) for (const r of group) assert.notEqual(r.finalValue, null, r.folder);
      const [experiment] = await index.analytics.listExperiments();
      assert.equal(experiment.runsPlanned, 12);
      assert.equal(experiment.runsCompleted, state.completed_runs.length);
      assert.equal(experiment.runsFailed, state.failed_runs.length);
      assert.equal(experiment.runsCompleted + experiment.runsFailed, 12);
    });

    for (const includeFailed of [false, true]) {
      it(`matches SciPy computed from the run files${includeFailed ? ' (--include-failed)' : ''}`, async function () {
        if (!scipyAvailable()) this.skip();
        const args = [ORACLE, path.join(dir, GENERATED_BATCH), GENERATED_BATCH, 'cooperation_level', ...(includeFailed ? ['--include-failed'] : [])];
        const oracle = JSON.parse(spawnSync('python3', args, { encoding: 'utf8' }).stdout);
        const stats = (await index.analytics.variationStatistics(GENERATED_BATCH, { metric: 'cooperation_level', includeFailed }))!;
        assert.equal(stats.variations.length, oracle.variations.length);
        stats.variations.forEach((v, i) => {
          const o = oracle.variations[i];
          assert.deepEqual(v.runFolders, o.run_folders);
          assert.equal(v.runsCompleted, o.runs_completed);
          assert.equal(v.runsFailed, o.runs_failed);
          close(v.totalCost, o.total_cost);
          close(v.avgCostPerRun, o.avg_cost_per_run);
          const f = v.final!;
          assert.equal(f.n, o.final.n);
          for (const [ours, theirs] of [[f.mean, o.final.mean], [f.sd, o.final.sd], [f.min, o.final.min], [f.max, o.final.max], [f.ci95Low, o.final.ci95_low], [f.ci95High, o.final.ci95_high]]) close(ours, theirs);
        });
        stats.comparisons!.forEach((c, i) => {
          const o = oracle.comparisons[i];
          assert.equal(c.variationId, o.variation_id);
          assert.equal(c.baselineVariationId, 1);
          close(c.meanDifference, o.mean_difference);
          close(c.welchT, o.welch_t);
          close(c.pValue, o.p_value);
        });
        if (!includeFailed) assert.ok(stats.variations.some((v) => v.final!.n < v.runs.length), 'failed runs are left out');
      });
    }

    it('follows a running batch: a watcher pass picks up a new run folder and a rewritten batch-state.json', async () => {
      const batchDir = path.join(dir, GENERATED_BATCH);
      const state = readJson(path.join(batchDir, 'batch-state.json'));
      const budget = state.failed_runs.find((f: any) => f.status === 'budget_exceeded').run_id as string;
      // The budget-stopped run is re-run (a resumed batch): its folder appears, then the state lists it as completed.
      fs.cpSync(path.join(batchDir, 'runs', state.completed_runs[0]), path.join(batchDir, 'runs', budget), { recursive: true });
      await index.index({ roots: roots(), onlyFolders: [path.join(batchDir, 'runs', budget)] });
      let run = (await index.analytics.variationStatistics(GENERATED_BATCH))!.variations.flatMap((v) => v.runs).find((r) => r.name === budget)!;
      assert.equal(run.hasFolder, true);
      assert.equal(run.runId !== null, true, 'the new folder is indexed as a run');
      assert.equal(run.batchStatus, 'budget_exceeded');
      state.completed_runs.push(budget);
      fs.writeFileSync(path.join(batchDir, 'batch-state.json'), JSON.stringify(state, null, 2));
      await index.index({ roots: roots(), onlyFolders: [batchDir] });
      run = (await index.analytics.variationStatistics(GENERATED_BATCH))!.variations.flatMap((v) => v.runs).find((r) => r.name === budget)!;
      assert.equal(run.batchStatus, 'success');
      const [experiment] = await index.analytics.listExperiments();
      assert.equal(experiment.runsCompleted, state.completed_runs.length);
    });

    it('filters run folders by final metric values and cost, with the condition parsed, never spliced into SQL', async () => {
      const all = await index.analytics.filterRuns({ experiment: GENERATED_BATCH });
      const threshold = [...all.map((r) => r.totalCost ?? 0)].sort((a, b) => a - b)[5];
      const stats = (await index.analytics.variationStatistics(GENERATED_BATCH, { metric: 'cooperation_level', includeFailed: true }))!;
      const values = new Map(stats.variations.flatMap((v) => v.runs.map((r) => [r.folder, r.finalValue])));
      const found = await index.analytics.filterRuns({ experiment: GENERATED_BATCH, conditions: [{ metric: 'cooperation_level', operator: '>=', value: 5 }], maxCost: threshold });
      const expected = all.filter((r) => (r.totalCost ?? Infinity) <= threshold && (values.get(r.folder) ?? -Infinity) >= 5).map((r) => r.folder);
      assert.deepEqual(found.map((r) => r.folder), expected);
      assert.ok(found.every((r) => r.metrics.cooperation_level! >= 5));
      const injected = await index.analytics.filterRuns({ conditions: [{ metric: "x' OR 1=1 --", operator: '>', value: -1 }] });
      assert.deepEqual(injected, []);
    });
  });
});

function close(ours: number | null | undefined, theirs: number | null | undefined): void {
  if (theirs === null || theirs === undefined) return assert.equal(ours ?? null, null);
  assert.ok(ours !== null && ours !== undefined && Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs)), `${ours} vs ${theirs}`);
}
