/**
 * Actor strategy comparison on real indexes: the shared sample workspace's batch (checked against
 * Scenario Lab's own reference database) and a generated 3-variation batch with failed runs and
 * parallel runs that share a run id (checked against the run folders' files and batch-state.json).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distinctiveTerms, termCounts } from '../../../src/core/analytics/distinctiveTerms';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { sqlite3 } from '../helpers/processes';
import { writeSampleWorkspace } from '../helpers/sampleFiles';
import { SAMPLE_WORKSPACE_SMALL, savedSampleIndex, type SavedSampleIndex } from '../helpers/savedSampleIndex';

const BATCH = 'experiments/model-comparison';

/** Decisions of `prefix` (china-NNN.md) in a run folder, up to the turn its state file persisted. */
function decisionFiles(folder: string, prefix: string): number {
  const turn = JSON.parse(fs.readFileSync(path.join(folder, 'scenario-state.json'), 'utf8')).turn as number;
  return fs.readdirSync(folder).filter((f) => new RegExp(`^${prefix}-(\\d+)\\.md$`).test(f) && Number(/(\d+)\.md$/.exec(f)![1]) <= turn).length;
}

describe('actor strategy: distinctive terms (FTS4 + log-odds)', () => {
  it('counts FTS4 unicode61 tokens per group, without stop words, one-letter or letterless tokens', async () => {
    const [a, b] = await termCounts([['The EMBARGO on Côte d\'Ivoire, the embargo of 2024.', ''], ['Tariffs and tariffs; tariffs!']]);
    assert.deepEqual(Object.fromEntries(a), { embargo: 2, côte: 1, ivoire: 1 });
    assert.deepEqual(Object.fromEntries(b), { tariffs: 3 });
  });

  it('scores a term by the z of its log-odds in one group against the others (Monroe et al. eq. 22)', () => {
    const counts = [new Map([['embargo', 3], ['talks', 1]]), new Map([['tariffs', 2], ['talks', 2]])];
    const [first, second] = distinctiveTerms(counts, 10);
    // Worked by hand: n1 = 4, n2 = 4, n = 8; embargo: y1 = 3, y2 = 0, α = 3.
    const delta = Math.log((3 + 3) / (4 + 8 - 3 - 3)) - Math.log((0 + 3) / (4 + 8 - 0 - 3));
    const z = delta / Math.sqrt(1 / 6 + 1 / 3);
    assert.equal(first.tokens, 4);
    assert.deepEqual(first.terms.map((t) => t.term), ['embargo']);
    assert.ok(Math.abs(first.terms[0].zScore - z) < 1e-12);
    assert.deepEqual({ ...first.terms[0], zScore: 0 }, { term: 'embargo', count: 3, otherCount: 0, zScore: 0 });
    // "talks" is used more by the second group: distinctive there, not in the first.
    assert.deepEqual(second.terms.map((t) => t.term), ['tariffs', 'talks']);
    assert.deepEqual(distinctiveTerms(counts, 1)[1].terms.map((t) => t.term), ['tariffs']);
  });

  it('finds nothing distinctive with a single group', () => {
    assert.deepEqual(distinctiveTerms([new Map([['embargo', 5], ['talks', 1]])], 10), [{ tokens: 6, terms: [] }]);
  });
});

describe('actor strategy: the sample workspace', function () {
  this.timeout(60000);
  let sample: SavedSampleIndex;
  before(async () => {
    sample = await savedSampleIndex();
  });
  after(() => sample?.dispose());

  it('per variation of the sample batch: runs and decisions as Scenario Lab\'s own database counts them', async () => {
    const strategy = (await sample.index.analytics.actorStrategy('United States', { target: 'experiments/regulatory-model-comparison' }))!;
    assert.equal(strategy.groupedBy, 'variation');
    const reference = path.join(SAMPLE_WORKSPACE_SMALL, 'scenario-lab.db');
    for (const group of strategy.groups) {
      const state = JSON.parse(fs.readFileSync(path.join(SAMPLE_WORKSPACE_SMALL, group.runFolders[0], 'scenario-state.json'), 'utf8'));
      const counted = sqlite3(reference, `SELECT COUNT(*) FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.run_id = '${state.run_id}' AND d.actor = 'United States'`);
      assert.equal(group.runs, 1);
      assert.equal(group.decisions, Number(counted.trim()));
      assert.equal(group.decisionsPerRun, group.decisions);
    }
    assert.deepEqual(strategy.groups.map((g) => [g.variationId, g.description]), [[1, 'us=gpt-4o'], [2, 'us=claude-3.5-haiku']]);
  });

  it('a scenario is grouped by run folder, the whole index by scenario', async () => {
    const byRun = (await sample.index.analytics.actorStrategy('China', { target: 'AI Regulatory Negotiation' }))!;
    assert.equal(byRun.groupedBy, 'run');
    assert.equal(byRun.groups.length, 6);
    const reference = path.join(SAMPLE_WORKSPACE_SMALL, 'scenario-lab.db');
    const total = Number(sqlite3(reference, `SELECT COUNT(*) FROM decisions d JOIN turns t ON t.id = d.turn_id JOIN runs r ON r.id = t.run_id WHERE r.scenario_name = 'AI Regulatory Negotiation' AND d.actor = 'China'`).trim());
    assert.equal(byRun.groups.reduce((s, g) => s + g.decisions, 0), total);
    const byScenario = (await sample.index.analytics.actorStrategy('China'))!;
    assert.equal(byScenario.groupedBy, 'scenario');
    assert.deepEqual(byScenario.groups.map((g) => g.label), ['AI Regulatory Negotiation', 'AI Safety Summit 2026']);
    assert.equal(await sample.index.analytics.actorStrategy('China', { target: 'no such thing' }), undefined);
  });

  it('an action at its markdown lines, and an empty slot for a run without a decision at the turn', async () => {
    const strategy = (await sample.index.analytics.actorStrategy('China', { target: 'AI Regulatory Negotiation', turn: 5 }))!;
    const withDecision = strategy.groups.flatMap((g) => g.actions).filter((a) => a.action !== null);
    assert.deepEqual(withDecision.map((a) => a.folder), ['output/ai-regulatory-negotiation/run-001']);
    const [only] = withDecision;
    const lines = fs.readFileSync(path.join(SAMPLE_WORKSPACE_SMALL, only.source!.file), 'utf8').split('\n');
    const section = lines.slice(only.source!.startLine - 1, only.source!.endLine).join('\n');
    assert.ok(section.includes(only.action!.split('\n')[0]), section);
    assert.equal(strategy.groups.flatMap((g) => g.actions).filter((a) => a.action === null).length, 5);
  });
});

