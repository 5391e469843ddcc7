/**
 * Costs that add up: world_update and qa_validation costs (actor null) are in a run's total but in
 * no row of Scenario Lab's costs table; every breakdown shows them as "other / not itemised", so
 * each breakdown sums to the total, while cost_by_phase itself stays Scenario Lab's answer.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioIndex } from '../../../src/core/scenarioIndex';
import { SAMPLE_WORKSPACE_SMALL as WORKSPACE, savedSampleIndex, type SavedSampleIndex } from '../helpers/savedSampleIndex';
import { REPO_ROOT } from '../helpers/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const RUN = 'output/ai-summit/run-002';
const RUN_ID = 'run-20251124-094755';

describe('cost breakdowns that add up', function () {
  this.timeout(60000);
  let sample: SavedSampleIndex;
  let index: ScenarioIndex;
  let db: string;

  before(async () => {
    sample = await savedSampleIndex();
    ({ index, db } = sample);
  });
  after(async () => sample.dispose());

  it('gives every run breakdowns by phase, actor and model that each sum to its total', async () => {
    for (const run of await index.analytics.listRuns()) {
      const s = (await index.analytics.getRunStatistics(run.id))!;
      for (const parts of [s.costByPhase, s.costByActor, s.costByModel]) {
        const sum = parts.reduce((n, c) => n + c.total, 0) + s.notItemisedCost;
        assert.ok(Math.abs(sum - s.totalCost) < 1e-9, `${run.id}: ${sum} vs ${s.totalCost}`);
      }
    }
  });

  it('is exactly the run\'s null-actor (world_update, qa_validation) records in costs.json', async () => {
    const costs = JSON.parse(fs.readFileSync(path.join(WORKSPACE, RUN, 'costs.json'), 'utf8')) as { records: Array<{ actor: string | null; phase: string; cost: number }> };
    const withoutActor = costs.records.filter((r) => r.actor === null);
    assert.ok(withoutActor.some((r) => r.phase === 'world_update'));
    const expected = withoutActor.reduce((n, r) => n + r.cost, 0);
    const s = (await index.analytics.getRunStatistics(RUN_ID))!;
    assert.ok(Math.abs(s.notItemisedCost - expected) < 1e-9, `${s.notItemisedCost} vs ${expected}`);
    assert.ok(!s.costByPhase.some((c) => c.phase === 'world_update'), 'cost_by_phase stays Scenario Lab\'s');
  });

  it('prints the line in stats tables and --json', () => {
    const table = spawnSync(process.execPath, [CLI, 'stats', RUN_ID, '--db', db], { encoding: 'utf8' });
    assert.equal(table.status, 0, table.stderr);
    assert.equal((table.stdout.match(/^other \/ not itemised\s+\S/gm) ?? []).length, 3, table.stdout);
    const json = JSON.parse(spawnSync(process.execPath, [CLI, 'stats', RUN_ID, '--json', '--db', db], { encoding: 'utf8' }).stdout) as {
      total_cost: number;
      cost_by_phase: Array<{ total: number }>;
      cost_not_itemised: number;
    };
    const sum = json.cost_by_phase.reduce((n, c) => n + c.total, 0) + json.cost_not_itemised;
    assert.ok(json.cost_not_itemised > 0 && Math.abs(sum - json.total_cost) < 1e-9);
  });
});
