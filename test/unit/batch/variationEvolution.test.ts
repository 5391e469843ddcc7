/**
 * The Experiment panel's analytics: an experiment's metric names, each variation's distribution of
 * a metric turn by turn, the turn of each run's final value, and a run folder's world state of a
 * turn. Checked against figures computed here straight from the run files (type-7 quantiles by
 * hand), on the sample workspace's batch and on a generated 3-variation × 12-run batch with two
 * failed runs (the shape of the timing target).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { BATCH36 as GENERATED_BATCH, writeBatch36 } from '../helpers/batch36';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const SAMPLE_BATCH = 'experiments/regulatory-model-comparison';

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A run folder's values of a metric per turn, from its files: records up to the run's last turn, averaged per turn. */
function valuesFromFiles(folder: string, metric: string): Map<number, number> {
  const last = readJson(path.join(folder, 'scenario-state.json')).turn;
  const byTurn = new Map<number, number[]>();
  for (const m of readJson(path.join(folder, 'scenario-state-v2.json')).metrics) {
    if (m.name !== metric || m.turn > last) continue;
    byTurn.set(m.turn, [...(byTurn.get(m.turn) ?? []), m.value]);
  }
  return new Map([...byTurn].map(([turn, values]) => [turn, values.reduce((s, v) => s + v, 0) / values.length]));
}

