/**
 * Nodes of the Runs tree: scenario → run → turn → world state, one item per actor decision,
 * messages, and the turn's metrics. Ids come from the scenario name, run id, turn number and
 * actor / message id, never from database row ids (those change when a folder is re-indexed).
 */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { RunProgress } from '../core/analytics/runProgress';
import type { Communication, Decision, Metric, RunSummary, RunFolder, Turn } from '../core/analytics/types';
import { PagedNode, pagingWith, ShowMoreNode, siblingIds, type Paging, type TreeNode } from './treeNodes';
import { decisionHeadline } from '../core/analytics/decisionHeadline';
import { formatCost, formatCount, formatNumber, plural } from '../core/analytics/numberFormat';
import { folderName, runFacts, runLabel } from './runText';
import { excerpt, Tooltip } from './treeText';
import { Commands, ContextValues } from './constants';

export const scenarioNodeId = (scenarioName: string) => `scenario:${scenarioName}`;
export const runNodeId = (runId: string) => `run:${runId}`;

/** Runs listed per step under a scenario: a batch gives one scenario thousands of runs, and VS Code gets every item listed. */
export const RUNS_PER_PAGE = 200;

export class ScenarioNode extends PagedNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly name: string,
    private readonly makeRuns: (parent: ScenarioNode) => TreeNode[],
    readonly counts: { runs: number; folders: number },
    paging: Paging = pagingWith({}, RUNS_PER_PAGE),
  ) {
    super(paging);
    this.id = scenarioNodeId(name);
  }
  /** Shows pages up to the child `id` (a run being revealed); false when it is shown already or is not a child. */
  showChild(id: string): boolean {
    const at = this.makeRuns(this).findIndex((node) => node.id === id);
    if (at < this.limit()) return false;
    this.paging.shown.set(this.id, Math.ceil((at + 1) / this.paging.pageSize) * this.paging.pageSize);
    return true;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    const { runs, folders } = this.counts;
    item.description = [runs > 0 && plural(runs, 'run'), folders > 0 && `${plural(folders, 'folder')} without a run`]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = ContextValues.scenario;
    return item;
  }
  children(): Promise<TreeNode[]> {
    const all = this.makeRuns(this);
    const limit = this.limit();
    if (all.length <= limit) return Promise.resolve(all);
    return Promise.resolve([...all.slice(0, limit), new ShowMoreNode(this, limit, all.length, Commands.showMoreRuns)]);
  }
}

export class RunNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ScenarioNode,
    readonly run: RunSummary,
    /** What the files prove when the stored status is `running` (never replaces the stored status). */
    readonly progress: RunProgress,
    private readonly analytics: Analytics,
  ) {
    this.id = runNodeId(run.id);
  }
  treeItem(): vscode.TreeItem {
    const { run, progress } = this;
    const item = new vscode.TreeItem(runLabel(run), vscode.TreeItemCollapsibleState.Collapsed);
    // The scenario is the parent node; the folder is the label; the rest is searchable by the tree's find widget.
    item.description = progress.kind === 'recorded' ? runFacts(run) : `${runFacts(run)} · ${progress.text}`;
    item.iconPath = statusIcon(run.status, progress);
    item.contextValue = ContextValues.run;
    const tooltip = new Tooltip()
      .title(runLabel(run))
      .field('Run id', run.id)
      .field('Scenario', run.scenarioName)
      .field('Status (stored)', run.status)
      .field('The files show', progress.kind === 'recorded' ? undefined : progress.text)
      .field('Turns', formatCount(run.totalTurns))
      .field('Total cost', formatCost(run.totalCost))
      .field('Created', run.created);
    for (const folder of run.folders) tooltip.field('Folder', folder.path).field('Error', folder.error);
    item.tooltip = tooltip.markdown;
    item.accessibilityInformation = { label: `Run ${runLabel(run)}, status ${run.status}, ${item.description}` };
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const turns = await this.analytics.listTurns(this.run.id);
    const ids = siblingIds(this.id, turns.map((t) => `turn:${t.turnNum}`));
    return turns.map((turn, i) => new TurnNode(ids[i], this, turn, this.analytics));
  }
}

