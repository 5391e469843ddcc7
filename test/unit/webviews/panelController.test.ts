/**
 * The panels' host side (PanelController) against a real index of the sample workspace: the
 * ready handshake, complete snapshots, paging, validation of untrusted messages, opening world
 * states and sources only for what the panel shows, and exports.
 */
import { strict as assert } from 'node:assert';
import { statisticsJson } from '../../../src/cli/jsonNames';
import type { SourceLocation } from '../../../src/core/analytics/types';
import type { ScenarioIndex } from '../../../src/core/scenarioIndex';
import { PanelController, type PanelEnvironment, type SaveRequest } from '../../../src/extension/webviews/panelController';
import type { ComparisonSnapshot, HostMessage, MetricChartSnapshot, PanelSelection, PanelSnapshot, RunStatisticsSnapshot } from '../../../src/protocol/messages';
import { indexSampleWorkspace, REGULATORY } from './sampleIndex';

/** A PanelEnvironment that records what the controller does. */
class RecordingEnvironment implements PanelEnvironment {
  posted: HostMessage[] = [];
  opened: SourceLocation[] = [];
  saved: SaveRequest[] = [];
  titles: PanelSelection[] = [];
  post = (message: HostMessage) => void this.posted.push(message);
  openSource = async (location: SourceLocation) => void this.opened.push(location);
  save = async (request: SaveRequest) => {
    this.saved.push(request);
    return `/tmp/${request.defaultName}`;
  };
  selectionChanged = (selection: PanelSelection) => void this.titles.push(selection);
  snapshot<S extends PanelSnapshot>(): S {
    const last = [...this.posted].reverse().find((m) => m.type === 'snapshot');
    assert.ok(last && last.type === 'snapshot', 'a snapshot was posted');
    return last.snapshot as S;
  }
  response(requestId: number) {
    const r = this.posted.find((m) => m.type === 'response' && m.requestId === requestId);
    assert.ok(r && r.type === 'response', `response ${requestId} was posted`);
    return r;
  }
}

const COMPARED = ['run-20251124-151111', 'run-20251124-163940', 'run-20251124-210320'];

