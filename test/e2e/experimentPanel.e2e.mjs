// The Experiment panel on a 3-variation × 12-run batch with two failed runs (made by the sample
// generator and copied into the open workspace, so it is indexed live): opened from the palette,
// its comparison, final-value and cost tables equal `variations --metric --json`, a run's point
// opens its world state, CSV export writes one row per variation, and screenshots of the
// Experiments tree and the panel in dark and light themes. Prints `experiment panel ready: N ms`,
// the time from invoking the command (index ready) to both charts drawn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/vscode-host/host.mjs';
import { answerQuickPick, cliFor, panel, tableRows } from './panelHelpers.mjs';

export const title = 'Experiment panel: a 3 × 12 batch compared as the CLI computes it, a run opened from its point, CSV export, dark and light';
export const timeoutMs = 300_000;

const BATCH = 'experiments/model-comparison';
const NAME = 'ai-summit - model comparison';

/** Numbers as the panels show them (src/core/analytics/numberFormat.ts), written out independently. */
const num = (v) => (v === null ? '–' : v !== 0 && Math.abs(v) < 0.001 ? new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(v) : new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 }).format(v));
const delta = (v) => (v === null ? '–' : v === 0 ? '±0' : v > 0 ? `+${num(v)}` : `-${num(-v)}`);
const money = (v) => (v === null ? '–' : `$${v.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`);