/** A folder with run files but neither a state file nor decisions (e.g. a calibration run's leftovers): no run to show. */
export class FolderNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ScenarioNode,
    readonly folder: RunFolder,
  ) {
    this.id = `folder:${folder.path}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(folderName(this.folder), vscode.TreeItemCollapsibleState.None);
    item.description = 'no state file or decisions';
    item.iconPath = new vscode.ThemeIcon('folder');
    item.contextValue = ContextValues.runFolder;
    item.tooltip = new Tooltip().title(this.folder.path).field('Format', this.folder.format).field('Error', this.folder.error).markdown;
    return item;
  }
}

export class TurnNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: RunNode,
    readonly turn: Turn,
    private readonly analytics: Analytics,
  ) {}
  // No source of its own: a click expands the turn; its World state item opens the file.
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Turn ${this.turn.turnNum}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = ContextValues.turn;
    item.tooltip = new Tooltip().title(`Turn ${this.turn.turnNum}`).field('Recorded', this.turn.timestamp).text('World state', this.turn.worldState).markdown;
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const { runId, turnNum } = this.turn;
    const [decisions, messages, metrics] = await Promise.all([
      this.analytics.listDecisions(runId, turnNum),
      this.analytics.listCommunications(runId, turnNum),
      // This turn's records only: a run has a record per metric, actor and turn.
      this.analytics.queryMetrics({ runIds: [runId], turnNum }),
    ]);
    const nodes: TreeNode[] = [];
    if (this.turn.worldState !== null || this.turn.source) nodes.push(new WorldStateNode(`${this.id}/world`, this, this.turn));
    const decisionIds = siblingIds(this.id, decisions.map((d) => `decision:${d.actor}`));
    nodes.push(...decisions.map((d, i) => new DecisionNode(decisionIds[i], this, d)));
    if (messages.length > 0) nodes.push(messagesGroup(this, messages));
    if (metrics.length > 0) nodes.push(metricsGroup(this, metrics));
    return nodes;
  }
}

class WorldStateNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TurnNode,
    private readonly turn: Turn,
  ) {}
  get source() {
    return this.turn.source;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('World state', vscode.TreeItemCollapsibleState.None);
    item.description = excerpt(this.turn.worldState, 60);
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = ContextValues.worldState;
    item.tooltip = new Tooltip().title(`World state, turn ${this.turn.turnNum}`).text('Text', this.turn.worldState).markdown;
    return item;
  }
}

export class DecisionNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode,
    readonly decision: Decision,
    /** The Actors tree names the decision by turn and run; the Runs tree by actor. */
    private readonly label = decision.actor,
  ) {}
  get source() {
    return this.decision.source;
  }
  treeItem(): vscode.TreeItem {
    const d = this.decision;
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = decisionHeadline(d.action, 70);
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = ContextValues.decision;
    item.tooltip = new Tooltip()
      .title(`${d.actor}, turn ${d.turnNum}`)
      .field('Run', d.runId)
      .text('Goals', d.goals.map((g) => `• ${g}`).join('\n'))
      .text('Reasoning', d.reasoning)
      .text('Action', d.action).markdown;
    return item;
  }
}

/** A folder-like item below a turn (Messages, Metrics) holding records already loaded with the turn. */
class GroupNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TurnNode,
    private readonly label: string,
    private readonly icon: string,
    private readonly description: string,
    private readonly makeChildren: (group: GroupNode) => TreeNode[],
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.label.toLowerCase();
    return item;
  }
  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.makeChildren(this));
  }
}

function messagesGroup(parent: TurnNode, messages: Communication[]): GroupNode {
  const byType = new Map<string, number>();
  for (const m of messages) byType.set(m.type, (byType.get(m.type) ?? 0) + 1);
  const description = [...byType].map(([type, n]) => `${n} ${type}`).join(' · ');
  return new GroupNode(`${parent.id}/messages`, parent, 'Messages', 'comment-discussion', description, (group) => {
    const ids = siblingIds(group.id, messages.map((m) => `message:${m.id}`));
    return messages.map((m, i) => new MessageNode(ids[i], group, m));
  });
}

function metricsGroup(parent: TurnNode, metrics: Metric[]): GroupNode {
  return new GroupNode(`${parent.id}/metrics`, parent, 'Metrics', 'graph', `${metrics.length}`, (group) => {
    const ids = siblingIds(group.id, metrics.map((m) => `metric:${m.name}:${m.actor ?? ''}`));
    return metrics.map((m, i) => new MetricValueNode(ids[i], group, m, metricLabel(m)));
  });
}

const MESSAGE_ICONS: Record<string, string> = { bilateral: 'arrow-swap', coalition: 'organization', public: 'megaphone' };

class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode,
    private readonly message: Communication,
  ) {}
  get source() {
    return this.message.source;
  }
  treeItem(): vscode.TreeItem {
    const m = this.message;
    const to = m.recipients.length > 0 ? ` → ${m.recipients.join(', ')}` : '';
    const item = new vscode.TreeItem(`${m.sender}${to}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${m.type} · ${excerpt(m.content, 60)}`;
    item.iconPath = new vscode.ThemeIcon(MESSAGE_ICONS[m.type] ?? 'comment');
    item.contextValue = ContextValues.message;
    item.tooltip = new Tooltip().title(`${m.type} message from ${m.sender}`).field('To', m.recipients.join(', ')).text('Content', m.content).markdown;
    return item;
  }
}

function metricLabel(m: Pick<Metric, 'name' | 'actor'>): string {
  return m.actor ? `${m.name} (${m.actor})` : m.name;
}

/** One metric record with its value; shared by the Runs and Metrics trees. */
export class MetricValueNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode,
    readonly metric: Metric,
    private readonly label: string,
  ) {}
  get source() {
    return this.metric.source;
  }
  treeItem(): vscode.TreeItem {
    const m = this.metric;
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = formatNumber(m.value);
    item.iconPath = new vscode.ThemeIcon('symbol-number');
    item.contextValue = ContextValues.metricValue;
    item.tooltip = new Tooltip().title(m.name).field('Value', formatNumber(m.value)).field('Actor', m.actor).field('Turn', m.turnNum).field('Run', m.runId).markdown;
    return item;
  }
}

function statusIcon(status: string, progress: RunProgress): vscode.ThemeIcon {
  switch (progress.kind) {
    case 'active':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'interrupted':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));
    case 'ended':
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('charts.blue'));
    case 'recorded':
      break;
  }
  switch (status) {
    case 'completed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'halted':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}