describe('actor strategy: a generated batch with failures and shared run ids', function () {
  this.timeout(120000);
  let dir: string;
  let ws: string;
  let index: ScenarioIndex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-strategy-'));
    ws = path.join(dir, 'ws');
    writeSampleWorkspace(ws, { runs: 0, turns: 4, actors: 4, scenarios: 1, seed: 'strategy', batchRunsPerVariation: 6, batchVariations: 3, batchFailures: 4 });
    index = await openScenarioIndex(path.join(dir, 'index.db'));
    await index.index({ roots: [{ name: 'ws', absPath: ws }] });
  });
  after(async () => {
    await index?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the completed runs of each variation by folder, failed ones only with includeFailed', async () => {
    const state = JSON.parse(fs.readFileSync(path.join(ws, BATCH, 'batch-state.json'), 'utf8'));
    const completed = new Set<string>(state.completed_runs);
    assert.ok(state.failed_runs.length > 0);
    const runsDir = path.join(ws, BATCH, 'runs');
    const folders = fs.readdirSync(runsDir).filter((f) => fs.existsSync(path.join(runsDir, f, 'scenario-state.json')));
    for (const includeFailed of [false, true]) {
      const strategy = (await index.analytics.actorStrategy('China', { target: 'model-comparison', includeFailed }))!;
      assert.deepEqual(strategy.groups.map((g) => g.variationId), [1, 2, 3]);
      for (const group of strategy.groups) {
        const mine = folders.filter((f) => f.startsWith(`var-00${group.variationId}-`) && (includeFailed || completed.has(f)));
        assert.deepEqual(group.runFolders, mine.map((f) => `${BATCH}/runs/${f}`));
        assert.equal(group.decisions, mine.reduce((s, f) => s + decisionFiles(path.join(runsDir, f), 'china'), 0));
        assert.equal(group.decisionsPerRun, group.decisions / mine.length);
      }
    }
  });

  it('folders that share a run id keep their own decisions at a turn', async () => {
    const ids = new Map<string, string[]>();
    const runsDir = path.join(ws, BATCH, 'runs');
    for (const f of fs.readdirSync(runsDir)) {
      const file = path.join(runsDir, f, 'scenario-state.json');
      if (!fs.existsSync(file)) continue;
      const id = JSON.parse(fs.readFileSync(file, 'utf8')).run_id as string;
      ids.set(id, [...(ids.get(id) ?? []), f]);
    }
    const shared = [...ids.values()].find((f) => f.length > 1);
    assert.ok(shared, 'the generator writes parallel runs that share a run id');
    const strategy = (await index.analytics.actorStrategy('China', { target: BATCH, turn: 1, includeFailed: true }))!;
    const actions = strategy.groups.flatMap((g) => g.actions).filter((a) => shared.some((f) => a.folder.endsWith(`/${f}`)));
    assert.equal(actions.length, shared.length);
    for (const a of actions) {
      assert.equal(a.source!.file, `${a.folder}/china-001.md`);
      const text = fs.readFileSync(path.join(ws, a.source!.file), 'utf8').split('\n').slice(a.source!.startLine - 1, a.source!.endLine).join('\n');
      assert.ok(text.includes(a.action!.split('\n')[0]));
    }
    assert.notEqual(actions[0].action, actions[1].action);
  });

  it('distinctive terms are words the variation uses more than the others', async () => {
    const strategy = (await index.analytics.actorStrategy('China', { target: BATCH, terms: 5 }))!;
    for (const group of strategy.groups) {
      assert.ok(group.terms.length > 0 && group.terms.length <= 5);
      for (const t of group.terms) {
        const others = strategy.groups.filter((g) => g !== group);
        const rateHere = t.count / group.tokens;
        const rateElsewhere = t.otherCount / others.reduce((s, g) => s + g.tokens, 0);
        assert.ok(rateHere > rateElsewhere, `${t.term}: ${rateHere} vs ${rateElsewhere}`);
      }
    }
  });
});