/** numpy.percentile's default (R type 7), written out independently of the code under test. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

describe('experiment panel analytics', function () {
  this.timeout(60000);
  let dir: string;
  let index: ScenarioIndex;
  const roots = () => [{ name: 'ws', absPath: dir }];

  afterEach(async () => {
    await index?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the sample workspace batch', () => {
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-evolution-'));
      fs.cpSync(FIXTURE, dir, { recursive: true });
      index = await openScenarioIndex(undefined);
      await index.index({ roots: roots() });
    });

    it('lists the metrics its runs recorded, and none for an unknown experiment', async () => {
      const fromFiles = new Set<string>();
      for (const run of fs.readdirSync(path.join(dir, SAMPLE_BATCH, 'runs'))) {
        for (const m of readJson(path.join(dir, SAMPLE_BATCH, 'runs', run, 'scenario-state-v2.json')).metrics) fromFiles.add(m.name);
      }
      assert.deepEqual(await index.analytics.experimentMetricNames(SAMPLE_BATCH), [...fromFiles].sort());
      assert.deepEqual(await index.analytics.experimentMetricNames('experiments/none'), []);
    });

    it('gives each variation the turn-by-turn values of its single run (every quantile equal)', async () => {
      const evolution = await index.analytics.variationEvolution(SAMPLE_BATCH, 'regulatory_stringency');
      assert.deepEqual(evolution.map((e) => e.variationId), [1, 2]);
      for (const e of evolution) {
        const expected = valuesFromFiles(path.join(dir, SAMPLE_BATCH, 'runs', `var-00${e.variationId}-run-001`), 'regulatory_stringency');
        assert.deepEqual(e.distribution.map((d) => d.turn), [...expected.keys()].sort((a, b) => a - b));
        for (const d of e.distribution) {
          assert.equal(d.runs, 1);
          for (const q of [d.p25, d.median, d.p75, d.mean]) close(q, expected.get(d.turn)!);
        }
      }
    });

    it('opens the world state of a run folder at a turn, and nothing for a turn the run does not have', async () => {
      const folder = `${SAMPLE_BATCH}/runs/var-002-run-001`;
      const source = (await index.analytics.worldStateSource(folder, 2))!;
      // The state after turn t is formatted into world-state-{t-1} (docs/format.md#world-state, the off-by-one).
      assert.equal(source.file, `${folder}/world-state-001.md`);
      const run = (await index.analytics.getRunByFolder(folder))!;
      assert.deepEqual(source, (await index.analytics.listTurns(run.id)).find((t) => t.turnNum === 2)!.source);
      const lines = fs.readFileSync(path.join(dir, source.file), 'utf8').split('\n');
      assert.ok(source.startLine >= 1 && source.focusLine <= lines.length);
      assert.equal(await index.analytics.worldStateSource(folder, 99), undefined);
      assert.equal(await index.analytics.worldStateSource('experiments/none/runs/var-001-run-001', 1), undefined);
    });
  });

  describe('a generated 3 × 12 batch with two failed runs', () => {
    let state: any;
    beforeEach(async () => {
      dir = writeBatch36('sl-evolution-');
      state = readJson(path.join(dir, GENERATED_BATCH, 'batch-state.json'));
      index = await openScenarioIndex(undefined);
      await index.index({ roots: roots() });
    });

    for (const includeFailed of [false, true]) {
      it(`gives each variation the median and inter-quartile range of its ${includeFailed ? 'runs (failed ones too)' : 'completed runs'} per turn`, async () => {
        assert.equal(state.failed_runs.length, 2);
        const failed = new Set<string>(state.failed_runs.map((f: any) => f.run_id));
        const evolution = await index.analytics.variationEvolution(GENERATED_BATCH, 'trust_level', { includeFailed });
        assert.deepEqual(evolution.map((e) => e.variationId), [1, 2, 3]);
        let counted = 0;
        for (const e of evolution) {
          const runsDir = path.join(dir, GENERATED_BATCH, 'runs');
          const folders = fs.readdirSync(runsDir).filter((name) => name.startsWith(`var-00${e.variationId}-`) && (includeFailed || !failed.has(name)));
          const series = folders.filter((name) => fs.existsSync(path.join(runsDir, name, 'scenario-state-v2.json'))).map((name) => valuesFromFiles(path.join(runsDir, name), 'trust_level'));
          const turns = [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
          assert.deepEqual(e.distribution.map((d) => d.turn), turns);
          for (const d of e.distribution) {
            const values = series.flatMap((s) => (s.has(d.turn) ? [s.get(d.turn)!] : []));
            assert.equal(d.runs, values.length);
            close(d.median, percentile(values, 0.5));
            close(d.p25, percentile(values, 0.25));
            close(d.p75, percentile(values, 0.75));
            close(d.mean, values.reduce((s, v) => s + v, 0) / values.length);
          }
          counted += Math.max(0, ...e.distribution.map((d) => d.runs));
        }
        // The failed runs that have files count only with includeFailed.
        const failedWithFiles = [...failed].filter((name) => fs.existsSync(path.join(dir, GENERATED_BATCH, 'runs', name, 'scenario-state-v2.json'))).length;
        assert.equal(counted, state.completed_runs.length + (includeFailed ? failedWithFiles : 0));
      });
    }

    it('records the turn of each run\'s final value, where its world state is', async () => {
      const stats = (await index.analytics.variationStatistics(GENERATED_BATCH, { metric: 'trust_level', includeFailed: true }))!;
      const runs = stats.variations.flatMap((v) => v.runs).filter((r) => r.finalValue !== null);
      assert.ok(runs.length >= 34);
      const shared = new Set((await index.analytics.runIdClashes()).map((c) => c.runId));
      for (const r of runs) {
        const values = valuesFromFiles(path.join(dir, r.folder), 'trust_level');
        const top = Math.max(...values.keys());
        assert.equal(r.finalTurn, top, r.folder);
        close(r.finalValue!, values.get(top)!);
        const source = (await index.analytics.worldStateSource(r.folder, r.finalTurn!))!;
        assert.match(source.file, new RegExp(`^${r.folder}/world-state-\\d{3}\\.md$`));
        // Where the run id is the folder's alone, the run's own turn list agrees.
        if (!shared.has(r.runId!)) assert.deepEqual(source, (await index.analytics.listTurns(r.runId!)).find((t) => t.turnNum === top)!.source, r.folder);
      }
      for (const r of stats.variations.flatMap((v) => v.runs).filter((x) => x.finalValue === null)) assert.equal(r.finalTurn, null);
      // Many at once (what the panel asks): the same answers in the order asked, a missing turn undefined.
      const wanted = [...runs.map((r) => ({ folder: r.folder, turn: r.finalTurn! })), { folder: runs[0].folder, turn: 99 }, { folder: runs[1].folder, turn: 1 }];
      const one = await Promise.all(wanted.map((w) => index.analytics.worldStateSource(w.folder, w.turn)));
      assert.deepEqual(await index.analytics.worldStateSources(wanted), one);
      assert.equal(one[runs.length], undefined);
      assert.deepEqual(await index.analytics.worldStateSources([]), []);
    });
  });
});
