/** The Actors view (scenarioLab.actors): actor → scenario → that actor's decisions in turn order. */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { Feature } from './feature';
import { DecisionNode } from './runsTreeNodes';
import { NodeTreeProvider, PagedNode, pagingWith, registerShowMore, ShowMoreNode, siblingIds, type Paging, type TreeNode } from './treeNodes';
import { formatCount, plural } from '../core/analytics/numberFormat';
import { runLabel } from './runText';
import { Commands, ContextValues, Views } from './constants';
import { groupBy } from '../core/analytics/grouping';

/** Decisions listed per step: a 1,000-run batch gives an actor thousands of decisions in one scenario. */
export const DECISIONS_PER_PAGE = 100;

export async function loadActorsRoots(analytics: Analytics, paging: Partial<Paging> = {}): Promise<ActorNode[]> {
  const rows = await analytics.listActors();
  const byActor = groupBy(rows, (row) => row.actor);
  const full = pagingWith(paging, DECISIONS_PER_PAGE);
  return [...byActor.entries()].map(([actor, scenarios]) => new ActorNode(actor, scenarios, analytics, full));
}

class ActorNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly actor: string,
    private readonly scenarios: Array<{ scenarioId: string; decisionCount: number }>,
    private readonly analytics: Analytics,
    private readonly paging: Paging,
  ) {
    this.id = `actor:${actor}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.actor, vscode.TreeItemCollapsibleState.Collapsed);
    const total = this.scenarios.reduce((n, s) => n + s.decisionCount, 0);
    item.description = plural(total, 'decision');
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = ContextValues.actor;
    return item;
  }
  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.scenarios.map((s) => new ActorScenarioNode(this, s.scenarioId, s.decisionCount, this.analytics, this.paging)));
  }
}

class ActorScenarioNode extends PagedNode {
  readonly id: string;
  constructor(
    readonly parent: ActorNode,
    private readonly scenarioId: string,
    private readonly decisionCount: number,
    private readonly analytics: Analytics,
    paging: Paging,
  ) {
    super(paging);
    this.id = `${parent.id}/scenario:${scenarioId}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.scenarioId, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = formatCount(this.decisionCount);
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = ContextValues.actorScenario;
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const [page, runs] = await Promise.all([
      this.analytics.queryDecisionsForActorPage(this.parent.actor, { scenario: this.scenarioId }, { offset: 0, limit: this.limit() }),
      this.analytics.listRunNames({ scenarioId: this.scenarioId }),
    ]);
    const labels = new Map(runs.map((run) => [run.id, runLabel(run)]));
    const ids = siblingIds(this.id, page.rows.map((d) => `${d.runId}/turn:${d.turnNum}`));
    const nodes: TreeNode[] = page.rows.map((d, i) => new DecisionNode(ids[i], this, d, `Turn ${d.turnNum} · ${labels.get(d.runId) ?? d.runId}`));
    if (page.total > page.rows.length) nodes.push(new ShowMoreNode(this, page.rows.length, page.total, Commands.showMoreDecisions));
    return nodes;
  }
}

export const actorsTree: Feature = (_context, service, trees) => {
  const shown = new Map<string, number>();
  const provider = new NodeTreeProvider(() => loadActorsRoots(service.analytics, { shown }));
  return [
    provider,
    registerShowMore(Commands.showMoreDecisions, provider),
    trees.take(Views.actors, provider),
    service.onDidChange(() => provider.refresh()),
  ];
};
