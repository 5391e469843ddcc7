// Hovers and annotations in the real workbench: hover "cooperation level" in a world state and
// follow its chart link; add an annotation through the Comments UI, see it in the sidecar and the
// Annotations view, reload the window and find it again on its line.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const title = 'Hover a metric in a world state, annotate a passage through the Comments UI, reload and find it again';
export const timeoutMs = 240_000;

const RUN = 'output/ai-regulatory-negotiation/run-003';
const NOTE = 'Cooperation 6.5 looks high for a first round';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const { page } = t;
  const sidecar = path.join(t.workspace, RUN, '.scenario-lab', 'annotations.json');
  await t.openView('Scenario Lab');
  await t.treeRow('AI Regulatory Negotiation').waitFor({ timeout: 90_000 }); // after the first index pass
  await t.openFile(`ai-regulatory-negotiation/run-003/world-state-000.md`);
  await t.waitFor(async () => (await t.editorTabTitle()) === 'world-state-000.md', { message: 'the world state tab' });

  // Put the cursor on "cooperation level" with Find, then show the hover from the keyboard.
  const editor = page.locator('.part.editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type('cooperation level');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'cooperation_level' }).first();
  await t.waitFor(async () => {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    return hover.isVisible().catch(() => false) || (await hover.waitFor({ timeout: 3000 }).then(() => true, () => false));
  }, { message: 'the metric hover', timeout: 60_000, interval: 500 });
  const hoverText = await hover.innerText();
  assert.match(hoverText, /Run run-20251124-193239, turn 1: 6\.5/);
  assert.match(hoverText, /Across 6 runs of AI Regulatory Negotiation/);
  await t.screenshot('hover-cooperation-level');
  await hover.locator('a', { hasText: 'Open chart' }).click();
  await t.waitFor(async () => (await page.locator('.tab', { hasText: /cooperation_level/ }).count()) > 0, { message: 'the metric chart tab', timeout: 30_000 });
  await t.screenshot('hover-chart-link-opened');
  await page.locator('.tab', { hasText: 'world-state-000.md' }).first().click();

  // Annotate the passage through the Comments UI: Add Comment on the current line, type, Add Annotation.
  await editor.click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type('9');
  await page.keyboard.press('Enter');
  await t.runCommand('Comments: Add Comment on Current Selection');
  const form = page.locator('.review-widget .comment-form').first();
  await form.waitFor({ timeout: 15_000 });
  await form.locator('.monaco-editor').first().click(); // the reply box is a small Monaco editor
  await page.keyboard.type(NOTE);
  await t.screenshot('annotation-typing');
  await page.locator('.review-widget').getByRole('button', { name: 'Add Annotation' }).first().click();
  await t.waitFor(() => existsSync(sidecar) && readFileSync(sidecar, 'utf8').includes(NOTE), { message: 'the annotation in the sidecar', timeout: 20_000 });
  const written = JSON.parse(readFileSync(sidecar, 'utf8')).annotations[0];
  assert.equal(written.startLine, 9);
  assert.match(written.quote[0], /Overall cooperation level: 6\.5\/10/);
  await page.locator('.review-widget', { hasText: NOTE }).first().waitFor({ timeout: 15_000 });
  await t.screenshot('annotation-added');

  // The Annotations view starts collapsed (Runs gets the room): open its section.
  const header = page.locator('.part.sidebar .pane-header', { hasText: 'Annotations' }).first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await t.treeRow(/^run-20251124-193239/).waitFor({ timeout: 30_000 });
  await t.clickTreeRow(/^run-20251124-193239/);
  await t.treeRow(NOTE).waitFor({ timeout: 15_000 });
  await t.screenshot('annotations-view');

  // A fresh window: the thread comes back from the sidecar, on its line.
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await t.openFile(`ai-regulatory-negotiation/run-003/world-state-000.md`);
  // Threads come back collapsed; the Comments panel (restored with the window) lists them with their line.
  const listed = page.locator('.part.panel .monaco-list-row', { hasText: NOTE }).first();
  await listed.waitFor({ timeout: 90_000 });
  assert.match(await listed.innerText(), /\[Ln 9\]/);
  await t.screenshot('annotation-after-reload');
}
