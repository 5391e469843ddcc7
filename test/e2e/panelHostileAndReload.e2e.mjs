// Hostile run text: a run whose actor is named `<img src=x onerror=alert(1)>` is added to the
// workspace while VS Code runs (the watcher indexes it, the open panel refreshes); the comparison
// shows the name as text and no element or script comes from it. Then the window reloads and the
// panel comes back with the same selection.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { panel, tickQuickPickRows, waitForIndex } from './panelHelpers.mjs';

export const title = 'Panels: a hostile actor name renders as text; the panel survives a window reload';
export const timeoutMs = 300_000;

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_RUN = 'run-hostile-0001';

/** A copy of a sample run whose actor China is renamed to markup, under a new run id. */
function addHostileRun(workspace) {
  const source = path.join(workspace, 'output/ai-summit/run-004');
  const target = path.join(workspace, 'output/ai-summit/run-hostile');
  cpSync(source, target, { recursive: true });
  for (const name of readdirSync(target)) {
    const file = path.join(target, name);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('China', HOSTILE).replaceAll('run-20251124-132046', HOSTILE_RUN));
  }
}

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const dialogs = [];
  t.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await waitForIndex(t);
  // The Actors view starts collapsed (Runs has the room): open it, the hostile actor shows up there.
  await t.runCommand('Scenario Lab: Focus on Actors View');
  addHostileRun(t.workspace);
  // The watcher normally indexes the new folder; this scenario is about rendering, so when the
  // watcher is slow on a loaded machine a full reindex stands in for it.
  const hostileActor = t.treeRow(HOSTILE);
  if (!(await hostileActor.waitFor({ timeout: 30_000 }).then(() => true, () => false))) {
    await t.runCommand('Scenario Lab: Reindex Workspace');
    await hostileActor.waitFor({ timeout: 60_000 });
  }

  await t.runCommand('Scenario Lab: Compare Runs…');
  await tickQuickPickRows(t, [HOSTILE_RUN, 'run-20251124-132046']);
  const web = panel(t);
  await web.locator('#actions-table').waitFor({ timeout: 30_000 });
  // Read everything in one go, again if the webview frame is swapped mid-read (it is rebuilt when hidden and shown).
  const seen = await t.waitFor(
    () =>
      web
        .locator('body')
        .evaluate((body) => ({
          actors: [...body.querySelectorAll('#actions-table tbody th')].map((th) => th.textContent),
          figures: body.querySelector('#figures-table')?.textContent ?? '',
          images: body.querySelectorAll('img').length,
          handlers: body.querySelectorAll('[onerror]').length,
        }))
        .catch(() => undefined),
    { message: 'the comparison panel content', timeout: 30_000 },
  );
  assert.ok(seen.actors.includes(HOSTILE), `the actor name is shown as text (actors: ${seen.actors.join(' | ')})`);
  assert.ok(seen.figures.includes(`Cost by actor: ${HOSTILE}`));
  assert.equal(seen.images, 0, 'no <img> element was created from run text');
  assert.equal(seen.handlers, 0);
  await web.locator('#actions-table').scrollIntoViewIfNeeded();
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-hostile-actor');
  assert.deepEqual(dialogs, [], 'no script ran');

  // Reload the window as a user does (the workbench saves its state first, which a bare page
  // reload may cut short); the serializer restores the panel from its state (the selection only).
  await t.runCommand('Developer: Reload Window');
  await t.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await t.page.locator('.tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 60_000 });
  const restored = panel(t);
  await restored.locator('#figures-table').waitFor({ timeout: 60_000 });
  const columns = (await restored.locator('#figures-table thead th').allTextContents()).slice(1);
  assert.deepEqual(columns.sort(), ['run-20251124-132046', HOSTILE_RUN]);
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-after-reload');
}
