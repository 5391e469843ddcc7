// Smoke scenario: the Scenario Lab container is in the activity bar and shows its three views.
import assert from 'node:assert/strict';

export const title = 'Scenario Lab view opens from the activity bar';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const sidebar = await t.openView('Scenario Lab');
  for (const view of ['Runs', 'Actors', 'Metrics']) {
    await sidebar.locator('.pane-header', { hasText: view }).first().waitFor();
  }
  await sidebar.getByText('No Scenario Lab runs to show yet.').waitFor(); // viewsWelcome of scenarioLab.runs
  assert.match(await t.page.title(), /\[Extension Development Host\]/);
  await t.screenshot('view');
}
