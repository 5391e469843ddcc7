/**
 * The Runs view (scenarioLab.runs) and "Reveal in Scenario Lab". The tree is rebuilt from the index
 * after every index change (ids are stable, so expansion and selection survive); a run that is
 * still being written is refreshed again once it has been quiet long enough to count as ended.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import { describeRunProgress, RUNNING, type RunProgress } from '../core/analytics/runProgress';
import type { RunSummary, RunFolder } from '../core/analytics/types';
import type { Feature } from './feature';
import type { IndexService } from './indexService';
import { FolderNode, RunNode, runNodeId, RUNS_PER_PAGE, ScenarioNode, scenarioNodeId } from './runsTreeNodes';
import { NodeTreeProvider, pagingWith, registerShowMore, type Paging, type TreeNode } from './treeNodes';
import { compareRunLabels, runLabel } from './runText';
import { showIndexingIn } from './runsViewProgress';
import { plural } from '../core/analytics/numberFormat';
import { Commands, Views } from './constants';

/** The group of run folders whose scenario no file names. */
const OTHER_FOLDERS = 'Other run folders';

export interface RunsRoots {
  scenarios: ScenarioNode[];
  /** When the next `running` run turns quiet and its derived state changes; undefined when none will. */
  nextChangeAtMs: number | undefined;
}

/** `paging`: how many runs each scenario shows (RUNS_PER_PAGE at first; the view keeps it across refreshes). */
export async function loadRunsRoots(analytics: Analytics, nowMs = Date.now(), paging: Partial<Paging> = {}): Promise<RunsRoots> {
  const pages = pagingWith(paging, RUNS_PER_PAGE);
  const [runs, folders, activity] = await Promise.all([analytics.listRuns(), analytics.listFolders({ withoutRun: true }), analytics.folderActivity({ runStatus: RUNNING })]);
  // Only a running run's progress is derived from its files (describeRunProgress): only its folders' times are read.
  const lastModified = new Map(activity.map((a) => [a.folder, a.lastModifiedMs]));
  const byScenario = new Map<string, { runs: RunSummary[]; folders: RunFolder[] }>();
  const group = (name: string) => byScenario.get(name) ?? byScenario.set(name, { runs: [], folders: [] }).get(name)!;
  for (const run of runs) group(run.scenarioName).runs.push(run);
  for (const folder of folders) group(folder.scenarioName ?? OTHER_FOLDERS).folders.push(folder);

  let nextChangeAtMs: number | undefined;
  const progressOf = (run: RunSummary): RunProgress => {
    // A resumed run spans folders; the one written last tells how it is doing.
    const latest = [...run.folders].sort((a, b) => (lastModified.get(b.path) ?? 0) - (lastModified.get(a.path) ?? 0))[0];
    const progress = latest
      ? describeRunProgress({ ...latest, status: run.status }, lastModified.get(latest.path), nowMs)
      : ({ kind: 'recorded' } as const);
    if (progress.kind === 'active' && progress.quietAtMs !== undefined) nextChangeAtMs = Math.min(nextChangeAtMs ?? Infinity, progress.quietAtMs);
    return progress;
  };

  const scenarios = [...byScenario.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => {
      const sortedRuns = [...members.runs].sort((a, b) => compareRunLabels(runLabel(a), runLabel(b)));
      const progress = sortedRuns.map(progressOf);
      return new ScenarioNode(
        name,
        (parent) => [
          ...sortedRuns.map((run, i) => new RunNode(parent, run, progress[i], analytics)),
          ...members.folders.map((folder) => new FolderNode(parent, folder)),
        ],
        { runs: members.runs.length, folders: members.folders.length },
        pages,
      );
    });
  return { scenarios, nextChangeAtMs };
}

export const runsTree: Feature = (_context, service, trees) => {
  let refreshTimer: NodeJS.Timeout | undefined;
  const shown = new Map<string, number>();
  const provider = new NodeTreeProvider(async () => {
    const { scenarios, nextChangeAtMs } = await loadRunsRoots(service.analytics, Date.now(), { shown });
    clearTimeout(refreshTimer);
    if (nextChangeAtMs !== undefined) refreshTimer = setTimeout(() => provider.refresh(), Math.max(1000, nextChangeAtMs - Date.now() + 1000));
    const runs = scenarios.reduce((n, s) => n + s.counts.runs, 0);
    view.description = runs > 0 ? plural(runs, 'run') : undefined;
    return scenarios;
  });
  const view = trees.take(Views.runs, provider);
  return [
    provider,
    view,
    ...showIndexingIn(view, Views.runs, service, () => provider.refresh()),
    service.onDidChange(() => provider.refresh()),
    registerShowMore(Commands.showMoreRuns, provider),
    vscode.commands.registerCommand(Commands.revealInScenarioLab, (uri?: vscode.Uri) => revealInRunsTree(service, provider, view, uri)),
    { dispose: () => clearTimeout(refreshTimer) },
  ];
};

/** From a run file (the active editor's, or one picked in the explorer) to its item in the Runs tree. */
async function revealInRunsTree(service: IndexService, provider: NodeTreeProvider, view: vscode.TreeView<TreeNode>, uri: vscode.Uri | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri;
  const key = target && service.keyOf(target);
  const run = key ? await service.analytics.getRunByFolder(path.posix.dirname(key)) : undefined;
  if (!key || !run) {
    void vscode.window.showInformationMessage('Scenario Lab: this file is not part of an indexed run.');
    return;
  }
  // A run beyond the pages shown: list the pages up to it first.
  const scenarioNode = await provider.findByIds([scenarioNodeId(run.scenarioName)]);
  if (scenarioNode instanceof ScenarioNode && scenarioNode.showChild(runNodeId(run.id))) provider.refreshNode(scenarioNode);
  const runNode = await provider.findByIds([scenarioNodeId(run.scenarioName), runNodeId(run.id)]);
  if (runNode?.id !== runNodeId(run.id)) return;
  const line = editor && editor.document.uri.toString() === target.toString() ? editor.selection.active.line + 1 : undefined;
  const node = (await nodeAt(provider, runNode, key, line)) ?? runNode;
  await view.reveal(node, { select: true, focus: true, expand: true });
}

/** The node whose source is `file`, preferring the one whose lines hold `line`. */
async function nodeAt(provider: NodeTreeProvider, runNode: TreeNode, file: string, line: number | undefined): Promise<TreeNode | undefined> {
  const inFile = (await provider.descendants(runNode)).filter((n) => n.source?.file === file);
  const containing = line === undefined ? undefined : inFile.find((n) => n.source!.startLine <= line && line <= n.source!.endLine);
  return containing ?? inFile[0];
}
