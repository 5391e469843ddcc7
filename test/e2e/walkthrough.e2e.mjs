// The Get Started walkthrough (package.json contributes.walkthroughs) opened the way a person does,
// with Welcome: Open Walkthrough…: every step of the manifest is listed with its title, a step shows its
// image from media/walkthrough/, and a step's command button runs the command it names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/vscode-host/host.mjs';

export const title = 'Get Started walkthrough: every step listed with its image, a step button runs its command';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const walkthrough = manifest.contributes.walkthroughs[0];

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const page = t.page;
  await t.runCommand('Welcome: Open Walkthrough...');
  const ours = page.locator('.quick-input-list .monaco-list-row', { hasText: walkthrough.title }).first();
  await ours.waitFor({ timeout: 15_000 });
  await ours.click();

  const editor = page.locator('.part.editor .gettingStartedContainer');
  await editor.locator('.gettingStartedSlideDetails h2', { hasText: walkthrough.title }).first().waitFor({ timeout: 30_000 });
  const shownTitles = await editor.locator('.gettingStartedSlideDetails .step-title').allInnerTexts();
  assert.deepEqual(
    shownTitles.map((text) => text.trim()),
    walkthrough.steps.map((step) => step.title),
    'every step of the manifest is shown, in order',
  );

  // Each step shows its own image, and the image loads (the file is there and is a picture).
  for (const step of walkthrough.steps) {
    await editor.locator('.getting-started-step', { hasText: step.title }).first().click();
    const image = editor.locator('.getting-started-media img').first();
    const file = path.basename(step.media.image);
    // VS Code sets srcset ("<uri> 1.5x"), so the shown file is currentSrc once the image has loaded.
    await t.waitFor(
      () => image.evaluate((img, name) => img.complete && img.naturalWidth > 0 && img.currentSrc.includes(name), file).catch(() => false),
      { message: `the image ${file} of step "${step.title}"`, timeout: 15_000 },
    );
    const { width, height } = await image.evaluate((img) => ({ width: img.naturalWidth, height: img.naturalHeight }));
    // Natural size in CSS pixels, i.e. the file's size / 1.5; the smallest image (open-runs) is 560×380.
    assert.ok(width >= 350 && height >= 250, `${file} is a screenshot, not a placeholder (${width}×${height} CSS px)`);
  }

  // The browse step's button focuses the Runs view, which lists the sample's scenarios.
  const browse = walkthrough.steps.find((step) => step.id === 'browse');
  const buttonLabel = /\[([^\]]+)\]\(command:scenarioLab\.runs\.focus\)/.exec(browse.description)[1];
  const step = editor.locator('.getting-started-step', { hasText: browse.title }).first();
  await step.click();
  await t.screenshot('walkthrough-browse-step');
  await step.locator('.monaco-button, a', { hasText: buttonLabel }).first().click();
  await page.locator('.part.sidebar .pane-header', { hasText: 'Runs' }).first().waitFor({ timeout: 30_000 });
  await t.treeRow('AI Safety Summit 2026').waitFor({ timeout: 60_000 });
  await t.waitFor(async () => (await step.getAttribute('aria-checked')) === 'true', { message: 'the browse step marked done' });
  await t.screenshot('walkthrough-runs-shown');
}