/** Writes the 3 × 12 batch with the sample generator and copies it into the open workspace. */
function addBatch(workspace) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'batch36-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/generate-samples.js'), '--out', out, '--runs', '0', '--turns', '4', '--batch', '12', '--batch-variations', '3', '--batch-failures', '2', '--force'], { encoding: 'utf8' });
  const scenarios = path.join(out, 'scenarios');
  if (existsSync(scenarios)) cpSync(scenarios, path.join(workspace, 'scenarios'), { recursive: true, force: false, errorOnExist: false });
  cpSync(path.join(out, 'experiments'), path.join(workspace, 'experiments'), { recursive: true });
  rmSync(out, { recursive: true, force: true });
}

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const sidebar = await t.openView('Scenario Lab');
  await t.treeRow('AI Safety Summit 2026').waitFor({ timeout: 60_000 });
  addBatch(t.workspace);
  // The Experiments view lists the batch once its files are indexed (live).
  const experimentsTitle = sidebar.locator('.pane-header', { hasText: 'Experiments' }).first();
  if ((await experimentsTitle.getAttribute('aria-expanded')) === 'false') await experimentsTitle.click();
  const row = t.treeRow(NAME);
  await t.waitFor(async () => /34\/36 completed · 2 failed/.test((await row.textContent().catch(() => '')) ?? ''), { message: 'the 3 × 12 batch in the Experiments view', timeout: 180_000, interval: 500 });
  await t.waitFor(async () => !/Scenario Lab: (discover|read|write|index)/i.test((await t.page.locator('.part.statusbar').textContent()) ?? ''), { message: 'the index pass', timeout: 120_000, interval: 300 });
  await t.runCommand('Preferences: Color Theme');
  await answerQuickPick(t, 'Dark Modern');
  // Room for the Experiments view: collapse Runs, expand the experiment and its first variation (with the failed runs).
  await sidebar.locator('.pane-header', { hasText: 'Runs' }).first().click();
  await row.click();
  await t.page.keyboard.press('ArrowRight');
  await t.treeRow(/^1 · /).click();
  await t.page.keyboard.press('ArrowRight');
  await t.treeRow('var-001-run-012').waitFor({ timeout: 15_000 });
  await t.page.mouse.move(700, 5);
  await t.screenshot('experiment-tree');

  // From the palette: the picker matches the experiment's name (and its folder and base scenario).
  await t.runCommand('Scenario Lab: Analyze Experiment…');
  const asked = Date.now();
  await answerQuickPick(t, NAME);
  const web = panel(t);
  await web.locator('#app[data-charts-drawn] svg[data-chart="evolution"]').waitFor({ timeout: 30_000 });
  const readyMs = Date.now() - asked;
  console.log(`  experiment panel ready: ${readyMs} ms (3 variations × 12 runs, command to both charts drawn)`);

  // The first metric is shown by default; the metric picker switches to another one.
  const cli = cliFor(t.workspace);
  assert.equal(await web.locator('#final-chart').getAttribute('data-metric'), cli.sql(`SELECT min(name) AS m FROM metrics WHERE turn_id IN (SELECT id FROM turns WHERE run_id IN (SELECT run_id FROM sl_folders WHERE path LIKE '${BATCH}/%'))`)[0].m);
  await web.locator('#metric-choice').click();
  await web.locator('#metric-choice vscode-option', { hasText: 'cooperation_level' }).click();
  await web.locator('#final-chart[data-metric="cooperation_level"]').waitFor({ timeout: 15_000 });
  const metric = 'cooperation_level';
  const expected = cli.json('variations', BATCH, '--metric', metric);
  assert.equal(expected.variations.length, 3);
  const comparison = await tableRows(web, '#comparison-table');
  assert.deepEqual(Object.keys(comparison), ['Variation 2', 'Variation 3']);
  for (const c of expected.comparisons) {
    const mark = c.p_value === null ? '–' : c.p_value < 0.05 ? '✱ p < 0.05' : 'no';
    assert.deepEqual(comparison[`Variation ${c.variation_id}`], [delta(c.mean_difference), num(c.welch_t), num(c.p_value), mark], `variation ${c.variation_id}`);
  }
  const finals = await tableRows(web, '#final-table');
  const costs = await tableRows(web, '#cost-table');
  for (const v of expected.variations) {
    const f = v.final;
    assert.deepEqual(finals[`Variation ${v.variation_id}`], [v.description, String(f.n), num(f.mean), num(f.sd), `${num(f.ci95_low)} to ${num(f.ci95_high)}`, num(f.min), num(f.max)]);
    assert.deepEqual(costs[`Variation ${v.variation_id}`], [String(v.runs_completed), String(v.runs_failed), money(v.total_cost), money(v.avg_cost_per_run)]);
  }
  // Every run with a value is a point; the runs left out of the statistics are hollow.
  const points = web.locator('svg[data-chart="final-values"] circle.run-point');
  const pointCount = await points.count();
  assert.ok(pointCount >= 34);
  assert.equal(await web.locator('svg[data-chart="final-values"] circle.run-point[fill="none"]').count(), (await points.count()) - expected.variations.reduce((n, v) => n + v.final.n, 0));
  assert.equal(await web.locator('svg[data-chart="evolution"] polyline').count(), 3, 'one median line per variation, not one per run');
  await t.page.mouse.move(700, 5);
  await t.screenshot('experiment-panel-dark');
  await web.locator('#comparison-table').scrollIntoViewIfNeeded();
  await t.screenshot('experiment-panel-dark-tables');
  await web.locator('svg[data-chart="evolution"]').scrollIntoViewIfNeeded();
  await t.screenshot('experiment-panel-dark-evolution');

  // Keyboard: focus a run point and press Enter: its world state opens at the final turn.
  const point = points.nth(4);
  const runName = await point.getAttribute('data-run');
  await point.focus();
  await t.page.keyboard.press('Enter');
  await t.waitFor(async () => /^world-state-\d{3}\.md$/.test((await t.editorTabTitle()) ?? ''), { message: `the world state of ${runName}`, timeout: 30_000 });
  await t.screenshot('experiment-panel-world-state');

  // CSV export through the save dialog (VS Code's simple dialog in the browser: accept the proposed path).
  // Back to the panel: the command reveals the open panel rather than opening a second one.
  await t.runCommand('Scenario Lab: Analyze Experiment…');
  await answerQuickPick(t, NAME);
  await web.locator('#export-csv').waitFor({ timeout: 15_000 });
  await web.locator('#export-csv').click();
  const dialog = t.page.locator('.quick-input-widget input');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const target = path.join(t.workspace, `experiment-model-comparison-${metric}.csv`);
  // The dialog proposes the workspace folder and the panel's file name (the kept metric in it).
  await t.waitFor(async () => (await dialog.inputValue()).endsWith(path.basename(target)), { message: 'the proposed file name', timeout: 15_000 });
  await t.page.keyboard.press('Enter');
  await t.waitFor(() => existsSync(target), { message: 'the CSV file', timeout: 15_000 });
  const lines = readFileSync(target, 'utf8').trim().split('\r\n');
  assert.equal(lines[0].split(',').slice(0, 4).join(','), 'metric,variation_id,description,n');
  assert.equal(lines.length, 4, 'a header and one row per variation');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')), expected.variations.map((v) => `${metric},${v.variation_id}`));
  assert.match(await web.locator('.notice').textContent(), /Saved .*\.csv/);

  // Each chart as SVG (run text escaped by the serializer, no script) and as PNG.
  for (const [button, file, check] of [
    ['#export-final-values-svg', `experiment-model-comparison-${metric}-final-values.svg`, (bytes) => {
      const text = bytes.toString('utf8');
      assert.match(text, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.equal((text.match(/class="run-point"/g) ?? []).length, pointCount, 'every run point');
      assert.doesNotMatch(text, /<script|tabindex/);
    }],
    ['#export-over-turns-png', `experiment-model-comparison-${metric}-over-turns.png`, (bytes) => assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ]) {
    await web.locator(button).click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await t.waitFor(async () => (await dialog.inputValue()).endsWith(file), { message: `the proposed name ${file}`, timeout: 15_000 });
    await t.page.keyboard.press('Enter');
    const written = path.join(t.workspace, file);
    await t.waitFor(() => existsSync(written), { message: file, timeout: 15_000 });
    check(readFileSync(written));
  }

  await t.runCommand('Preferences: Color Theme');
  await answerQuickPick(t, 'Light Modern');
  await t.waitFor(async () => (await web.locator('body').getAttribute('class'))?.includes('vscode-light'), { message: 'the light theme in the panel' });
  await web.locator('svg[data-chart="final-values"]').waitFor({ timeout: 15_000 });
  await web.locator('h1').scrollIntoViewIfNeeded();
  await t.page.waitForTimeout(300);
  await t.page.mouse.move(700, 5);
  await t.screenshot('experiment-panel-light');
  assert.ok(readyMs <= 5000, `panel ready in ${readyMs} ms`);
}
