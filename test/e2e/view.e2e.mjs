// Smoke scenario: the Scenario Lab container is in the activity bar and shows its three views,
// each with content (tree rows or welcome text). Feature scenarios check what the trees contain.
import assert from 'node:assert/strict';

export const title = 'Scenario Lab view opens from the activity bar';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const sidebar = await t.openView('Scenario Lab');
  for (const view of ['Runs', 'Actors', 'Metrics']) {
    const pane = sidebar.locator('.pane').filter({ has: t.page.locator('.pane-header', { hasText: view }) }).first();
    await pane.locator('.pane-body .monaco-list-row, .pane-body .welcome-view-content').first().waitFor({ timeout: 30_000 });
  }
  assert.match(await t.page.title(), /\[Extension Development Host\]/);
  await t.screenshot('view');
}
