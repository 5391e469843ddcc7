/**
 * The analytics questions as palette commands: decisions of an actor, a metric's aggregate,
 * metrics to CSV and a database backup (Run SQL Query… is in webviews/sqlResults.ts). Inputs are picked from the index.
 */
import * as vscode from 'vscode';
import { metricsCsv } from '../core/analytics/csv';
import type { Feature } from './feature';
import type { IndexService } from './indexService';
import { pickMetric, pickScenario } from './pickers';
import { markdownTable, showResultDocument } from './resultDocuments';
import { openSource } from './sourceNavigation';
import { formatNumber } from '../core/analytics/numberFormat';
import { decisionHeadline } from '../core/analytics/decisionHeadline';
import { Commands } from './constants';
import { groupBy } from '../core/analytics/grouping';

export const queryCommands: Feature = (_context, service) => [
  vscode.commands.registerCommand(Commands.queryDecisionsForActor, () => queryDecisionsForActor(service)),
  vscode.commands.registerCommand(Commands.aggregateMetric, () => aggregateMetric(service)),
  vscode.commands.registerCommand(Commands.exportMetricsCsv, () => exportMetricsCsv(service)),
  vscode.commands.registerCommand(Commands.backupDatabase, () => backupDatabase(service)),
];

async function queryDecisionsForActor(service: IndexService): Promise<void> {
  const rows = await service.analytics.listActors();
  const byActor = groupBy(rows, (row) => row.actor);
  const actor = await vscode.window.showQuickPick([...byActor.keys()], { placeHolder: 'Actor whose decisions to list' });
  if (!actor) return;
  const scenario = await pickScenario(byActor.get(actor)!.map((row) => row.scenarioId), `Scenario of ${actor}'s decisions`);
  if (scenario === undefined) return;
  const decisions = await service.analytics.queryDecisionsForActor(actor, scenario ? { scenario } : {});
  const picked = await vscode.window.showQuickPick(
    decisions.map((d) => ({ label: `Turn ${d.turnNum}`, description: d.runId, detail: decisionHeadline(d.action, 160), decision: d })),
    { placeHolder: `${decisions.length} decisions of ${actor} in turn order: pick one to open it`, matchOnDetail: true },
  );
  if (picked?.decision.source) await openSource(service, picked.decision.source);
}

async function aggregateMetric(service: IndexService): Promise<void> {
  const metric = await pickMetric(service.analytics, 'Metric to aggregate');
  if (!metric) return;
  const scenario = await pickScenario(metric.scenarioIds, `Scenario to aggregate ${metric.name} over`);
  if (scenario === undefined) return;
  const options = scenario ? { scenario } : {};
  const [aggregate, evolution] = await Promise.all([service.analytics.aggregateMetrics(metric.name, options), service.analytics.metricEvolution(metric.name, options)]);
  const where = scenario ?? 'all scenarios';
  const markdown = [
    `# ${metric.name} (${where})`,
    '',
    markdownTable(['avg', 'min', 'max', 'count'], [[formatNumber(aggregate.avg), formatNumber(aggregate.min), formatNumber(aggregate.max), aggregate.count]]),
    '',
    '## By turn',
    '',
    markdownTable(['turn', 'avg', 'min', 'max', 'count'], evolution.map((p) => [p.turn, formatNumber(p.avg), formatNumber(p.min), formatNumber(p.max), p.count])),
    '',
  ].join('\n');
  await showResultDocument(`${metric.name} aggregate`, markdown);
}

async function exportMetricsCsv(service: IndexService): Promise<void> {
  const names = [...new Set((await service.analytics.listMetricNames()).map((m) => m.name))];
  const picked = await vscode.window.showQuickPick([{ label: 'All metrics', name: undefined as string | undefined }, ...names.map((name) => ({ label: name, name }))], {
    placeHolder: 'Metric records to export',
  });
  if (!picked) return;
  const destination = await vscode.window.showSaveDialog({
    defaultUri: defaultFile(`${picked.name ?? 'metrics'}.csv`),
    filters: { CSV: ['csv'] },
    title: 'Export Metrics to CSV',
  });
  if (!destination) return;
  const metrics = await service.analytics.queryMetrics(picked.name ? { metricName: picked.name } : {});
  await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(metricsCsv(metrics)));
  const open = await vscode.window.showInformationMessage(`Exported ${metrics.length} metric records to ${destination.fsPath}.`, 'Open');
  if (open) await vscode.window.showTextDocument(destination);
}

async function backupDatabase(service: IndexService): Promise<void> {
  const destination = await vscode.window.showSaveDialog({
    defaultUri: defaultFile('scenario-lab-index-backup.db'),
    filters: { 'SQLite database': ['db', 'sqlite'] },
    title: 'Back Up the Scenario Lab Index',
  });
  if (!destination) return;
  let force = false;
  if (await exists(destination)) {
    // Asked here whatever the save dialog did; the index then still replaces only an earlier backup.
    const choice = await vscode.window.showWarningMessage(
      `${destination.fsPath} already exists. Replace it? Only an earlier backup of the Scenario Lab index is replaced; any other file is left untouched.`,
      { modal: true },
      'Replace',
    );
    if (choice !== 'Replace') return;
    force = true;
  }
  try {
    await service.backup(destination, { force });
  } catch (error) {
    void vscode.window.showErrorMessage(`Scenario Lab did not back up the index: ${(error as Error).message}`);
    return;
  }
  void vscode.window.showInformationMessage(`Scenario Lab index backed up to ${destination.fsPath}.`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function defaultFile(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
