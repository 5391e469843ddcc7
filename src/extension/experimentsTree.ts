/**
 * The Experiments view (scenarioLab.experiments): batch experiment → variation (description,
 * completed/failed, cost) → its runs by folder, failed runs marked with their batch status.
 * Everything comes from the analytics API (listExperiments, variationStatistics).
 */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { BatchRun, ExperimentSummary, VariationFigures } from '../core/analytics/experiments';
import type { Feature } from './feature';
import { NodeTreeProvider, type TreeNode } from './treeNodes';
import { formatCost, formatCount } from '../core/analytics/numberFormat';
import { Tooltip } from './treeText';
import { ContextValues, Views } from './constants';

/** Where a run folder is on disk, for "click reveals it" (the service's key → Uri). */
export type FolderUri = (key: string) => vscode.Uri | undefined;

export async function loadExperimentsRoots(analytics: Analytics, uriOf: FolderUri = () => undefined): Promise<ExperimentNode[]> {
  return (await analytics.listExperiments()).map((e) => new ExperimentNode(e, analytics, uriOf));
}

class ExperimentNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly experiment: ExperimentSummary,
    private readonly analytics: Analytics,
    private readonly uriOf: FolderUri,
  ) {
    this.id = `experiment:${experiment.folder}`;
  }
  treeItem(): vscode.TreeItem {
    const e = this.experiment;
    const item = new vscode.TreeItem(e.experimentName, vscode.TreeItemCollapsibleState.Collapsed);
    const failed = e.runsFailed > 0 ? ` · ${formatCount(e.runsFailed)} failed` : '';
    item.description = `${formatCount(e.variationCount)} variation${e.variationCount === 1 ? '' : 's'} · ${formatCount(e.runsCompleted)}/${formatCount(e.runsPlanned)} completed${failed} · ${formatCost(e.totalCost)}`;
    item.tooltip = new Tooltip()
      .title(e.experimentName)
      .field('Folder', e.folder)
      .field('Base scenario', e.baseScenario)
      .field('Runs per variation', e.runsPerVariation)
      .field('Budget', e.budgetLimit === null ? null : formatCost(e.budgetLimit))
      .field('Cost limit per run', e.costPerRunLimit === null ? null : formatCost(e.costPerRunLimit))
      .text('Description', e.description).markdown;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = ContextValues.experiment;
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const stats = await this.analytics.variationStatistics(this.experiment.folder);
    return (stats?.variations ?? []).map((v) => new VariationNode(this, v, this.uriOf));
  }
}

class VariationNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ExperimentNode,
    readonly variation: VariationFigures,
    private readonly uriOf: FolderUri,
  ) {
    this.id = `${parent.id}/variation:${variation.variationId}`;
  }
  treeItem(): vscode.TreeItem {
    const v = this.variation;
    const item = new vscode.TreeItem(`${v.variationId} · ${v.description ?? 'no description'}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${formatCount(v.runsCompleted)} completed · ${formatCount(v.runsFailed)} failed · ${formatCost(v.totalCost)}`;
    item.tooltip = new Tooltip()
      .title(`Variation ${v.variationId}`)
      .field('Description', v.description)
      .field('Modifications', v.modifications === null ? null : JSON.stringify(v.modifications))
      .field('Average cost per run', v.avgCostPerRun === null ? null : formatCost(v.avgCostPerRun)).markdown;
    item.iconPath = new vscode.ThemeIcon('symbol-enum-member');
    item.contextValue = ContextValues.variation;
    return item;
  }
  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.variation.runs.map((r) => new BatchRunNode(this, r, this.uriOf)));
  }
}

/** Failed batch statuses are marked; `success` and unrecorded runs are plain. */
const STATUS_ICONS: Record<string, string> = { failed: 'error', cost_limit_exceeded: 'warning', budget_exceeded: 'circle-slash' };

class BatchRunNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: VariationNode,
    readonly run: BatchRun,
    private readonly uriOf: FolderUri,
  ) {
    this.id = `${parent.id}/run:${run.name}`;
  }
  treeItem(): vscode.TreeItem {
    const r = this.run;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    const status = r.batchStatus === null ? 'not recorded yet' : r.batchStatus;
    item.description = r.hasFolder ? `${status}${r.runId ? ` · ${r.runId}` : ''}` : `${status} · no folder`;
    item.tooltip = new Tooltip().title(r.folder).field('Batch status', status).field('Run id', r.runId).field('Run status', r.status).text('Error', r.error).markdown;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICONS[r.batchStatus ?? ''] ?? (r.batchStatus === 'success' ? 'pass' : 'circle-outline'));
    item.contextValue = r.batchStatus && r.batchStatus !== 'success' ? ContextValues.batchRunFailed : ContextValues.batchRun;
    const folder = r.hasFolder ? this.uriOf(r.folder) : undefined;
    if (folder) item.command = { command: 'revealInExplorer', title: 'Reveal Run Folder', arguments: [folder] };
    return item;
  }
}

export const experimentsTree: Feature = (_context, service, trees) => {
  const provider = new NodeTreeProvider(() => loadExperimentsRoots(service.analytics, (key) => service.uriOf(key)));
  return [
    provider,
    trees.take(Views.experiments, provider),
    service.onDidChange(() => provider.refresh()),
  ];
};
