// The Runs view in the real workbench: expand a run, click a decision, and the decision's file
// opens at its Action section; "Reveal in Scenario Lab" goes back from the file to the tree item.
import assert from 'node:assert/strict';

export const title = 'Runs view: expand a run, click a decision, its file opens at the Action line; reveal goes back';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const sidebar = await t.openView('Scenario Lab');
  await t.treeRow('AI Safety Summit 2026').waitFor({ timeout: 60_000 }); // after the first index pass
  // Give the Runs view the side bar's height: fold every other view of the container.
  const otherViews = sidebar.locator('.pane-header[aria-expanded="true"]').filter({ hasNotText: /^Runs/ });
  while ((await otherViews.count()) > 0) await otherViews.first().click();
  // Both scenarios start expanded and both have a run-002: fold the other one away.
  await t.clickTreeRow('AI Regulatory Negotiation');
  await t.clickTreeRow(/^run-002/);
  await t.clickTreeRow(/^Turn 1/);
  await t.treeRow(/^China/).waitFor();
  await t.screenshot('runs-tree-expanded');

  await t.clickTreeRow(/^China/);
  await t.waitFor(async () => (await t.editorTabTitle()) === 'china-001.md', { message: 'the china-001.md tab', timeout: 30_000 });
  const line = await t.waitFor(() => t.activeEditorLine(), { message: 'a cursor line' });
  assert.equal(line, 20, 'the cursor is on the "## Action" line of china-001.md');
  await t.screenshot('runs-tree-decision-opened');

  // Back from the file to the tree: collapse the run, then reveal must expand it and select the decision.
  await t.clickTreeRow(/^run-002/);
  await t.runCommand('Scenario Lab: Reveal in Scenario Lab');
  const selected = sidebar.locator('.monaco-list-row.selected', { hasText: 'China' });
  await selected.first().waitFor({ timeout: 15_000 });
  await t.screenshot('runs-tree-revealed');
}
