/**
 * Run SQL Query…: asks for a statement, runs it read-only through the SQL door with a cancellable
 * notification, and hands the result to a results grid panel. "Open as text" gives the markdown
 * document earlier versions opened.
 */
import * as vscode from 'vscode';
import { SqlStoppedError, type QueryResult } from '../../core/sql/sqlDoor';
import { rawCellValue } from '../../core/sql/resultGrid';
import { fencedCode } from '../../core/text/markdownText';
import type { SqlResultSnapshot } from '../../protocol/messages';
import type { IndexService } from '../indexService';
import { markdownTable, showResultDocument } from '../resultDocuments';
import { readSettings } from '../settings';
import { buildSqlResultSnapshot } from './snapshots/sqlResultSnapshot';

const LAST_SQL_KEY = 'scenarioLab.lastSqlQuery';
/** Rows the grid receives; the note under the grid says when a query returned more. */
export const SQL_ROWS_SHOWN = 1000;

/** Arguments of scenarioLab.runSqlQuery from code: the statement, without asking. */
export interface RunSqlArgs {
  query?: string;
}

/** The query through the door with the grid's row limit and the user's time limit. */
export function runReadOnlySql(service: IndexService, query: string, signal?: AbortSignal): Promise<QueryResult> {
  return service.readOnlySql(query, { maxRows: SQL_ROWS_SHOWN, timeoutMs: readSettings().sqlTimeoutMs, signal });
}

/**
 * Asks for (or takes) a statement and runs it; resolves to the grid's snapshot, or undefined when
 * nothing was asked, the user cancelled, or the query failed (the error is shown).
 */
export async function askAndRunSql(context: vscode.ExtensionContext, service: IndexService, args?: RunSqlArgs): Promise<SqlResultSnapshot | undefined> {
  const text =
    typeof args?.query === 'string'
      ? args.query
      : await vscode.window.showInputBox({
          title: 'Run SQL Query (read-only)',
          prompt: 'SQLite against the index (runs, turns, decisions, communications, metrics, costs, …); writes are rejected.',
          value: context.workspaceState.get<string>(LAST_SQL_KEY, 'SELECT id, scenario_name, status, total_turns, total_cost FROM runs'),
        });
  if (!text?.trim()) return undefined;
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
        return runReadOnlySql(service, text, abort.signal);
      },
    );
    return buildSqlResultSnapshot({ panel: 'sqlResult', query: text }, result, Date.now() - started);
  } catch (error) {
    if (!(error instanceof SqlStoppedError && error.reason === 'cancelled')) void vscode.window.showErrorMessage(`Scenario Lab SQL: ${(error as Error).message}`);
    return undefined;
  }
}

/** The result as the read-only markdown document of earlier versions (query, table, note). */
export async function openSqlResultAsText(snapshot: SqlResultSnapshot): Promise<void> {
  const table =
    snapshot.columns.length > 0
      ? markdownTable(snapshot.columns, snapshot.rows.map((row) => row.map(rawCellValue)))
      : 'The statement returned no rows.';
  await showResultDocument('SQL result', `${fencedCode(snapshot.selection.query, 'sql')}\n\n${table}\n\n${snapshot.note}\n`);
}
