/** Quick picks filled from the index, shared by the commands (never free text where a list exists). */
import * as vscode from 'vscode';
import type { Analytics } from '../core/analytics/analytics';
import type { RunSummary } from '../core/analytics/types';
import { RUN_PICK_OPTIONS, runFolderPickItems, runPickItem, type RunFolderPickItem } from './runText';
import { groupBy } from '../core/analytics/grouping';

/** How a run quick pick asks: a command's placeholder, or a panel's title kept open when focus moves. */
export type RunPrompt = Pick<vscode.QuickPickOptions, 'title' | 'placeHolder' | 'ignoreFocusOut'>;

/**
 * One run from a quick pick over every indexed run (in listRuns order); see pickRunFrom. Undefined
 * when cancelled, or when no run is indexed (then an information message says so instead of an
 * empty list).
 */
export async function pickRun(analytics: Analytics, prompt: RunPrompt): Promise<RunSummary | undefined> {
  const runs = await indexedRuns(analytics);
  return runs && pickRunFrom(runs, prompt);
}

/** Several runs, ticked in the same quick pick as pickRun's; undefined when cancelled or when no run is indexed. */
export async function pickRuns(analytics: Analytics, prompt: RunPrompt): Promise<RunSummary[] | undefined> {
  const runs = await indexedRuns(analytics);
  const picked = runs && (await vscode.window.showQuickPick(runs.map(runPickItem), { ...prompt, ...RUN_PICK_OPTIONS, canPickMany: true }));
  return picked?.map((item) => item.run);
}

/**
 * One of `runs` from a quick pick in the given order that matches on each run's folder, id, status
 * and scenario (runPickItem). Undefined when cancelled.
 */
export async function pickRunFrom(runs: readonly RunSummary[], prompt: RunPrompt): Promise<RunSummary | undefined> {
  const picked = await vscode.window.showQuickPick(runs.map(runPickItem), { ...prompt, ...RUN_PICK_OPTIONS });
  return picked?.run;
}

/**
 * One folder of one run: a run id several folders carry (parallel batch runs, a resumed run) is
 * offered once per folder (runFolderPickItems), so that figures of one folder are never shown beside
 * another folder's name. `folder` is undefined for a run of a single folder. Undefined when
 * cancelled or when no run is indexed.
 */
export async function pickRunFolder(analytics: Analytics, prompt: RunPrompt): Promise<Pick<RunFolderPickItem, 'run' | 'folder'> | undefined> {
  const runs = await indexedRuns(analytics);
  const picked = runs && (await vscode.window.showQuickPick(runs.flatMap(runFolderPickItems), { ...prompt, ...RUN_PICK_OPTIONS }));
  return picked && { run: picked.run, folder: picked.folder };
}

async function indexedRuns(analytics: Analytics): Promise<RunSummary[] | undefined> {
  const runs = await analytics.listRuns();
  if (runs.length > 0) return runs;
  void vscode.window.showInformationMessage('Scenario Lab: no runs are indexed yet.');
  return undefined;
}

/** A scenario to narrow a question to; `null` = all scenarios. Skips the prompt when there is only one. */
export async function pickScenario(scenarioIds: readonly string[], placeHolder: string): Promise<string | null | undefined> {
  if (scenarioIds.length <= 1) return null;
  const picked = await vscode.window.showQuickPick(
    [{ label: 'All scenarios', scenario: null as string | null }, ...scenarioIds.map((id) => ({ label: id, scenario: id as string | null }))],
    { placeHolder },
  );
  return picked ? picked.scenario : undefined;
}

export async function pickMetric(analytics: Analytics, placeHolder: string): Promise<{ name: string; scenarioIds: string[] } | undefined> {
  const rows = await analytics.listMetricNames();
  const byName = new Map([...groupBy(rows, (row) => row.name)].map(([name, list]) => [name, list.map((row) => row.scenarioId)]));
  if (byName.size === 0) {
    void vscode.window.showInformationMessage('Scenario Lab: no metrics are indexed yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...byName.entries()].map(([name, scenarioIds]) => ({ label: name, description: scenarioIds.join(', '), name, scenarioIds })),
    { placeHolder },
  );
  return picked && { name: picked.name, scenarioIds: picked.scenarioIds };
}

/**
 * An experiment: the one `given` names (folder or name) without asking, else a quick pick matching on
 * its name, folder, base scenario and counts. Undefined when cancelled or when none is indexed.
 */
export async function pickExperiment(analytics: Analytics, placeHolder: string, given?: string): Promise<{ folder: string; experimentName: string } | undefined> {
  if (given !== undefined) {
    const matches = await analytics.findExperiments(given);
    if (matches.length === 1) return matches[0];
  }
  const experiments = await analytics.listExperiments();
  if (experiments.length === 0) {
    void vscode.window.showInformationMessage('Scenario Lab: no batch experiment is indexed (a folder with batch-config.yaml or batch-state.json beside runs/var-VVV-run-RRR/).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    experiments.map((e) => ({
      label: pickText(e.experimentName),
      description: e.folder,
      detail: `${e.baseScenario ?? 'unknown base scenario'} · ${e.variationCount} variations · ${e.runsCompleted} completed, ${e.runsFailed} failed`,
      experiment: e,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked && { folder: picked.experiment.folder, experimentName: picked.experiment.experimentName };
}

/** A name from run or batch files, as quick pick text: `$(…)` would render as an icon. */
export function pickText(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
