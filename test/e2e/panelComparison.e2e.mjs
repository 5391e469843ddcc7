// Compare Runs from the command palette: three runs side by side with the figures of the CLI's
// `compare --json`, best/worst marked, the overlay chart, and an action's source link that opens
// the decision file.
import assert from 'node:assert/strict';
import { cliFor, openFirstSourceLink, panel, tableRows, tickQuickPickRows, waitForIndex } from './panelHelpers.mjs';

export const title = 'Comparison panel: three runs show the figures of `compare --json`, marks, overlay, source link';
export const timeoutMs = 240_000;

const RUNS = ['run-20251124-151111', 'run-20251124-163940', 'run-20251124-210320'];

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const expected = cliFor(t.workspace).json('compare', ...RUNS).runs;

  await waitForIndex(t);
  await t.runCommand('Scenario Lab: Compare Runs…');
  await tickQuickPickRows(t, RUNS);

  const web = panel(t);
  await web.locator('#figures-table').waitFor({ timeout: 30_000 });
  // Columns follow the quick pick's order (newest first); match them to the CLI's runs by id.
  const headers = (await web.locator('#figures-table thead th').allTextContents()).slice(1);
  assert.deepEqual([...headers].sort(), [...RUNS].sort());
  const rows = await tableRows(web, '#figures-table');
  const number = (text) => Number(text.replace(/[$,]|▲.*|▼.*/g, '').trim());
  expected.forEach((run) => {
    const i = headers.indexOf(run.run_id);
    assert.equal(rows['Scenario'][i], run.scenario_name);
    assert.equal(rows['Status'][i], run.status);
    assert.equal(number(rows['Turns'][i]), run.turn_count);
    assert.equal(number(rows['Decisions'][i]), run.decision_count);
    assert.equal(number(rows['Communications'][i]), run.communication_count);
    assert.equal(number(rows['Metrics'][i]), run.metric_count);
    assert.equal(number(rows['Total cost'][i]), Number(run.total_cost.toFixed(4)));
    assert.equal(number(rows['Total tokens'][i]), run.tokens.total);
    for (const phase of run.cost_by_phase) assert.equal(number(rows[`Cost by phase: ${phase.phase}`][i]), Number(phase.total.toFixed(4)), phase.phase);
  });
  // Marked per turn among completed runs only (the running run-004 is cheaper per turn than neither, but is never marked).
  const perTurn = headers.map((id) => expected.find((r) => r.run_id === id)).map((r) => (r.status === 'completed' ? r.total_cost / r.turn_count : undefined));
  const completed = perTurn.filter((v) => v !== undefined);
  assert.match(rows['Cost per turn'][perTurn.indexOf(Math.min(...completed))], /best/);
  assert.match(rows['Cost per turn'][perTurn.indexOf(Math.max(...completed))], /worst/);
  assert.doesNotMatch(rows['Cost per turn'][perTurn.indexOf(undefined)], /best|worst/);
  assert.doesNotMatch(rows['Total cost'].join(' '), /best|worst/);
  assert.match(await web.locator('#marks-note').textContent(), /per turn among the runs that completed/);
  await web.locator('.metric-plot[data-drawn-at]').waitFor({ timeout: 15_000 });
  assert.equal(await web.locator('.metric-plot').getAttribute('data-lines'), '3', 'overlay: one line per compared run');
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-comparison');

  await web.locator('#actions-table').scrollIntoViewIfNeeded();
  await t.screenshot('panel-comparison-actions');
  await openFirstSourceLink(t, web, '#actions-table');
}
