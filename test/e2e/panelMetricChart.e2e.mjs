// Metric chart from the command palette: cooperation_level in one scenario (6 runs) shows a line per
// run first, on the declared 0–10 range; hovering a point shows run/turn/value; clicking it opens
// that run's world state for the turn at its line; the aggregate equals the CLI's.
import assert from 'node:assert/strict';
import { answerQuickPick, cliFor, panel, waitForIndex } from './panelHelpers.mjs';

export const title = 'Metric chart panel: a line per run on the declared range for cooperation_level, hover, click opens the world state';
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

  const web = panel(t);
  const chart = web.locator('.metric-plot[data-drawn-at]');
  await chart.waitFor({ timeout: 30_000 });
  // 6 runs: a line each by default (the distribution is the default beyond 12), chart first.
  assert.equal(await chart.getAttribute('data-view'), 'runs');
  assert.equal(Number(await chart.getAttribute('data-lines')), runIds.length, 'one line per run');
  const legend = await web.locator('.metric-plot .u-legend .u-series th').allTextContents();
  assert.equal(legend.filter((l) => /run-\d/.test(l)).length, runIds.length, 'a legend entry per run, named by its folder');
  const order = await web.locator('h1, .metric-plot, #metric-choice, #values-table').evaluateAll((els) => els.map((e) => e.tagName === 'H1' ? 'title' : e.classList.contains('metric-plot') ? 'chart' : e.id));
  assert.deepEqual(order.slice(0, 2), ['title', 'chart'], 'the chart comes right after the title');
  // The y axis spans metrics.yaml's declared range [0, 10], not the data's padded range.
  const yScale = await chart.evaluate((el) => ({ min: el.plot.scales.y.min, max: el.plot.scales.y.max }));
  assert.deepEqual(yScale, { min: 0, max: 10 });
  const shownCount = await web.locator('#aggregate dd').nth(3).textContent();
  assert.equal(shownCount, String(aggregate.count));
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-metric-chart');

  // Hover: the point of run-001 at turn 3 highlights its line and the legend shows its value.
  const at = async (turn, value) => {
    const box = await web.locator('.metric-plot .u-over').boundingBox();
    const { x, y } = await chart.evaluate((el, [turn, value]) => ({ x: el.plot.valToPos(turn, 'x'), y: el.plot.valToPos(value, 'y') }), [turn, value]);
    return { x: box.x + x, y: box.y + y };
  };
  const point = await at(3, 5.5);
  await t.page.mouse.move(point.x, point.y);
  await t.waitFor(async () => (await web.locator('.metric-plot .u-legend .u-series').first().textContent())?.includes('turn 3'), { message: 'the legend follows the cursor' });
  const values = await web.locator('.metric-plot .u-legend .u-series').evaluateAll((rows) => rows.map((r) => r.textContent));
  assert.ok(values.some((v) => /^run-001.*5\.5/.test(v)), values.join(' | '));
  await t.screenshot('panel-metric-chart-hover');

  // Click: opens the run's world state for turn 3 at the line the index recorded.
  const [origin] = cli.sql(
    "SELECT f.path AS file, o.focus_line FROM sl_origins o JOIN turns t ON o.tbl = 'turns' AND o.row_id = t.id JOIN sl_files f ON f.id = o.file_id WHERE t.run_id = 'run-20251124-151111' AND t.turn_num = 3",
  );
  await t.page.mouse.click(point.x, point.y);
  const fileName = origin.file.split('/').pop();
  await t.waitFor(async () => (await t.editorTabTitle()) === fileName, { message: `the ${fileName} tab`, timeout: 30_000 });
  assert.equal(await t.waitFor(() => t.activeEditorLine(), { message: 'a cursor line' }), origin.focus_line);
  await t.screenshot('panel-metric-chart-world-state');
}
