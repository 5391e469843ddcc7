/**
 * The analytics questions as palette commands: decisions of an actor, a metric's aggregate,
 * metrics to CSV, a database backup, and a read-only SQL query. Inputs are picked from the index.
 */
import * as vscode from 'vscode';
import { metricsCsv } from '../core/analytics/csv';
import type { SqlValue } from 'sql.js';
import type { Feature } from './features';
import type { IndexService } from './indexService';
import { pickMetric, pickScenario } from './pickers';
import { SqlStoppedError } from '../core/sql/sqlDoor';
import { fencedCode } from '../core/text/markdownText';
import { markdownTable, showResultDocument } from './resultDocuments';
import { readSettings } from './settings';
import { openSource } from './sourceNavigation';
import { formatNumber } from '../core/analytics/numberFormat';
import { decisionHeadline } from '../core/analytics/decisionHeadline';

const LAST_SQL_KEY = 'scenarioLab.lastSqlQuery';
const SQL_ROWS_SHOWN = 1000;

export const queryCommands: Feature = (context, service) => [
  vscode.commands.registerCommand('scenarioLab.queryDecisionsForActor', () => queryDecisionsForActor(service)),
  vscode.commands.registerCommand('scenarioLab.aggregateMetric', () => aggregateMetric(service)),
  vscode.commands.registerCommand('scenarioLab.exportMetricsCsv', () => exportMetricsCsv(service)),
  vscode.commands.registerCommand('scenarioLab.backupDatabase', () => backupDatabase(service)),
  vscode.commands.registerCommand('scenarioLab.runSqlQuery', () => runSqlQuery(context, service)),
];

async function queryDecisionsForActor(service: IndexService): Promise<void> {
  const rows = await service.analytics.listActors();
  const scenariosOf = new Map<string, string[]>();
  for (const row of rows) scenariosOf.set(row.actor, [...(scenariosOf.get(row.actor) ?? []), row.scenarioId]);
  const actor = await vscode.window.showQuickPick([...scenariosOf.keys()], { placeHolder: 'Actor whose decisions to list' });
  if (!actor) return;
  const scenario = await pickScenario(scenariosOf.get(actor)!, `Scenario of ${actor}'s decisions`);
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

async function runSqlQuery(context: vscode.ExtensionContext, service: IndexService): Promise<void> {
  const text = await vscode.window.showInputBox({
    title: 'Run SQL Query (read-only)',
    prompt: 'SQLite against the index (runs, turns, decisions, communications, metrics, costs, …); writes are rejected.',
    value: context.workspaceState.get<string>(LAST_SQL_KEY, 'SELECT id, scenario_name, status, total_turns, total_cost FROM runs'),
  });
  if (!text?.trim()) return;
  await context.workspaceState.update(LAST_SQL_KEY, text);
  const started = Date.now();
  try {
    // A cancellable notification: Cancel (or the time limit) stops the query's sandbox thread; the
    // index itself never waits for it.
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Scenario Lab: running SQL query…', cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return service.readOnlySql(text, { maxRows: SQL_ROWS_SHOWN, timeoutMs: readSettings().sqlTimeoutMs, signal: abort.signal });
      },
    );
    const note = result.more
      ? `\n\nShowing the first ${result.rows.length} rows; the query returned more${result.cutBy === 'bytes' ? ' (the result is larger than a query may return)' : ''}.`
      : `\n\n${result.rows.length} row(s) in ${Date.now() - started} ms.`;
    const table = result.columns.length > 0 ? markdownTable(result.columns, result.rows.map((row) => row.map(sqlCell))) : 'The statement returned no rows.';
    await showResultDocument('SQL result', `${fencedCode(text, 'sql')}\n\n${table}${note}\n`);
  } catch (error) {
    if (error instanceof SqlStoppedError && error.reason === 'cancelled') return;
    void vscode.window.showErrorMessage(`Scenario Lab SQL: ${(error as Error).message}`);
  }
}

function sqlCell(value: SqlValue): string | number | null {
  return value instanceof Uint8Array ? `<${value.byteLength} bytes>` : value;
}

function defaultFile(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
