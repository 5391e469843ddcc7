/**
 * The Runs, Actors and Metrics trees against the sample workspace (a temp copy, indexed by the
 * extension at startup). The providers are built over the extension's own analytics API, with the
 * same node classes the views use.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { loadActorsRoots } from '../../src/extension/actorsTree';
import { loadMetricsRoots } from '../../src/extension/metricsTree';
import { loadRunsRoots } from '../../src/extension/runsTree';
import { DecisionNode, runNodeId, ScenarioNode } from '../../src/extension/runsTreeNodes';
import { runLabel } from '../../src/extension/runText';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { eventually, nodeAtLabels, readyApi, shownChildren, workspacePath } from './helpers';

const SUMMIT = 'AI Safety Summit 2026';
const NEGOTIATION = 'AI Regulatory Negotiation';

describe('Runs tree', () => {
  let api: ScenarioLabApi;
  let runs: NodeTreeProvider;
  before(async () => {
    api = await readyApi();
    runs = new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics)).scenarios);
  });

  it('shows every scenario of the sample with its runs: 6 and 4', async () => {
    const scenarios = await shownChildren(runs);
    assert.deepEqual(
      scenarios.map((s) => [s.label, s.description]),
      [
        [NEGOTIATION, '6 runs'],
        [SUMMIT, '4 runs'],
        // The shared sample's ai-2027 calibration folder: world state and messages, but no state file or decisions.
        ['Other run folders', '1 folder without a run'],
      ],
    );
    const summitRuns = await shownChildren(runs, scenarios[1].node);
    assert.deepEqual(
      summitRuns.map((r) => r.label),
      ['run-001', 'run-002', 'run-003', 'run-004'],
    );
    assert.equal(summitRuns[1].description, 'run-20251124-094755 · completed · 4 turns · $0.0868');
    assert.equal(summitRuns[3].description, 'run-20251124-132046 · halted · 2 turns · $0.0382');
    const negotiationRuns = await shownChildren(runs, scenarios[0].node);
    assert.deepEqual(
      negotiationRuns.map((r) => r.label),
      ['run-001', 'run-002', 'run-003', 'run-004', 'var-001-run-001', 'var-002-run-001'],
    );
  });

  it('lists a scenario’s runs a page at a time; "Show more" adds the next page, and revealing a later run shows its page', async () => {
    const shown = new Map<string, number>(); // what the view keeps across refreshes
    // A new provider per look: a refresh of one waits (up to 3 s) for VS Code to ask for its expanded scenarios.
    const tree = () => new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics, Date.now(), { pageSize: 4, shown })).scenarios);
    let paged = tree();
    const firstPage = await shownChildren(paged, await nodeAtLabels(paged, [NEGOTIATION]));
    assert.deepEqual(
      firstPage.map((r) => [r.label, r.description]).slice(3),
      [['run-004', firstPage[3].description], ['Show 2 more…', '4 of 6 shown']],
    );
    const more = paged.getTreeItem(firstPage[4].node).command!;
    await vscode.commands.executeCommand(more.command, ...(more.arguments ?? []));
    paged = tree();
    const all = await shownChildren(paged, await nodeAtLabels(paged, [NEGOTIATION]));
    assert.deepEqual(all.map((r) => r.label), ['run-001', 'run-002', 'run-003', 'run-004', 'var-001-run-001', 'var-002-run-001']);
    // A run on a later page: its scenario lists the pages up to it.
    shown.clear();
    paged = tree();
    const scenario = (await paged.getChildren()).find((node) => node instanceof ScenarioNode && node.name === NEGOTIATION) as ScenarioNode;
    const last = (await api.analytics.listRuns()).find((run) => runLabel(run) === 'var-002-run-001')!;
    assert.equal(scenario.showChild(runNodeId(last.id)), true);
    paged.refreshNode(scenario);
    assert.equal((await shownChildren(paged, scenario)).at(-1)?.label, 'var-002-run-001');
  });

  it('shows a run’s turns and, per turn, the world state, one item per decision, messages and metrics', async () => {
    const run = await nodeAtLabels(runs, [SUMMIT, 'run-002']);
    assert.deepEqual(
      (await shownChildren(runs, run)).map((t) => t.label),
      ['Turn 1', 'Turn 2', 'Turn 3', 'Turn 4'],
    );
    const turn = await shownChildren(runs, await nodeAtLabels(runs, [SUMMIT, 'run-002', 'Turn 1']));
    assert.deepEqual(
      turn.map((c) => c.label),
      ['World state', 'China', 'European Union', 'United Kingdom', 'United States', 'Messages', 'Metrics'],
    );
    assert.equal(turn.find((c) => c.label === 'Messages')!.description, '2 bilateral');
    // Decisions are described by their first concrete step, not "China will take the following steps this turn:".
    for (const decision of turn.filter((c) => c.node instanceof DecisionNode)) {
      const action = (decision.node as DecisionNode).decision.action;
      assert.doesNotMatch(String(decision.description), /following steps/);
      assert.ok(action.includes(String(decision.description).replace(/…$/, '')), `${decision.label}: ${decision.description}`);
    }
    const metrics = await shownChildren(runs, turn.find((c) => c.label === 'Metrics')!.node);
    assert.equal(metrics.length, 12);
    // Scenario Lab stores no actor for pattern metrics; the tree names the actor metrics.json records (our sl_metric_actors).
    assert.deepEqual([metrics[0].label, metrics[0].description], ['trust_level (China)', '6']);
  });

  it('keeps item ids stable when the tree is rebuilt, so expansion and selection survive a refresh', async () => {
    const path = [SUMMIT, 'run-002', 'Turn 3', 'China'];
    const before = (await nodeAtLabels(runs, path)).id;
    runs.refresh();
    assert.equal((await nodeAtLabels(runs, path)).id, before);
    assert.equal(before, 'run:run-20251124-094755/turn:3/decision:China');
  });

  it('shows what the files prove about runs stored as running, without changing the stored status', async () => {
    // The test workspace is a fresh copy of the fixture: every file was just written, but the files
    // record times of 2025, so the copy does not make run-004 look live (issue 12, kind 7).
    const running = await nodeAtLabels(runs, [NEGOTIATION, 'run-004']);
    const first = (await shownChildren(runs, running.parent)).find((r) => r.label === 'run-004')!.description;
    assert.doesNotMatch(first, /last write/);
    assert.match(first, /ended after turn 3/);

    // Make both unfinished runs look untouched for an hour, as after a crash or a finished CLI run.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const run of ['run-003', 'run-004']) {
      const folder = workspacePath('output/ai-regulatory-negotiation', run);
      for (const file of fs.readdirSync(folder)) fs.utimesSync(`${folder}/${file}`, hourAgo, hourAgo);
    }
    await vscode.commands.executeCommand('scenarioLab.reindexWorkspace');
    const described = await eventually(async () => {
      runs.refresh();
      const shown = await shownChildren(runs, await nodeAtLabels(runs, [NEGOTIATION]));
      const byLabel = new Map(shown.map((r) => [r.label, r.description]));
      return byLabel.get('run-004')?.includes('ended') ? byLabel : undefined;
    }, 'run-004 shows as ended');
    assert.equal(described.get('run-003'), 'run-20251124-193239 · running · 2 turns · $0.0467 · interrupted in turn 3, status not recorded');
    assert.equal(described.get('run-004'), 'run-20251124-210320 · running · 3 turns · $0.0934 · ended after turn 3, status not recorded');
    assert.equal((await api.analytics.getRun('run-20251124-193239'))!.status, 'running');
  });
});

describe('Actors tree', () => {
  it('lists every actor with its decisions, then scenarios, then decisions in turn order', async () => {
    const api = await readyApi();
    const actors = new NodeTreeProvider(() => loadActorsRoots(api.analytics));
    const shown = await shownChildren(actors);
    assert.deepEqual(
      shown.map((a) => [a.label, a.description]),
      [
        ['China', '32 decisions'],
        ['European Union', '32 decisions'],
        ['Frontier Labs Consortium', '19 decisions'],
        ['United Kingdom', '13 decisions'],
        ['United States', '32 decisions'],
      ],
    );
    const scenarios = await shownChildren(actors, shown[0].node);
    assert.deepEqual(
      scenarios.map((s) => s.label),
      [NEGOTIATION, SUMMIT],
    );
    const decisions = await shownChildren(actors, scenarios[1].node);
    assert.equal(decisions.length, 13);
    const turns = decisions.map((d) => Number(/^Turn (\d+)/.exec(d.label)![1]));
    assert.deepEqual(turns, [...turns].sort((a, b) => a - b));
    assert.match(decisions[0].label, /^Turn 1 · run-00\d$/);
  });

  it('lists a long list a page at a time; "Show more" adds the next page in the same order', async () => {
    const api = await readyApi();
    const shown = new Map<string, number>(); // what the view keeps across refreshes
    const actors = new NodeTreeProvider(() => loadActorsRoots(api.analytics, { pageSize: 5, shown }));
    const negotiation = await nodeAtLabels(actors, ['China', NEGOTIATION]);
    const all = await api.analytics.queryDecisionsForActor('China', { scenario: NEGOTIATION });
    assert.equal(all.length, 19);
    const firstPage = await shownChildren(actors, negotiation);
    assert.deepEqual(
      firstPage.map((d) => [d.label, d.description]).slice(-1),
      [['Show 5 more…', '5 of 19 shown']],
    );
    const decisionIds = (page: typeof firstPage) => page.filter((d) => d.node instanceof DecisionNode).map((d) => (d.node as DecisionNode).decision.id);
    assert.deepEqual(decisionIds(firstPage), all.slice(0, 5).map((d) => d.id));
    const more = actors.getTreeItem(firstPage[5].node).command!;
    await vscode.commands.executeCommand(more.command, ...(more.arguments ?? []));
    actors.refresh();
    const secondPage = await shownChildren(actors, await nodeAtLabels(actors, ['China', NEGOTIATION]));
    assert.equal(secondPage.length, 11);
    assert.deepEqual(decisionIds(secondPage), all.slice(0, 10).map((d) => d.id));
    assert.equal(secondPage[10].description, '10 of 19 shown');
  });
});

describe('Metrics tree', () => {
  it('lists every metric, its per-scenario aggregate, and the per-run values below', async () => {
    const api = await readyApi();
    const metrics = new NodeTreeProvider(() => loadMetricsRoots(api.analytics));
    const shown = await shownChildren(metrics);
    assert.equal(shown.length, 13);
    const trust = shown.find((m) => m.label === 'trust_level')!;
    assert.equal(trust.description, '124 values');
    const scenarios = await shownChildren(metrics, trust.node);
    const summit = scenarios.find((s) => s.label === SUMMIT)!;
    const aggregate = await api.analytics.aggregateMetrics('trust_level', { scenario: SUMMIT });
    assert.match(summit.description, new RegExp(`· n ${aggregate.count}$`));
    const perRun = await shownChildren(metrics, summit.node);
    assert.deepEqual(
      perRun.map((r) => r.label),
      ['run-002', 'run-003', 'run-004'], // the V1 run-001 records no trust_level
    );
    const values = await shownChildren(metrics, perRun[0].node);
    assert.equal(values.length, (await api.analytics.queryMetrics({ metricName: 'trust_level', runIds: ['run-20251124-094755'] })).length);
    assert.equal(values.reduce((n, v) => n + (v.node.source ? 1 : 0), 0), values.length, 'every value opens its metrics.json line');
  });

  it('lists a scenario’s runs of a metric a page at a time; "Show more" adds the next page', async () => {
    const api = await readyApi();
    const shown = new Map<string, number>();
    const tree = () => new NodeTreeProvider(() => loadMetricsRoots(api.analytics, { pageSize: 2, shown }));
    const paged = tree();
    const firstPage = await shownChildren(paged, await nodeAtLabels(paged, ['trust_level', SUMMIT]));
    assert.deepEqual(firstPage.map((r) => [r.label, r.description]).slice(2), [['Show 1 more…', '2 of 3 shown']]);
    const more = paged.getTreeItem(firstPage[2].node).command!;
    await vscode.commands.executeCommand(more.command, ...(more.arguments ?? []));
    const metrics = tree();
    assert.deepEqual((await shownChildren(metrics, await nodeAtLabels(metrics, ['trust_level', SUMMIT]))).map((r) => r.label), ['run-002', 'run-003', 'run-004']);
  });
});
