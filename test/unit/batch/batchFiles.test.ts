/**
 * The batch files of docs/format.md#batches as data: the config's Cartesian product of variations (numbered and
 * described as Scenario Lab's ParameterVariator does), the state/costs files, and folder names.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBatchConfig } from '../../../src/core/format/batchConfig';
import { parseBatchCosts, parseBatchRunName, parseBatchState } from '../../../src/core/format/batchFiles';
import { REPO_ROOT } from '../helpers/paths';

const BATCH = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small', 'experiments', 'regulatory-model-comparison');

describe('batch files', () => {
  it('derives the same variations from the sample config as batch-state.json holds', () => {
    const config = parseBatchConfig(fs.readFileSync(path.join(BATCH, 'batch-config.yaml'), 'utf8'), 'batch-config.yaml');
    const state = parseBatchState(fs.readFileSync(path.join(BATCH, 'batch-state.json'), 'utf8'), 'batch-state.json');
    assert.deepEqual(config.problems, []);
    assert.deepEqual(config.value!.variations, state.value!.variations);
    assert.equal(config.value!.experimentName, 'Regulatory negotiation - model comparison');
    assert.equal(config.value!.runsPerVariation, 1);
    assert.equal(config.value!.budgetLimit, 5);
  });

  it('takes the Cartesian product in itertools order, with Python str() of each value', () => {
    const yaml = [
      'experiment_name: sweep',
      'base_scenario: scenarios/x',
      'output_dir: experiments/sweep',
      'runs_per_variation: 3',
      'variations:',
      '- type: actor_model',
      '  actor: us',
      '  values: [openai/gpt-4o, local-model]',
      '- type: scenario_parameter',
      '  parameter: temperature',
      '  values: [0.5, 1.0, 2]',
      '- type: something_else',
      '  values: [a, b]',
      '- type: scenario_parameter',
      '  parameter: strict',
      '  values: [true]',
    ].join('\n');
    const { value, problems } = parseBatchConfig(yaml, 'experiments/sweep.yaml');
    assert.deepEqual(problems, []);
    assert.equal(value!.runsPerVariation, 3);
    assert.deepEqual(
      value!.variations.map((v) => [v.variationId, v.description]),
      [
        [1, 'us=gpt-4o, temperature=0.5, strict=True'],
        [2, 'us=gpt-4o, temperature=1.0, strict=True'],
        [3, 'us=gpt-4o, temperature=2, strict=True'],
        [4, 'us=local-model, temperature=0.5, strict=True'],
        [5, 'us=local-model, temperature=1.0, strict=True'],
        [6, 'us=local-model, temperature=2, strict=True'],
      ],
    );
    assert.deepEqual(value!.variations[4].modifications, { actor_models: { us: 'local-model' }, scenario_overrides: { temperature: 1, strict: true } });
  });

  it('reads the dict form and a config without variations', () => {
    const dict = parseBatchConfig('experiment_name: d\nvariations:\n  actor_models:\n    us: [a/m1, m2]\n    eu: [m3]\n', 'c.yaml').value!;
    assert.deepEqual(dict.variations.map((v) => v.description), ['us=m1, eu=m3', 'us=m2, eu=m3']);
    const none = parseBatchConfig('experiment_name: base\n', 'c.yaml').value!;
    assert.deepEqual(none.variations, [{ variationId: 1, description: 'Base configuration', modifications: {} }]);
    assert.equal(none.runsPerVariation, 1, "Scenario Lab's default");
  });

  it('reports a broken state file at its line and skips unusable entries with a warning', () => {
    const broken = parseBatchState('{\n  "completed_runs": [\n    "var-001-run-001",\n  ]\n}', 'exp/batch-state.json');
    assert.equal(broken.value, undefined);
    assert.equal(broken.problems[0].file, 'exp/batch-state.json');
    assert.equal(broken.problems[0].line, 4);
    const partial = parseBatchState('{"completed_runs": ["var-001-run-001"],\n "failed_runs": [\n  {"error": "x"},\n  {"run_id": "var-002-run-001", "status": "budget_exceeded", "error": null}]}', 'exp/batch-state.json');
    assert.deepEqual(partial.value!.failedRuns, [{ runName: 'var-002-run-001', status: 'budget_exceeded', error: null }]);
    assert.equal(partial.problems.length, 1);
    assert.equal(partial.problems[0].line, 3);
    assert.match(partial.problems[0].message, /failed run 1 has no "run_id"/);
  });

  it('reads run costs and names batch runs by folder', () => {
    const costs = parseBatchCosts(fs.readFileSync(path.join(BATCH, 'batch-costs.json'), 'utf8'), 'batch-costs.json').value!;
    assert.deepEqual(costs.runCosts.map((c) => [c.runName, c.variationId, c.cost, c.success]), [
      ['var-001-run-001', 1, 0.06746979, true],
      ['var-002-run-001', 2, 0.04376212000000001, true],
    ]);
    assert.deepEqual(parseBatchRunName('var-012-run-003'), { variationId: 12, runNumber: 3 });
    assert.deepEqual(parseBatchRunName('var-001-run-1000'), { variationId: 1, runNumber: 1000 });
    assert.equal(parseBatchRunName('run-001'), undefined);
  });
});
