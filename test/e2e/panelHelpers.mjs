// Helpers for the panel scenarios (metric chart, comparison, run statistics): expected figures from
// the CLI over the same workspace, quick-pick answers, and the panel's DOM inside the webview iframes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/vscode-host/host.mjs';

/**
 * Runs `node dist/cli.js <args> --db <db>` over an index of `workspace` made on first use, in a
 * temporary folder removed when the e2e process exits.
 */
export function cliFor(workspace) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'panels-cli-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'index.db');
  const run = (args) => execFileSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), ...args, '--db', db], { encoding: 'utf8' });
  run(['index', workspace]);
  return {
    json: (...args) => JSON.parse(run([...args, '--json'])),
    /** Rows of a read-only SQL query as objects. */
    sql: (text) => JSON.parse(run(['sql', text, '--json'])),
    /** The CLI's text output (e.g. `--csv`). */
    text: (...args) => run(args),
  };
}

/** The DOM of the (only, or last) visible panel. */
export function panel(t) {
  return t.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** Waits until the first index pass shows runs in the tree, so quick picks have data. */
export async function waitForIndex(t) {
  await t.openView('Scenario Lab');
  await t.treeRow('AI Safety Summit 2026').waitFor({ timeout: 60_000 });
}

/** Answers an open quick pick by typing a filter and pressing Enter on the first match. */
export async function answerQuickPick(t, text) {
  const input = t.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await t.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 15_000 });
  await t.page.keyboard.press('Enter');
}

/** Accepts an open multi-select quick pick (its OK button) once its rows are there. */
export async function acceptQuickPick(t) {
  await t.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
  await t.page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
  await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/** Ticks rows of an open multi-select quick pick, then accepts it. */
export async function tickQuickPickRows(t, labels) {
  const input = t.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  for (const label of labels) {
    await input.fill(label);
    const row = t.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.locator('.monaco-checkbox, input[type=checkbox], .quick-input-list-checkbox').first().click();
  }
  await input.fill('');
  await acceptQuickPick(t);
}

/** Cell texts of a table in the panel, as { rowHeader: [cells…] }. */
export async function tableRows(web, selector) {
  return web.locator(`${selector} tbody tr`).evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.querySelector('th')?.textContent?.trim() ?? '', [...r.querySelectorAll('td')].map((c) => c.textContent?.trim() ?? '')])),
  );
}

/** Clicks the first source link (`file:line`) in `selector` and checks that the file opens with the cursor on that line; returns the line. */
export async function openFirstSourceLink(t, web, selector) {
  const link = web.locator(`${selector} button.link`).first();
  const label = await link.textContent();
  await link.click();
  const [file, line] = label.split(':');
  await t.waitFor(async () => (await t.editorTabTitle()) === file, { message: `the ${file} tab`, timeout: 30_000 });
  const at = await t.waitFor(() => t.activeEditorLine(), { message: 'a cursor line' });
  if (at !== Number(line)) throw new Error(`${file} opened at line ${at}, not ${line}`);
  return at;
}