describe('webview panels: host-side message handling (sample workspace)', function () {
  this.timeout(60000);
  let index: ScenarioIndex;
  before(async () => (index = await indexSampleWorkspace()));
  after(async () => index.close());

  async function readyPanel(selection: PanelSelection) {
    const env = new RecordingEnvironment();
    const controller = new PanelController(index.analytics, selection, env);
    await controller.handle({ type: 'ready' });
    return { env, controller };
  }

  it('posts nothing before the webview is ready, then one complete snapshot', async () => {
    const env = new RecordingEnvironment();
    const controller = new PanelController(index.analytics, { panel: 'metricChart', metric: 'cooperation_level', scenario: REGULATORY }, env);
    await controller.refresh();
    assert.equal(env.posted.length, 0);
    await controller.handle({ type: 'ready' });
    assert.equal(env.posted.length, 1);
    assert.equal(env.posted[0].type, 'snapshot');
  });

  it('metric chart: a line for every run of the scenario, the band and mean of metricEvolution, the aggregate', async () => {
    const { env } = await readyPanel({ panel: 'metricChart', metric: 'cooperation_level', scenario: REGULATORY });
    const s = env.snapshot<MetricChartSnapshot>();
    const runs = (await index.analytics.listRuns({ scenarioId: REGULATORY })).map((r) => r.id).sort();
    assert.deepEqual(s.series.map((x) => x.runId).sort(), runs);
    assert.deepEqual(s.choices.runs.map((r) => r.runId).sort(), runs);
    assert.ok(s.choices.runs.every((r) => r.folder.length > 0 && r.status.length > 0), 'runs are findable by folder and status');
    // 6 runs: a line each by default; the distribution is computed anyway, per turn over the runs' values.
    assert.equal(s.view, 'runs');
    for (const d of s.distribution) {
      const values = s.series.flatMap((x) => x.points.filter((p) => p.turn === d.turn).map((p) => p.value)).sort((a, b) => a - b);
      const middle = values.length / 2;
      assert.equal(d.runs, values.length);
      assert.equal(d.median, values.length % 2 ? values[Math.floor(middle)] : (values[middle - 1] + values[middle]) / 2, `median at turn ${d.turn}`);
      assert.ok(Math.abs(d.mean - values.reduce((a, b) => a + b, 0) / values.length) < 1e-9);
      assert.ok(d.p05 <= d.p25 && d.p25 <= d.median && d.median <= d.p75 && d.p75 <= d.p95);
      assert.ok(d.p05 >= values[0] && d.p95 <= values[values.length - 1]);
    }
    // metrics.yaml declares cooperation_level's range as [0, 10]: the y axis spans it.
    assert.deepEqual(s.yRange, [0, 10]);
    assert.equal(s.series.find((x) => x.runId === 'run-20251124-151111')!.label, 'run-001', 'lines are labelled by folder');
    assert.deepEqual(s.series.find((x) => x.runId === 'run-20251124-151111')!.points.map((p) => p.value), [4.5, 5.5, 5.5, 5.5, 7]);
    assert.equal(s.aggregate.count, 19);
    assert.equal(s.table.total, 19);
    assert.ok(s.table.rows.every((r) => r.source && /metrics\.json:\d+$/.test(r.source.label)));
    assert.ok(s.choices.scenarios.includes('AI Safety Summit 2026'));
  });

  it('metric chart, distribution view: only the highlighted runs cross to the webview, the distribution stands for all', async () => {
    const selection: PanelSelection = { panel: 'metricChart', metric: 'cooperation_level', scenario: REGULATORY, view: 'distribution', highlight: ['run-20251124-151111'] };
    const { env } = await readyPanel(selection);
    const s = env.snapshot<MetricChartSnapshot>();
    const runs = (await readyPanel({ ...selection, view: 'runs', highlight: undefined })).env.snapshot<MetricChartSnapshot>();
    assert.equal(s.view, 'distribution');
    assert.equal(s.runCount, runs.series.length, 'every run is counted');
    assert.ok(runs.series.length > 1);
    assert.deepEqual(s.series.map((x) => x.runId), ['run-20251124-151111'], 'only the drawn run has its points sent');
    assert.deepEqual(s.distribution, runs.distribution, 'the same distribution over every run');
    assert.equal(s.choices.runs.length, runs.series.length, 'every run can still be found and drawn');
    assert.ok(JSON.stringify(s).length < JSON.stringify(runs).length);
  });

  it('builds the first snapshot while the webview loads and posts it on ready; a selection changed meanwhile wins', async () => {
    const env = new RecordingEnvironment();
    const first: PanelSelection = { panel: 'metricChart', metric: 'cooperation_level', scenario: REGULATORY };
    const controller = new PanelController(index.analytics, first, env);
    controller.prefetch();
    assert.equal(env.posted.length, 0, 'nothing is posted before ready');
    await controller.handle({ type: 'ready' });
    assert.deepEqual(env.snapshot<MetricChartSnapshot>().selection, first);

    const env2 = new RecordingEnvironment();
    const late = new PanelController(index.analytics, first, env2);
    late.prefetch();
    void late.select({ ...first, metric: 'trust_level' });
    await late.handle({ type: 'ready' });
    assert.equal(env2.snapshot<MetricChartSnapshot>().selection.metric, 'trust_level');
    assert.ok(env2.posted.every((m) => m.type === 'snapshot' && m.snapshot.panel === 'metricChart' && m.snapshot.selection.metric === 'trust_level'), 'the prefetched snapshot of the old selection is never posted');
  });

  it('serves further pages of the value table on request, never the whole table in the snapshot', async () => {
    const { env } = await readyPanel({ panel: 'metricChart', metric: 'trust_level', scenario: REGULATORY });
    const s = env.snapshot<MetricChartSnapshot>();
    assert.deepEqual([s.table.rows.length, s.table.total], [50, 80]);
    await new PanelController(index.analytics, s.selection, env).handle({ type: 'request', requestId: 7, request: { kind: 'tablePage', offset: 50 } });
    const response = env.response(7);
    assert.ok(response.ok && response.page);
    assert.deepEqual([response.page.offset, response.page.rows.length, response.page.total], [50, 30, 80]);
  });

  it('opens the world state of a shown run at the clicked turn, and refuses runs it does not show', async () => {
    const { env, controller } = await readyPanel({ panel: 'metricChart', metric: 'cooperation_level', scenario: REGULATORY });
    await controller.handle({ type: 'request', requestId: 1, request: { kind: 'openWorldState', runId: 'run-20251124-151111', turn: 3 } });
    assert.equal(env.response(1).ok, true);
    const turn = (await index.analytics.listTurns('run-20251124-151111')).find((t) => t.turnNum === 3)!;
    assert.deepEqual(env.opened, [turn.source]);
    // The state after turn 3 sits in world-state-002.md (Scenario Lab's off-by-one, docs/format.md#world-state).
    assert.match(env.opened[0].file, /run-001\/world-state-002\.md$/);
    await controller.handle({ type: 'request', requestId: 2, request: { kind: 'openWorldState', runId: 'run-20251124-132046', turn: 1 } });
    assert.equal(env.response(2).ok, false, 'a run of the other scenario is not in this chart');
    assert.equal(env.opened.length, 1);
  });

  it('opens only source tokens it handed out', async () => {
    const { env, controller } = await readyPanel({ panel: 'comparison', runIds: COMPARED, turn: 2 });
    const s = env.snapshot<ComparisonSnapshot>();
    const link = s.actions[0].perRun.find((c) => c?.source)!.source!;
    await controller.handle({ type: 'request', requestId: 3, request: { kind: 'openSource', token: link.token } });
    await controller.handle({ type: 'request', requestId: 4, request: { kind: 'openSource', token: 's999999' } });
    assert.equal(env.response(3).ok, true);
    assert.equal(env.response(4).ok, false);
    assert.equal(env.opened.length, 1);
    assert.match(env.opened[0].file, /-002\.md$/);
  });

  it('drops messages that do not follow the protocol', async () => {
    const { env, controller } = await readyPanel({ panel: 'runStatistics', runId: 'run-20251124-151111' });
    const before = env.posted.length;
    for (const bad of [
      null,
      'ready',
      { type: 'request' },
      { type: 'request', requestId: -1, request: { kind: 'exportCsv' } },
      { type: 'request', requestId: 1.5, request: { kind: 'exportCsv' } },
      { type: 'request', requestId: 1, request: { kind: 'openSource', token: 5 } },
      { type: 'request', requestId: 1, request: { kind: 'openWorldState', runId: 'x', turn: '1' } },
      { type: 'request', requestId: 1, request: { kind: 'exportChart', format: 'html', data: '<script>' } },
      { type: 'request', requestId: 1, request: { kind: 'select', selection: { panel: 'runStatistics', runId: ['a'] } } },
      { type: 'request', requestId: 1, request: { kind: 'rm -rf' } },
    ]) {
      await controller.handle(bad);
    }
    assert.equal(env.posted.length, before);
  });

  it('changes selection only within its own kind of panel, and retitles', async () => {
    const { env, controller } = await readyPanel({ panel: 'runStatistics', runId: 'run-20251124-151111' });
    await controller.handle({ type: 'request', requestId: 1, request: { kind: 'select', selection: { panel: 'comparison', runIds: COMPARED } } });
    assert.equal(env.response(1).ok, false);
    await controller.handle({ type: 'request', requestId: 2, request: { kind: 'select', selection: { panel: 'runStatistics', runId: 'run-20251124-163940' } } });
    assert.equal(env.response(2).ok, true);
    assert.equal(env.snapshot<RunStatisticsSnapshot>().run?.runId, 'run-20251124-163940');
    assert.equal(env.snapshot<RunStatisticsSnapshot>().title, 'Run statistics: AI Regulatory Negotiation · run-002', 'the title names the scenario');
    assert.deepEqual(env.titles, [{ panel: 'runStatistics', runId: 'run-20251124-163940' }]);
  });

  it('comparison: a halted 2-turn run is never marked best, on any cost line', async () => {
    // run-004 of the summit halted after 2 turns: lowest total cost, and lowest on most cost lines.
    const runs = ['run-20251124-132046', 'run-20251124-111646', 'run-20251124-094755'];
    const { env } = await readyPanel({ panel: 'comparison', runIds: runs });
    const s = env.snapshot<ComparisonSnapshot>();
    const halted = s.runs.findIndex((r) => r.status === 'halted');
    assert.ok(halted >= 0 && s.runs[halted].turnCount === 2);
    assert.ok(s.runs[halted].totalCost < Math.min(...s.runs.filter((_, i) => i !== halted).map((r) => r.totalCost)), 'the halted run is the cheapest in total');
    const costKeys = Object.keys(s.figureMarks).filter((k) => k !== 'tokensPerTurn');
    assert.ok(costKeys.length > 3);
    for (const key of costKeys) assert.equal(s.figureMarks[key][halted], undefined, key);
    assert.ok(costKeys.some((key) => s.figureMarks[key].includes('best')), 'the completed runs are still compared');
  });

  it('comparison: the figures of compareRuns (what `compare --json` prints), with costs marked best and worst', async () => {
    const { env } = await readyPanel({ panel: 'comparison', runIds: COMPARED });
    const s = env.snapshot<ComparisonSnapshot>();
    const cli = (await index.analytics.compareRuns(COMPARED)).runs.map(statisticsJson);
    assert.deepEqual(
      s.runs.map((r) => ({ id: r.runId, turns: r.turnCount, decisions: r.decisionCount, communications: r.communicationCount, metrics: r.metricCount, cost: r.totalCost, tokens: r.tokens })),
      cli.map((r) => ({ id: r.run_id, turns: r.turn_count, decisions: r.decision_count, communications: r.communication_count, metrics: r.metric_count, cost: r.total_cost, tokens: r.tokens })),
    );
    // Marked per turn among completed runs only: the running run-004 is not marked however cheap.
    const perTurn = s.runs.map((r) => (r.status === 'completed' ? r.totalCost / r.turnCount : undefined));
    const completed = perTurn.filter((v): v is number => v !== undefined);
    assert.equal(completed.length, 2);
    assert.equal(s.figureMarks.costPerTurn[perTurn.indexOf(Math.min(...completed))], 'best');
    assert.equal(s.figureMarks.costPerTurn[perTurn.indexOf(Math.max(...completed))], 'worst');
    assert.equal(s.figureMarks.costPerTurn[s.runs.findIndex((r) => r.status !== 'completed')], undefined);
    assert.equal(s.title, 'Compare 3 runs: AI Regulatory Negotiation');
    const coop = s.metrics.find((m) => m.metric === 'cooperation_level')!;
    assert.deepEqual(coop.final.map((c) => c?.value), [7, 4.5, 6.5]);
    assert.deepEqual(coop.final.map((c) => c?.mark), ['highest', 'lowest', undefined]);
    assert.equal(s.overlay.metric, s.metrics[0].metric);
    assert.deepEqual(s.turns, [1, 2, 3, 4, 5]);
    assert.equal(s.turn, 1);
    assert.ok(s.actions.length >= 4 && s.actions.every((a) => a.perRun.length === 3));
  });

  it('exports CSV of what is shown, and charts as SVG or PNG only', async () => {
    const { env, controller } = await readyPanel({ panel: 'comparison', runIds: COMPARED });
    await controller.handle({ type: 'request', requestId: 1, request: { kind: 'exportCsv' } });
    const csv = String(env.saved[0].content);
    assert.equal(csv.split('\r\n')[0], `figure,${COMPARED.join(',')}`);
    assert.match(csv, /\r\ntotal cost,0\.12318\d*,0\.07351\d*,0\.09338\d*\r\n/);
    assert.match(csv, /\r\ncooperation_level \(final\),7,4\.5,6\.5\r\n/);
    const saved = env.response(1);
    assert.equal(saved.ok && saved.message, 'Saved /tmp/comparison-3-runs.csv');

    const png = 'data:image/png;base64,iVBORw0KGgo=';
    await controller.handle({ type: 'request', requestId: 2, request: { kind: 'exportChart', format: 'png', data: png } });
    assert.deepEqual([...(env.saved[1].content as Uint8Array).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await controller.handle({ type: 'request', requestId: 3, request: { kind: 'exportChart', format: 'png', data: 'data:text/html;base64,PHNjcmlwdD4=' } });
    assert.equal(env.response(3).ok, false);
    assert.equal(env.saved.length, 2);
  });

  it('metric chart CSV holds every record of the selection, not just the shown page', async () => {
    const { env, controller } = await readyPanel({ panel: 'metricChart', metric: 'trust_level', scenario: REGULATORY });
    await controller.handle({ type: 'request', requestId: 1, request: { kind: 'exportCsv' } });
    const lines = String(env.saved[0].content).trim().split('\r\n');
    assert.equal(lines.length, 1 + 80);
    assert.equal(env.saved[0].defaultName, 'metric-trust_level.csv');
  });

  it('run statistics: counts, costs by phase/actor/model and turn-by-turn cost of the analytics API', async () => {
    const { env } = await readyPanel({ panel: 'runStatistics', runId: 'run-20251124-151111' });
    const s = env.snapshot<RunStatisticsSnapshot>();
    const stats = (await index.analytics.getRunStatistics('run-20251124-151111'))!;
    // Each breakdown, plus the world_update / qa_validation costs the costs table lacks, sums to the total.
    const other = { name: 'other / not itemised', total: stats.notItemisedCost };
    assert.ok(stats.notItemisedCost > 0);
    assert.deepEqual(s.run?.costByPhase, [...stats.costByPhase.map((c) => ({ name: c.phase, total: c.total })), other]);
    assert.deepEqual(s.run?.costByModel, [...stats.costByModel.map((c) => ({ name: c.model, total: c.total })), other]);
    for (const parts of [s.run!.costByPhase, s.run!.costByActor, s.run!.costByModel]) {
      assert.ok(Math.abs(parts.reduce((n, c) => n + c.total, 0) - stats.totalCost) < 1e-9);
    }
    assert.equal(s.run?.decisionCount, stats.decisionCount);
    assert.deepEqual(s.costByTurn, await index.analytics.costByTurn('run-20251124-151111'));
  });

  it('an unknown run gives an empty snapshot, not an error', async () => {
    const { env } = await readyPanel({ panel: 'runStatistics', runId: 'no-such-run' });
    assert.equal(env.snapshot<RunStatisticsSnapshot>().run, undefined);
  });
});
