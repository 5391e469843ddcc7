// Page helpers for e2e scenarios: small, named actions on the VS Code 1.139 workbench DOM
// (selectors checked against code-server 4.139.1). Each e2e spec receives the object
// createWorkbench() returns.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const quickInput = '.quick-input-widget';
const quickInputRows = '.quick-input-list .monaco-list-row';

/**
 * @param {import('playwright-core').Page} page
 * @param {{ screenshotDir: string, workspace: string, log?: (line: string) => void }} options
 */
export function createWorkbench(page, { screenshotDir, workspace, log = () => {} }) {
  const sidebar = page.locator('.part.sidebar');
  const viewportCenterX = () => (page.viewportSize()?.width ?? 800) / 2;

  /** Polls `probe` until it returns a truthy value; tabGroups, status bar and trees update asynchronously. */
  async function waitFor(probe, { timeout = 15_000, interval = 100, message = 'condition' } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
      last = await probe();
      if (last) return last;
      await page.waitForTimeout(interval);
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${message} (last value: ${JSON.stringify(last)})`);
  }

  /**
   * Opens a quick-input (F1 = commands, Control+P = files). Keyboard focus inside a webview
   * swallows the shortcut, so on a miss we click a neutral workbench element and try again.
   */
  async function openQuickInput(shortcut) {
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.keyboard.press(shortcut);
      try {
        await page.locator(`${quickInput} input`).waitFor({ state: 'visible', timeout: 3000 });
        return page.locator(`${quickInput} input`);
      } catch {
        await page.keyboard.press('Escape');
        await focusWorkbench();
      }
    }
    throw new Error(`${shortcut} did not open the quick input`);
  }

  /** Moves keyboard focus back to the workbench (out of webviews) without triggering anything. */
  async function focusWorkbench() {
    const sidebarTitle = sidebar.locator('.title-label').first();
    if (await sidebarTitle.isVisible()) {
      await sidebarTitle.click();
      return;
    }
    const statusbar = page.locator('.part.statusbar');
    const box = await statusbar.boundingBox();
    if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // items sit at the ends
  }

  /** Picks the quick-input row whose label is exactly `label`, else the first row containing it. */
  async function pickQuickInputRow(label) {
    const rows = page.locator(quickInputRows);
    await rows.filter({ hasText: label }).first().waitFor({ timeout: 15_000 });
    const labels = await rows.evaluateAll((els) => els.map((el) => el.querySelector('.label-name')?.textContent?.trim() ?? ''));
    const exact = labels.indexOf(label);
    const row = exact >= 0 ? rows.nth(exact) : rows.filter({ hasText: label }).first();
    await row.click();
    // Done when the palette closes, or when the command reused it for its own prompt (e.g. Go to Line).
    const input = page.locator(`${quickInput} input`);
    const closedOrReused = async () => {
      try {
        return !(await input.isVisible()) || !(await input.inputValue({ timeout: 1000 })).startsWith('>');
      } catch {
        return true; // the page is navigating away (Developer: Reload Window): the command ran
      }
    };
    await waitFor(closedOrReused, {
      timeout: 10_000,
      message: `the command palette to run "${label}"`,
    });
  }

  return {
    page,
    /** Absolute path of the temp copy of the sample workspace that the window has open. */
    workspace,
    waitFor,
    focusWorkbench,

    /**
     * Waits until VS Code has finished starting the window: its last lifecycle phase (Eventually),
     * then two idle moments, when it creates the contributions it defers to idle time; one of them
     * registers the extensions' view welcome texts (until then a tree view VS Code draws before its
     * extension gave it a provider shows "There is no data provider registered", uncovered).
     */
    async workbenchStarted({ timeout = 60_000 } = {}) {
      await page.waitForFunction(() => performance.getEntriesByName('code/LifecyclePhase/Eventually').length > 0, undefined, { timeout });
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => requestIdleCallback(resolve, { timeout: 5000 }), { timeout: 5000 })));
      log('workbench started (lifecycle Eventually, then idle)');
    },

    /** Shows a view container from the activity bar by its title (e.g. "Scenario Lab"); a no-op when it is already shown. */
    async openView(title) {
      const item = page.locator('.part.activitybar li.action-item').filter({ has: page.locator(`a.action-label[aria-label^="${title}"]`) }).first();
      await item.waitFor({ timeout: 60_000 }); // contributed containers appear once the extension host has scanned the extension
      const wasShown = (await item.getAttribute('aria-selected')) === 'true';
      if (!wasShown) await item.click(); // only when hidden: clicking a shown container would hide the side bar
      await sidebar.locator('.title-label', { hasText: title }).first().waitFor({ timeout: 15_000 });
      if (!wasShown) {
        // Park the pointer so the icon's tooltip, which shows after a delay, does not land in screenshots.
        await page.mouse.move(viewportCenterX(), 1);
        await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
      }
      log(`opened view ${title}`);
      return sidebar;
    },

    /** Locator of the first side-bar tree/list row whose text contains `text` (string or RegExp). */
    treeRow(text) {
      return sidebar.locator('.monaco-list-row').filter({ hasText: text }).first();
    },

    /** Labels of the visible rows of the side bar's trees, top to bottom. */
    async treeRowLabels() {
      return sidebar.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''));
    },

    /** Clicks a side-bar tree row by its text; `{ double: true }` double-clicks (e.g. to pin an editor). */
    async clickTreeRow(text, { double = false } = {}) {
      const row = this.treeRow(text);
      await row.waitFor({ timeout: 15_000 });
      await (double ? row.dblclick() : row.click());
      log(`clicked tree row ${text}`);
      return row;
    },

    /** Runs a command from the command palette by its title as shown there (e.g. "Scenario Lab: Refresh"). */
    async runCommand(title) {
      const input = await openQuickInput('F1');
      await input.fill(`>${title}`); // one input event; typing key by key re-filters the palette for every key
      await pickQuickInputRow(title);
      log(`ran command ${title}`);
    },

    /** Opens a workspace file through Quick Open; `name` is a file name or a relative path. */
    async openFile(name) {
      const input = await openQuickInput('Control+P');
      await input.fill(name);
      await page.locator(quickInputRows).first().waitFor({ timeout: 30_000 }); // the first file search can be slow
      await page.keyboard.press('Enter');
      await page.locator(quickInput).waitFor({ state: 'hidden', timeout: 10_000 });
      log(`opened file ${name}`);
    },

    /** Title of the active editor tab of the active group, or null when no editor is open. */
    async editorTabTitle() {
      const tab = page.locator('.part.editor .editor-group-container.active .tab.active').first();
      if ((await tab.count()) === 0) return null;
      // The label renders "scenario" and ".yaml" in separate spans (.label-name / .label-suffix).
      return tab.evaluate((el) => {
        const part = (selector) => el.querySelector(selector)?.textContent ?? '';
        return (part('.tab-label .label-name') + part('.tab-label .label-suffix')).trim() || (el.getAttribute('aria-label') ?? '');
      });
    },

    /** 1-based cursor line of the active text editor (from the status bar), or null without one. */
    async activeEditorLine() {
      const item = page.locator('[id="status.editor.selection"]');
      if ((await item.count()) === 0) return null;
      const match = /Ln (\d+)/.exec(await item.innerText());
      return match ? Number(match[1]) : null;
    },

    /** Saves a PNG of the whole window as <screenshotDir>/<name>.png and returns its path. */
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, name.endsWith('.png') ? name : `${name}.png`);
      await page.screenshot({ path: file });
      log(`screenshot ${path.relative(process.cwd(), file)}`);
      return file;
    },
  };
}
