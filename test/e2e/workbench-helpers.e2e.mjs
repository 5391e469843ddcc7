// Checks the harness helpers that later scenarios rely on (quick open, command palette, tab title,
// cursor line) against the real workbench, so a broken selector shows up here and not in a feature test.
import assert from 'node:assert/strict';

export const title = 'workbench helpers: open a file, run a command, read tab title and cursor line';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  assert.equal(await t.editorTabTitle(), null);
  assert.equal(await t.activeEditorLine(), null);

  await t.openFile('ai-summit/scenario.yaml');
  await t.waitFor(async () => (await t.editorTabTitle()) === 'scenario.yaml', { message: 'the scenario.yaml tab' });
  assert.equal(await t.waitFor(() => t.activeEditorLine(), { message: 'a cursor line' }), 1);

  await t.runCommand('Go to Line/Column...');
  await t.page.keyboard.type('4');
  await t.page.keyboard.press('Enter');
  await t.waitFor(async () => (await t.activeEditorLine()) === 4, { message: 'the cursor on line 4' });

  await t.openView('Scenario Lab');
  await t.openView('Scenario Lab'); // a second call must keep the side bar open, not toggle it closed
  assert.ok(await t.page.locator('.part.sidebar').isVisible());
  await t.screenshot('workbench-helpers');
}
