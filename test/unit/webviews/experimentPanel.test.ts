/**
 * The Experiment panel's host side (PanelController with an `experiment` selection) against real
 * indexes: the sample workspace's batch and a generated 3 × 12 batch with two failed runs. The
 * snapshot carries what `variations --metric --json` answers, run points open the world state
 * of their final turn, the CSV is one row per variation, and malformed requests are dropped.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { variationsJson } from '../../../src/cli/experimentCommands';
import type { SourceLocation } from '../../../src/core/analytics/types';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { PanelController, type SaveRequest } from '../../../src/extension/webviews/panelController';
import { parseWebviewMessage } from '../../../src/extension/webviews/validateMessage';
import type { ExperimentSelection, ExperimentSnapshot, HostMessage } from '../../../src/protocol/messages';
import { BATCH36 as GENERATED_BATCH, writeBatch36 } from '../helpers/batch36';
import { indexSampleWorkspace } from './sampleIndex';

const SAMPLE_BATCH = 'experiments/regulatory-model-comparison';

async function openPanel(index: ScenarioIndex, selection: ExperimentSelection) {
  const posted: HostMessage[] = [];
  const opened: SourceLocation[] = [];
  const saved: SaveRequest[] = [];
  const controller = new PanelController(index.analytics, selection, {
    post: (m) => void posted.push(m),
    openSource: async (l) => void opened.push(l),
    save: async (r) => {
      saved.push(r);
      return `/tmp/${r.defaultName}`;
    },
    selectionChanged: () => undefined,
  });
  await controller.handle({ type: 'ready' });
  const snapshot = () => {
    const last = [...posted].reverse().find((m) => m.type === 'snapshot');
    assert.ok(last?.type === 'snapshot');
    return last.snapshot as ExperimentSnapshot;
  };
  const request = async (requestId: number, request: unknown) => {
    await controller.handle({ type: 'request', requestId, request });
    return posted.find((m) => m.type === 'response' && m.requestId === requestId);
  };
  return { controller, posted, opened, saved, snapshot, request };
}

describe('experiment panel: host side', function () {
  this.timeout(60000);

  describe('the sample workspace batch', () => {
    let index: ScenarioIndex;
    before(async () => (index = await indexSampleWorkspace()));
    after(async () => index.close());

    it('shows the first metric with data by default, and says so when the experiment is gone', async () => {
      const { snapshot } = await openPanel(index, { panel: 'experiment', experiment: SAMPLE_BATCH });
      const s = snapshot();
      assert.equal(s.found, true);
      assert.equal(s.title, 'Experiment: Regulatory negotiation - model comparison');
      assert.deepEqual(s.metrics, await index.analytics.experimentMetricNames(SAMPLE_BATCH));
      assert.equal(s.metric, s.metrics[0]);
      assert.deepEqual(s.variations.map((v) => [v.variationId, v.description, v.runs.length]), [[1, 'us=gpt-4o', 1], [2, 'us=claude-3.5-haiku', 1]]);
      const gone = (await openPanel(index, { panel: 'experiment', experiment: 'experiments/none' })).snapshot();
      assert.equal(gone.found, false);
      assert.deepEqual(gone.variations, []);
    });
  });

  describe('a generated 3 × 12 batch with two failed runs', () => {
    let dir: string;
    let index: ScenarioIndex;
    before(async () => {
      dir = writeBatch36('sl-exp-panel-');
      index = await openScenarioIndex(undefined);
      await index.index({ roots: [{ name: 'ws', absPath: dir }] });
    });
    after(async () => {
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const includeFailed of [false, true]) {
      it(`carries the figures of variations --metric --json${includeFailed ? ' --include-failed' : ''}`, async () => {
        const { snapshot } = await openPanel(index, { panel: 'experiment', experiment: GENERATED_BATCH, metric: 'trust_level', includeFailed });
        const s = snapshot();
        const cli = variationsJson((await index.analytics.variationStatistics(GENERATED_BATCH, { metric: 'trust_level', includeFailed }))!);
        assert.equal(s.metric, 'trust_level');
        assert.deepEqual(
          s.variations.map((v) => ({ id: v.variationId, n: v.final.n, mean: v.final.mean, sd: v.final.sd, low: v.final.ci95Low, high: v.final.ci95High, cost: v.totalCost, avg: v.avgCostPerRun, done: v.runsCompleted, failed: v.runsFailed })),
          cli.variations.map((v) => ({ id: v.variation_id, n: v.final!.n, mean: v.final!.mean, sd: v.final!.sd, low: v.final!.ci95_low, high: v.final!.ci95_high, cost: v.total_cost, avg: v.avg_cost_per_run, done: v.runs_completed, failed: v.runs_failed })),
        );
        assert.deepEqual(
          s.comparisons.map((c) => [c.variationId, c.meanDifference, c.welchT, c.pValue]),
          cli.comparisons!.map((c) => [c.variation_id, c.mean_difference, c.welch_t, c.p_value]),
        );
        // Points: every run with a value; hollow (not in the statistics) exactly the failed ones unless included.
        for (const v of s.variations) {
          assert.equal(v.runs.filter((r) => r.inStatistics).length, v.final.n);
          for (const r of v.runs) assert.equal(r.inStatistics, includeFailed || r.batchStatus === 'success', r.name);
        }
        assert.equal(s.variations.flatMap((v) => v.runs).filter((r) => !r.inStatistics).length, includeFailed ? 0 : s.variations.flatMap((v) => v.runs).filter((r) => r.batchStatus !== 'success').length);
        assert.deepEqual(s.variations.map((v) => v.evolution), (await index.analytics.variationEvolution(GENERATED_BATCH, 'trust_level', { includeFailed })).map((e) => e.distribution));
      });
    }

    it('opens a run point\'s world state at the turn of its final value, and only tokens it handed out', async () => {
      const { snapshot, request, opened } = await openPanel(index, { panel: 'experiment', experiment: GENERATED_BATCH, metric: 'trust_level' });
      const run = snapshot().variations[2].runs[5];
      const folder = `${GENERATED_BATCH}/runs/${run.name}`;
      const response = await request(1, { kind: 'openSource', token: run.source!.token });
      assert.ok(response?.type === 'response' && response.ok);
      assert.deepEqual(opened, [await index.analytics.worldStateSource(folder, run.turn)]);
      assert.ok(opened[0].file.startsWith(`${folder}/world-state-`));
      const forged = await request(2, { kind: 'openSource', token: 's999999' });
      assert.ok(forged?.type === 'response' && !forged.ok);
      assert.equal(opened.length, 1);
    });

    it('exports one CSV row per variation and the charts under their names; drops malformed requests', async () => {
      const { snapshot, request, saved } = await openPanel(index, { panel: 'experiment', experiment: GENERATED_BATCH, metric: 'trust_level' });
      await request(1, { kind: 'exportCsv' });
      assert.equal(saved[0].defaultName, 'experiment-model-comparison-trust_level.csv');
      // Read back by Python's csv module: an independent reader of the file a spreadsheet would open.
      const read = spawnSync('python3', ['-c', 'import csv, json, sys; print(json.dumps(list(csv.DictReader(sys.stdin))))'], { input: saved[0].content as string, encoding: 'utf8' });
      const rows = JSON.parse(read.stdout) as Array<Record<string, string>>;
      const s = snapshot();
      assert.deepEqual(rows.map((r) => Number(r.variation_id)), [1, 2, 3]);
      rows.forEach((r, i) => {
        assert.equal(Number(r.mean), s.variations[i].final.mean);
        assert.equal(Number(r.total_cost), s.variations[i].totalCost);
      });
      assert.equal(rows[0].p_value, '', 'variation 1 is the baseline');
      for (const [i, r] of rows.slice(1).entries()) {
        assert.equal(Number(r.p_value), s.comparisons[i].pValue);
        assert.equal(r['p_below_0.05'], s.comparisons[i].pValue! < 0.05 ? 'yes' : 'no');
      }
      await request(2, { kind: 'exportChart', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"/>', chart: 'final-values' });
      assert.equal(saved[1].defaultName, 'experiment-model-comparison-trust_level-final-values.svg');
      assert.equal(parseWebviewMessage({ type: 'request', requestId: 3, request: { kind: 'exportChart', format: 'svg', data: '', chart: '../x' } }), undefined);
      assert.equal(parseWebviewMessage({ type: 'request', requestId: 4, request: { kind: 'select', selection: { panel: 'experiment', experiment: GENERATED_BATCH, includeFailed: 'yes' } } }), undefined);
      const other = await request(5, { kind: 'select', selection: { panel: 'runStatistics', runId: 'x' } });
      assert.ok(other?.type === 'response' && !other.ok, 'a selection of another kind of panel is refused');
    });
  });
});
