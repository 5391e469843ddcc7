// Run SQL Query… from the palette opens the results grid: costs formatted, NULL shown apart, run
// text as text; sort by clicking a header and by Enter; select with the keyboard and copy (raw
// values); Copy all; export CSV and JSON through the save dialog (byte-identical to
// `scenario-lab sql --csv` / the same rows as `--json`); Open as text. Screenshot: sql-grid.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cliFor, panel, waitForIndex } from './panelHelpers.mjs';

export const title = 'SQL results grid: run a query, sort, copy, export';
export const timeoutMs = 240_000;

const HOSTILE = '<img src=x onerror=alert(1)>';
const QUERY = `SELECT id, scenario_name, status, total_turns, total_cost, CASE WHEN status = 'completed' THEN NULL ELSE '${HOSTILE}' END AS note FROM runs`;

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  await t.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const clipboard = () => t.page.evaluate(() => navigator.clipboard.readText());
  const cli = cliFor(t.workspace);
  /** @type {Array<Record<string, unknown>>} */
  const expected = cli.sql(QUERY);
  const costOf = new Map(expected.map((r) => [String(r.id), /** @type {number} */ (r.total_cost)]));

  await waitForIndex(t);
  await t.runCommand('Scenario Lab: Run SQL Query…');
  const input = t.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(QUERY);
  await t.page.keyboard.press('Enter');

  const web = panel(t);
  const grid = web.locator('#sql-grid[data-rendered]');
  await grid.waitFor({ timeout: 30_000 });
  assert.equal(await grid.getAttribute('role'), 'grid');
  assert.equal(Number(await grid.getAttribute('aria-rowcount')), expected.length + 1);
  assert.match((await web.locator('#row-note').textContent()) ?? '', new RegExp(`^${expected.length} rows in [\\d,]+ ms\\.$`));
  const column = (col) => web.locator(`#sql-grid tbody td[data-col="${col}"]`).allTextContents();
  const ids = () => column(1);
  assert.deepEqual(await ids(), expected.map((r) => String(r.id)), 'the rows in the query order');
  for (const cost of await column(5)) assert.match(cost, /^\$\d+\.\d{4}$/, 'costs through the one formatter');
  assert.ok((await web.locator('#sql-grid td.null').count()) > 0, 'NULL cells are marked');
  assert.equal(await web.locator('#sql-grid td.null').first().textContent(), 'NULL');
  assert.ok((await column(6)).includes(HOSTILE), 'run text is shown as text');
  assert.equal(await web.locator('#sql-grid img').count(), 0, 'and never as markup');

  // Sort by cost: click the header (ascending), then Enter on it (descending).
  const costHeader = web.locator('#sql-grid thead th', { hasText: 'total_cost' });
  await costHeader.click();
  assert.equal(await costHeader.getAttribute('aria-sort'), 'ascending');
  const ascending = (await ids()).map((id) => costOf.get(id));
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b), 'sorted by value');
  await t.page.keyboard.press('Enter');
  assert.equal(await costHeader.getAttribute('aria-sort'), 'descending');
  const descendingIds = await ids();
  const descending = descendingIds.map((id) => costOf.get(id));
  assert.deepEqual(descending, [...descending].sort((a, b) => b - a));

  // Keyboard: down into the first row, Shift+Down twice, Ctrl+C: three raw costs.
  await t.page.keyboard.press('ArrowDown');
  await t.page.keyboard.press('Shift+ArrowDown');
  await t.page.keyboard.press('Shift+ArrowDown');
  assert.equal(await web.locator('#sql-grid td[aria-selected="true"]').count(), 3);
  await t.page.keyboard.press('Control+c');
  await t.waitFor(async () => (await clipboard()) === descending.slice(0, 3).map(String).join('\r\n') + '\r\n', { message: 'three raw costs on the clipboard' });
  await t.screenshot('sql-grid');

  await web.locator('#copy-all').click();
  await t.waitFor(async () => (await clipboard()).startsWith('id\tscenario_name\tstatus\ttotal_turns\ttotal_cost\tnote\r\n'), { message: 'Copy all on the clipboard' });
  const all = (await clipboard()).trimEnd().split('\r\n');
  assert.equal(all.length, expected.length + 1);
  assert.deepEqual(all.slice(1).map((line) => line.split('\t')[0]), descendingIds, 'in the order shown');

  // Export: the save dialog (VS Code's simple dialog in the browser) takes a path.
  const saveAs = async (buttonId, file) => {
    await web.locator(buttonId).click();
    const dialog = t.page.locator('.quick-input-widget input');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    // The dialog fills in its proposed path a moment after it shows (later on a busy machine) and
    // would overwrite a path typed before that: wait for the proposal, then type ours until it stays.
    await t.waitFor(async () => (await dialog.inputValue()).length > 0, { message: 'the proposed path', timeout: 15_000 });
    await t.waitFor(async () => {
      await dialog.fill(file);
      await t.page.waitForTimeout(300);
      return (await dialog.inputValue()) === file;
    }, { message: `the dialog keeps ${file}`, timeout: 15_000 });
    await t.page.keyboard.press('Enter');
    await t.waitFor(() => existsSync(file), { message: `${file} written`, timeout: 15_000 });
    await t.page.waitForTimeout(200);
    return readFileSync(file, 'utf8');
  };
  const csv = await saveAs('#export-csv', path.join(t.workspace, 'grid-export.csv'));
  assert.equal(csv, cli.text('sql', QUERY, '--csv'), 'the CSV of `scenario-lab sql --csv`, byte for byte');
  const json = await saveAs('#export-json', path.join(t.workspace, 'grid-export.json'));
  assert.deepEqual(JSON.parse(json), expected, 'the rows of `scenario-lab sql --json`');

  await web.locator('#open-as-text').click();
  await t.page.locator('.tab', { hasText: 'SQL result' }).first().waitFor({ timeout: 15_000 });
  // 1,000 rows × 24 columns: only the rows in view are in the page; sorting and scrolling stay quick.
  const wide = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1500) SELECT ${Array.from({ length: 12 }, (_, i) => `x * ${i + 1} / 7.0 AS v${i}, 'text ' || (x % ${i + 7}) AS t${i}`).join(', ')} FROM n`;
  await t.runCommand('Scenario Lab: Run SQL Query…');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(wide);
  const askedAt = Date.now();
  await t.page.keyboard.press('Enter');
  const big = panel(t).locator('#sql-grid[data-rendered="1000"]');
  await big.waitFor({ timeout: 30_000 });
  const openMs = Date.now() - askedAt;
  assert.match((await panel(t).locator('#row-note').textContent()) ?? '', /^Showing the first 1,000 rows; the query returned more/);
  const inPage = await panel(t).locator('#sql-grid tbody tr:not(.spacer)').count();
  assert.ok(inPage < 100, `${inPage} rows in the page, not 1,000`);
  const sortMs = await big.evaluate(async (table) => {
    const started = performance.now();
    table.querySelector('thead th[data-col="1"]').click();
    table.querySelector('thead th[data-col="1"]').click(); // descending: the last row comes first
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return Math.round(performance.now() - started);
  });
  assert.equal(await panel(t).locator('#sql-grid tbody th[role=rowheader]').first().textContent(), '1000');
  await big.focus();
  await t.page.keyboard.press('Control+End');
  await t.waitFor(async () => (await panel(t).locator('#sql-grid .active').getAttribute('aria-colindex')) === '25', { message: 'the last cell is active' });
  assert.equal(await panel(t).locator('#sql-grid .active').locator('xpath=..').getAttribute('aria-rowindex'), '1001');
  await t.screenshot('sql-grid-1000');
  console.log(`  sql grid: ${expected.length} rows sorted, copied, exported; 1,000 rows × 24 columns opened in ${openMs} ms (query included), sorted twice in ${sortMs} ms, ${inPage} rows in the page`);
}
