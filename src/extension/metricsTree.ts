/**
 * The Metrics view (scenarioLab.metrics): metric → scenario (with avg/min/max/count over every
 * record) → run (its values by turn) → one item per record, which opens metrics.json at its line.
 */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { Metric } from '../core/analytics/types';
import type { Feature } from './feature';
import { MetricValueNode } from './runsTreeNodes';
import { NodeTreeProvider, PagedNode, pagingWith, registerShowMore, ShowMoreNode, siblingIds, type Paging, type TreeNode } from './treeNodes';
import { formatCount, formatNumber, plural } from '../core/analytics/numberFormat';
import { compareRunLabels, runLabel } from './runText';
import { Tooltip } from './treeText';
import { Commands, ContextValues, Views } from './constants';
import { groupBy } from '../core/analytics/grouping';

/** Runs listed per step under a metric's scenario: one item per run of a batch of thousands otherwise. */
export const METRIC_RUNS_PER_PAGE = 200;

export async function loadMetricsRoots(analytics: Analytics, paging: Partial<Paging> = {}): Promise<MetricNode[]> {
  const rows = await analytics.listMetricNames();
  const byName = groupBy(rows, (row) => row.name);
  const full = pagingWith(paging, METRIC_RUNS_PER_PAGE);
  return [...byName.entries()].map(([name, scenarios]) => new MetricNode(name, scenarios, analytics, full));
}

class MetricNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly name: string,
    private readonly scenarios: Array<{ scenarioId: string; count: number }>,
    private readonly analytics: Analytics,
    private readonly paging: Paging,
  ) {
    this.id = `metric:${name}`;
  }
  /** Read by scenarioLab.showMetricChart when it is invoked from this item. */
  get metric(): string {
    return this.name;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    const total = this.scenarios.reduce((n, s) => n + s.count, 0);
    item.description = plural(total, 'value');
    item.iconPath = new vscode.ThemeIcon('graph-line');
    item.contextValue = ContextValues.metric;
    return item;
  }
  async children(): Promise<TreeNode[]> {
    return Promise.all(
      this.scenarios.map(async (s) => new MetricScenarioNode(this, s.scenarioId, await this.analytics.aggregateMetrics(this.name, { scenario: s.scenarioId }), this.analytics, this.paging)),
    );
  }
}

class MetricScenarioNode extends PagedNode {
  readonly id: string;
  constructor(
    readonly parent: MetricNode,
    private readonly scenarioId: string,
    private readonly aggregate: { avg: number | null; min: number | null; max: number | null; count: number },
    private readonly analytics: Analytics,
    paging: Paging,
  ) {
    super(paging);
    this.id = `${parent.id}/scenario:${scenarioId}`;
  }
  /** Read by scenarioLab.showMetricChart when it is invoked from this item. */
  get metric(): string {
    return this.parent.name;
  }
  get scenario(): string {
    return this.scenarioId;
  }
  treeItem(): vscode.TreeItem {
    const a = this.aggregate;
    const item = new vscode.TreeItem(this.scenarioId, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `avg ${formatNumber(a.avg)} · min ${formatNumber(a.min)} · max ${formatNumber(a.max)} · n ${formatCount(a.count)}`;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = ContextValues.metricScenario;
    item.tooltip = new Tooltip()
      .title(`${this.parent.name} in ${this.scenarioId}`)
      .field('Average', formatNumber(a.avg))
      .field('Minimum', formatNumber(a.min))
      .field('Maximum', formatNumber(a.max))
      .field('Records', a.count).markdown;
    return item;
  }
  /**
   * The runs with records of the metric, a page at a time in label order: the run ids and labels are
   * read whole (cheap), the records only for the runs shown (a scenario of 3,300 runs holds ~30,000).
   */
  async children(): Promise<TreeNode[]> {
    const [runIds, runs] = await Promise.all([
      this.analytics.listMetricRunIds(this.parent.name, { scenario: this.scenarioId }),
      this.analytics.listRunNames({ scenarioId: this.scenarioId }),
    ]);
    const labels = new Map(runs.map((run) => [run.id, runLabel(run)]));
    const sorted = [...runIds].sort((a, b) => compareRunLabels(labels.get(a) ?? a, labels.get(b) ?? b));
    const limit = this.limit();
    const shown = sorted.slice(0, limit);
    const metrics = shown.length === 0 ? [] : await this.analytics.queryMetrics({ metricName: this.parent.name, scenario: this.scenarioId, runIds: shown });
    const byRun = groupBy(metrics, (m) => m.runId);
    const nodes: TreeNode[] = shown.map((runId) => new MetricRunNode(this, runId, labels.get(runId) ?? runId, byRun.get(runId) ?? []));
    if (sorted.length > limit) nodes.push(new ShowMoreNode(this, limit, sorted.length, Commands.showMoreMetricRuns));
    return nodes;
  }
}

class MetricRunNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: MetricScenarioNode,
    readonly runId: string,
    private readonly label: string,
    private readonly values: Metric[],
  ) {
    this.id = `${parent.id}/run:${runId}`;
  }
  /** Read by scenarioLab.showMetricChart when it is invoked from this item (the run is highlighted). */
  get metric(): string {
    return this.parent.metric;
  }
  get scenario(): string {
    return this.parent.scenario;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    const inTurnOrder = [...this.values].sort((a, b) => a.turnNum - b.turnNum);
    item.description = inTurnOrder.map((m) => `T${m.turnNum} ${formatNumber(m.value)}`).join(' · ');
    item.iconPath = new vscode.ThemeIcon('play-circle');
    item.contextValue = ContextValues.metricRun;
    item.tooltip = new Tooltip().title(this.label).field('Run id', this.runId).field('Records', this.values.length).markdown;
    return item;
  }
  children(): Promise<TreeNode[]> {
    const inTurnOrder = [...this.values].sort((a, b) => a.turnNum - b.turnNum);
    const ids = siblingIds(this.id, inTurnOrder.map((m) => `turn:${m.turnNum}:${m.actor ?? ''}`));
    return Promise.resolve(inTurnOrder.map((m, i) => new MetricValueNode(ids[i], this, m, `Turn ${m.turnNum}${m.actor ? ` · ${m.actor}` : ''}`)));
  }
}

/** Arguments of scenarioLab.revealMetric (a hover link): the metric, and the scenario to open below it. */
export interface RevealMetricArgs {
  metric: string;
  scenario?: string;
}

export const metricsTree: Feature = (_context, service, trees) => {
  const shown = new Map<string, number>();
  const provider = new NodeTreeProvider(() => loadMetricsRoots(service.analytics, { shown }));
  const view = trees.take(Views.metrics, provider);
  return [
    provider,
    view,
    service.onDidChange(() => provider.refresh()),
    registerShowMore(Commands.showMoreMetricRuns, provider),
    vscode.commands.registerCommand(Commands.revealMetric, async (args?: RevealMetricArgs) => {
      if (!args?.metric) return;
      const metricId = `metric:${args.metric}`;
      const node = await provider.findByIds(args.scenario ? [metricId, `${metricId}/scenario:${args.scenario}`] : [metricId]);
      if (node) await view.reveal(node, { select: true, focus: true, expand: true });
      else void vscode.window.showInformationMessage(`Scenario Lab: no metric ${args.metric} in the index.`);
    }),
  ];
};
