/** The Actors view (scenarioLab.actors): actor → scenario → that actor's decisions in turn order. */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { Feature } from './features';
import { DecisionNode } from './runsTreeNodes';
import { NodeTreeProvider, siblingIds, type TreeNode } from './treeNodes';
import { runLabel } from './treeText';

export async function loadActorsRoots(analytics: Analytics): Promise<ActorNode[]> {
  const rows = await analytics.listActors();
  const byActor = new Map<string, Array<{ scenarioId: string; decisionCount: number }>>();
  for (const row of rows) byActor.set(row.actor, [...(byActor.get(row.actor) ?? []), row]);
  return [...byActor.entries()].map(([actor, scenarios]) => new ActorNode(actor, scenarios, analytics));
}

class ActorNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly actor: string,
    private readonly scenarios: Array<{ scenarioId: string; decisionCount: number }>,
    private readonly analytics: Analytics,
  ) {
    this.id = `actor:${actor}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.actor, vscode.TreeItemCollapsibleState.Collapsed);
    const total = this.scenarios.reduce((n, s) => n + s.decisionCount, 0);
    item.description = `${total} decision${total === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = 'actor';
    return item;
  }
  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.scenarios.map((s) => new ActorScenarioNode(this, s.scenarioId, s.decisionCount, this.analytics)));
  }
}

class ActorScenarioNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ActorNode,
    private readonly scenarioId: string,
    private readonly decisionCount: number,
    private readonly analytics: Analytics,
  ) {
    this.id = `${parent.id}/scenario:${scenarioId}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.scenarioId, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${this.decisionCount}`;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = 'actorScenario';
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const [decisions, runs] = await Promise.all([
      this.analytics.queryDecisionsForActor(this.parent.actor, { scenario: this.scenarioId }),
      this.analytics.listRuns({ scenarioId: this.scenarioId }),
    ]);
    const labels = new Map(runs.map((run) => [run.id, runLabel(run)]));
    const ids = siblingIds(this.id, decisions.map((d) => `${d.runId}/turn:${d.turnNum}`));
    return decisions.map((d, i) => new DecisionNode(ids[i], this, d, `Turn ${d.turnNum} · ${labels.get(d.runId) ?? d.runId}`));
  }
}

export const actorsTree: Feature = (_context, service) => {
  const provider = new NodeTreeProvider(() => loadActorsRoots(service.analytics));
  return [
    provider,
    vscode.window.createTreeView('scenarioLab.actors', { treeDataProvider: provider, showCollapseAll: true }),
    service.onDidChange(() => provider.refresh()),
  ];
};
