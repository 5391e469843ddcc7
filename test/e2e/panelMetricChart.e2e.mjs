// Metric chart from the command palette: cooperation_level in one scenario shows every run's line,
// the min–max band and the mean; hover names run/turn/value; clicking a point opens that run's world
// state for the turn at its line; the aggregate equals the CLI's.
import assert from 'node:assert/strict';
import { acceptQuickPick, answerQuickPick, cliFor, panel, waitForIndex } from './panelHelpers.mjs';

export const title = 'Metric chart panel: every run line + band for cooperation_level, hover, click opens the world state';
export const timeoutMs = 240_000;

const SCENARIO = 'AI Regulatory Negotiation';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const cli = cliFor(t.workspace);
  const records = cli.json('metrics', '--name', 'cooperation_level', '--scenario', SCENARIO);
  const runIds = [...new Set(records.map((m) => m.run_id))].sort();
  const aggregate = cli.json('aggregate', 'cooperation_level', '--scenario', SCENARIO);

  await waitForIndex(t);
  await t.runCommand('Scenario Lab: Show Metric Chart…');
  await answerQuickPick(t, 'cooperation_level');
  await answerQuickPick(t, SCENARIO);
  await acceptQuickPick(t); // runs: all are ticked by default

  const web = panel(t);
  await web.locator('svg.line-chart path.series-line').first().waitFor({ timeout: 30_000 });
  const lines = await web.locator('svg.line-chart path.series-line').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-run')).sort());
  assert.deepEqual(lines, runIds, 'one line per run');
  assert.equal(await web.locator('svg.line-chart polygon.band').count(), 1, 'the min–max band');
  assert.equal(await web.locator('svg.line-chart path.mean-line').count(), 1, 'the mean line');
  assert.equal(await web.locator('svg.line-chart circle.point').count(), records.length === 0 ? 0 : new Set(records.map((m) => `${m.run_id}/${m.turn_number}`)).size);
  const shownCount = await web.locator('#aggregate dd').nth(3).textContent();
  assert.equal(shownCount, String(aggregate.count));
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-metric-chart');

  // Hover: the tooltip names run, turn and value.
  const point = web.locator('circle.point[data-run="run-20251124-151111"][data-turn="3"]');
  await point.hover();
  const tooltip = web.locator('g.tooltip[visibility="visible"] text');
  await tooltip.waitFor({ timeout: 5000 });
  assert.match(await tooltip.textContent(), /run-20251124-151111, turn 3: 5\.5/);
  await t.screenshot('panel-metric-chart-hover');

  // Keyboard: the first point takes focus, arrows move along the run.
  await web.locator('circle.point[tabindex="0"]').focus();
  await t.page.keyboard.press('ArrowRight');
  assert.equal(await web.locator('circle.point:focus').getAttribute('data-turn'), '2');

  // Click: opens the run's world state for turn 3 at the line the index recorded.
  const [origin] = cli.sql(
    "SELECT f.path AS file, o.focus_line FROM sl_origins o JOIN turns t ON o.tbl = 'turns' AND o.row_id = t.id JOIN sl_files f ON f.id = o.file_id WHERE t.run_id = 'run-20251124-151111' AND t.turn_num = 3",
  );
  await point.click();
  const fileName = origin.file.split('/').pop();
  await t.waitFor(async () => (await t.editorTabTitle()) === fileName, { message: `the ${fileName} tab`, timeout: 30_000 });
  assert.equal(await t.waitFor(() => t.activeEditorLine(), { message: 'a cursor line' }), origin.focus_line);
  await t.screenshot('panel-metric-chart-world-state');
}
