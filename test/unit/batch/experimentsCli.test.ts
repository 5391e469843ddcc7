/**
 * The batch commands of the bundled `scenario-lab` CLI end to end (spawned as a user runs it):
 * the exact JSON contract of `experiments` and `variations`, `runs --where/--max-cost`, the
 * readable tables and the exit codes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import { runCli as cli, CLI } from '../helpers/processes';

const BATCH = 'experiments/model-comparison';


describe('scenario-lab experiments / variations / runs --where', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-batch-cli-'));
    const ws = path.join(dir, 'ws');
    generateSampleWorkspace({ runs: 2, turns: 3, actors: 3, scenarios: 1, seed: 'cli', batchRunsPerVariation: 3, batchVariations: 3, batchFailures: 3 }, (relative, content) => {
      fs.mkdirSync(path.join(ws, path.dirname(relative)), { recursive: true });
      fs.writeFileSync(path.join(ws, relative), content);
    });
    db = path.join(dir, 'index.db');
    const indexed = cli('index', ws, '--db', db);
    assert.equal(indexed.code, 0, indexed.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('experiments --json: one object per experiment with exactly the contract\'s fields', () => {
    const result = cli('experiments', '--db', db, '--json');
    assert.equal(result.code, 0, result.stderr);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'ws', BATCH, 'batch-state.json'), 'utf8'));
    const costs = JSON.parse(fs.readFileSync(path.join(dir, 'ws', BATCH, 'batch-costs.json'), 'utf8'));
    const [experiment, ...rest] = JSON.parse(result.stdout);
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(experiment), ['experiment_name', 'folder', 'base_scenario', 'variation_count', 'runs_planned', 'runs_completed', 'runs_failed', 'total_cost']);
    const perVariation = [1, 2, 3].map((v) => costs.run_costs.filter((c: any) => c.variation_id === v).reduce((s: number, c: any) => s + c.cost, 0));
    assert.deepEqual({ ...experiment, total_cost: undefined }, {
      experiment_name: state.experiment_name, folder: BATCH, base_scenario: 'scenarios/ai-summit', variation_count: 3, runs_planned: 9,
      runs_completed: state.completed_runs.length, runs_failed: state.failed_runs.length, total_cost: undefined,
    });
    assert.ok(Math.abs(experiment.total_cost - perVariation.reduce((s, c) => s + c, 0)) < 1e-12);
  });

  it('variations --metric --json: the contract\'s shape, nulls where undefined, workspace-relative folders', () => {
    const result = cli('variations', BATCH, '--metric', 'trust_level', '--db', db, '--json');
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(out), ['experiment_name', 'folder', 'metric', 'variations', 'comparisons']);
    assert.equal(out.metric, 'trust_level');
    assert.equal(out.variations.length, 3);
    for (const v of out.variations) {
      assert.deepEqual(Object.keys(v), ['variation_id', 'description', 'modifications', 'run_folders', 'runs_completed', 'runs_failed', 'total_cost', 'avg_cost_per_run', 'final']);
      assert.deepEqual(Object.keys(v.final), ['n', 'mean', 'sd', 'min', 'max', 'ci95_low', 'ci95_high']);
      for (const folder of v.run_folders) assert.match(folder, new RegExp(`^${BATCH}/runs/var-00${v.variation_id}-run-00\\d$`));
      assert.ok(v.final.n <= v.runs_completed);
      if (v.final.n < 2) assert.equal(v.final.sd, null);
      else assert.ok(v.final.ci95_low <= v.final.mean && v.final.mean <= v.final.ci95_high);
    }
    assert.deepEqual(out.comparisons.map((c: any) => [c.variation_id, c.baseline_variation_id]), [[2, 1], [3, 1]]);
    for (const c of out.comparisons) assert.deepEqual(Object.keys(c), ['variation_id', 'baseline_variation_id', 'mean_difference', 'welch_t', 'p_value']);
    const withFailed = JSON.parse(cli('variations', BATCH, '--metric', 'trust_level', '--include-failed', '--db', db, '--json').stdout);
    const n = (x: any) => x.variations.reduce((s: number, v: any) => s + v.final.n, 0);
    assert.ok(n(withFailed) > n(out), 'failed runs with folders join the statistics');
  });

  it('variations without --metric has neither final nor comparisons; by experiment name too', () => {
    const name = JSON.parse(cli('experiments', '--db', db, '--json').stdout)[0].experiment_name;
    const out = JSON.parse(cli('variations', name, '--db', db, '--json').stdout);
    assert.deepEqual(Object.keys(out), ['experiment_name', 'folder', 'metric', 'variations']);
    assert.equal(out.metric, null);
    assert.ok(out.variations.every((v: any) => !('final' in v)));
  });

  it('prints readable tables', () => {
    const experiments = cli('experiments', '--db', db);
    assert.match(experiments.stdout, /^experiment\s+folder\s+base scenario\s+variations\s+planned\s+completed\s+failed\s+cost\n/);
    assert.match(experiments.stdout, /\$\d+\.\d{4}\n/, 'the cost column reads $0.0000');
    const variations = cli('variations', BATCH, '--metric', 'trust_level', '--db', db);
    assert.match(variations.stdout, /variation\s+description\s+completed\s+failed\s+cost\s+avg cost\s+n\s+mean\s+sd\s+ci95 low\s+ci95 high/);
    assert.match(variations.stdout, /trust_level: each variation against variation 1 \(Welch's t-test\)/);
  });

  it('runs --where --max-cost lists the run folders that meet every threshold', () => {
    const all = JSON.parse(cli('runs', '--experiment', BATCH, '--db', db, '--json').stdout);
    assert.equal(all.length, 8, 'every batch run folder with a run (the budget-stopped run has none)');
    const maxCost = all.map((r: any) => r.total_cost).sort((a: number, b: number) => a - b)[4];
    const result = cli('runs', '--where', 'trust_level>=4', '--where', 'cooperation_level > 0', '--max-cost', String(maxCost), '--db', db, '--json');
    assert.equal(result.code, 0, result.stderr);
    const found = JSON.parse(result.stdout);
    assert.ok(found.length > 0);
    for (const r of found) {
      assert.ok(r.total_cost <= maxCost);
      assert.ok(r.metrics.trust_level >= 4 && r.metrics.cooperation_level > 0);
    }
    assert.ok(found.some((r: any) => r.folder.startsWith('output/')), 'runs outside the batch count too without --experiment');
  });

  it('exits 1 for an unknown experiment and 2 for a bad condition or argument', () => {
    const unknown = cli('variations', 'nope', '--db', db, '--json');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no experiment named nope/);
    assert.equal(unknown.stdout, '');
    const bad = cli('runs', '--where', 'trust_level >> 3', '--db', db);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a condition like cooperation_level>=0.7/);
    assert.equal(cli('runs', '--max-cost', 'cheap', '--db', db).code, 2);
    assert.equal(cli('variations', '--db', db).code, 2);
  });
});
