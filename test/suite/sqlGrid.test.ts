/**
 * Run SQL Query… in the real extension host: the result opens in the results grid panel (a
 * webview, no longer a markdown document with `scenario\_name` and unformatted costs), with the
 * rows the index holds, raw values kept; a second query opens a second panel.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SqlResultSnapshot } from '../../src/protocol/messages';
import { eventually, readyApi } from './helpers';

const sqlTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('scenarioLab.sqlResult'));

describe('SQL results grid', function () {
  this.timeout(90_000);
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens the grid panel with the rows of the query, raw costs kept', async () => {
    const api = await readyApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const query = 'SELECT id, scenario_name, status, total_turns, total_cost FROM runs ORDER BY id';
    const snapshot = await vscode.commands.executeCommand<SqlResultSnapshot>('scenarioLab.runSqlQuery', { query });
    assert.ok(snapshot, 'the command returned the grid snapshot');
    const runs = await api.db.selectFrom('runs').select(['id', 'scenario_name', 'status', 'total_turns', 'total_cost']).orderBy('id').execute();
    assert.deepEqual(snapshot.columns, ['id', 'scenario_name', 'status', 'total_turns', 'total_cost']);
    assert.deepEqual(
      snapshot.rows,
      runs.map((r) => [r.id, r.scenario_name, r.status, r.total_turns, r.total_cost]),
    );
    assert.ok(runs.length > 0);
    assert.match(snapshot.note, new RegExp(`^${runs.length} rows? in [\\d,]+ ms\\.$`));
    const tabs = await eventually(() => (sqlTabs().length === 1 ? sqlTabs() : undefined), 'the grid panel is open');
    assert.match(tabs[0].label, /^SQL: SELECT id, scenario_name/);
    assert.equal(vscode.window.activeTextEditor, undefined, 'no markdown document any more');
  });

  it('says when the row limit cut the result, and opens a panel per query', async () => {
    const snapshot = await vscode.commands.executeCommand<SqlResultSnapshot>('scenarioLab.runSqlQuery', {
      query: 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1500) SELECT x, NULL AS nothing_here FROM n',
    });
    assert.equal(snapshot.rows.length, 1000);
    assert.ok(snapshot.truncated);
    assert.match(snapshot.note, /^Showing the first 1,000 rows; the query returned more/);
    assert.equal(snapshot.rows[0][1], null);
    await eventually(() => sqlTabs().length === 2, 'a second grid panel');
  });

  it('shows a refused write as an error, not a panel', async () => {
    const before = sqlTabs().length;
    const snapshot = await vscode.commands.executeCommand<SqlResultSnapshot | undefined>('scenarioLab.runSqlQuery', { query: 'DELETE FROM runs' });
    assert.equal(snapshot, undefined);
    assert.equal(sqlTabs().length, before);
  });
});
