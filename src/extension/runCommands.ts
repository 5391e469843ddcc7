/**
 * Commands on one run, from the Runs tree's context menu or the palette (with a run picker):
 * Copy Run Id, Open Run Folder, and Show Run Statistics as text. The statistics webview belongs to
 * the webview feature (scenarioLab.showRunStatistics); this is the plain-text form.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { costBreakdowns, formatFigure, namedBreakdowns, runFigures } from '../core/analytics/runFigures';
import type { RunSummary, RunStatistics } from '../core/analytics/types';
import type { Feature } from './feature';
import type { IndexService } from './indexService';
import { pickRun } from './pickers';
import { markdownTable, showResultDocument } from './resultDocuments';
import { runNodeId, type RunNode } from './runsTreeNodes';
import type { TreeNode } from './treeNodes';
import { formatCost } from '../core/analytics/numberFormat';
import { runTitle } from './runText';
import { Commands } from './constants';

export const runCommands: Feature = (_context, service) => [
  vscode.commands.registerCommand(Commands.copyRunId, async (node?: TreeNode) => {
    const run = await runFrom(service, node, 'Run whose id to copy');
    if (!run) return;
    await vscode.env.clipboard.writeText(run.id);
    vscode.window.setStatusBarMessage(`Copied run id ${run.id}`, 3000);
  }),
  vscode.commands.registerCommand(Commands.openRunFolder, async (node?: TreeNode) => {
    const run = node ? await runFrom(service, node, '') : ((await runOfActiveEditor(service)) ?? (await pickRun(service.analytics, { placeHolder: 'Run folder to show' })));
    const folder = run?.folders[0] && service.uriOf(run.folders[0].path);
    if (!folder) return;
    const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
    // Folders added with Index Folder… are outside the workspace, where the Explorer cannot show them.
    await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', folder);
  }),
  vscode.commands.registerCommand(Commands.showRunStatisticsText, async (node?: TreeNode) => {
    const run = await runFrom(service, node, 'Run to show statistics for');
    // One section per folder when several folders carry the run id (their figures never add up).
    const sections = run ? await service.analytics.runStatisticsPerFolder(run.id) : [];
    if (run && sections.length > 0) await showResultDocument(`Statistics ${runTitle(run)}`, sections.map((s) => statisticsMarkdown(run, s, sections.length > 1)).join('\n\n'));
  }),
];

/**
 * The run of a tree node (a run item, or any item below one), else one the user picks. Matched by
 * shape, not instanceof: callers such as tests and other bundles hold their own copy of the class.
 */
async function runFrom(service: IndexService, node: TreeNode | undefined, placeHolder: string): Promise<RunSummary | undefined> {
  for (let n = node; n; n = n.parent) {
    const run = (n as Partial<RunNode>).run;
    if (run && n.id === runNodeId(run.id)) return run;
  }
  return pickRun(service.analytics, { placeHolder });
}

async function runOfActiveEditor(service: IndexService): Promise<RunSummary | undefined> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const key = uri && service.keyOf(uri);
  return key ? service.analytics.getRunByFolder(path.posix.dirname(key)) : undefined;
}

/** The run's figures (core/analytics/runFigures) as a markdown document: one table of figures, one per cost breakdown. */
function statisticsMarkdown(run: RunSummary, s: RunStatistics, perFolder: boolean): string {
  const figures = runFigures(s);
  return [
    `# Run statistics: ${runTitle(run)}${perFolder ? ` · folder ${s.folder}` : ''}`,
    '',
    markdownTable(
      ['run id', 'scenario', 'status (stored)', ...figures.map((f) => f.label), 'created'],
      [[s.runId, s.scenarioName, s.status, ...figures.map((f) => formatFigure(f.value, f.unit)), s.created]],
    ),
    '',
    // Each breakdown ends with the costs the costs table lacks (world_update, qa_validation), so it sums to the total.
    ...costBreakdowns(namedBreakdowns(s)).flatMap((b) => [`## Cost by ${b.label}`, '', markdownTable([b.label, 'cost'], b.lines.map((c) => [c.name, formatCost(c.total)])), '']),
    `Folders: ${run.folders.map((f) => f.path).join(', ')}`,
    '',
  ].join('\n');
}
