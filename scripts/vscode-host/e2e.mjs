#!/usr/bin/env node
// Runs UI scenarios against a real VS Code workbench with this repo loaded in development mode.
// Each spec file test/e2e/*.e2e.mjs gets its own code-server (fresh profile, temp copy of the sample
// workspace) and browser page, and looks like:
//
//   export const title = 'what a person sees';          // optional, defaults to the file name
//   export const timeoutMs = 120_000;                    // optional
//   export const settings = () => ({ 'scenarioLab.database.url': … }); // optional user settings (object or function)
//   export default async function (t) {                  // t: see scripts/vscode-host/workbench.mjs
//     await t.openView('Scenario Lab');
//     await t.clickTreeRow('run-001');
//     await t.screenshot('run-001');                    // -> test-output/screenshots/run-001.png
//   }
//
// Prints one line per spec, then "N passed, N failed" alone on a line; exits 1 on any failure.
//   node scripts/vscode-host/e2e.mjs [--vsix FILE] [spec-file-or-name-filter ...]
//   --vsix FILE: install the packaged extension (npm run package) into each run's extensions folder
//   and open the window without the development folder, so the specs run what a user installs.
//   env: SCREENSHOT_DIR (default test-output/screenshots), VERBOSE=1, KEEP_RUN_DIR=1
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installVsix, launchBrowser, prepareRun, repoRoot, since, startServer, viewport } from './host.mjs';
import { createWorkbench } from './workbench.mjs';

const specDir = path.join(repoRoot, 'test/e2e');
const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(repoRoot, 'test-output/screenshots'));
const defaultTimeoutMs = 180_000;
const containerTitle = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).contributes.viewsContainers.activitybar[0].title;
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

function findSpecs(filters) {
  const all = existsSync(specDir) ? readdirSync(specDir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => path.join(specDir, f)) : [];
  if (filters.length === 0) return all;
  return filters.flatMap((filter) => (existsSync(filter) ? [path.resolve(filter)] : all.filter((spec) => path.basename(spec).includes(filter))));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one spec in its own server + page; returns { title, ok, error, seconds }. */
async function runSpec(browser, specFile, vsix) {
  const name = path.basename(specFile, '.e2e.mjs');
  const spec = await import(pathToFileURL(specFile).href);
  const title = `${spec.title ?? name}${vsix ? ` [installed ${path.basename(vsix)}]` : ''}`;
  if (typeof spec.default !== 'function') return { title, ok: false, error: new Error(`${specFile} has no default export function`) };

  const started = Date.now();
  const run = prepareRun(`e2e-${name}`, (typeof spec.settings === 'function' ? spec.settings() : spec.settings) ?? {});
  const installedDir = vsix ? installVsix(run, vsix) : null;
  const server = await startServer(run);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    if (process.env.VERBOSE) console.log(`  [console] ${message.text()}`);
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const log = (line) => process.env.VERBOSE && console.log(`  ${name} +${since(started)}: ${line}`);
  const workbench = createWorkbench(page, { screenshotDir, workspace: run.workspace, log });
  let error;
  let skipped = false;
  try {
    await withTimeout(
      (async () => {
        await page.goto(server.workbenchUrl(installedDir ? { devPath: null } : {}), { waitUntil: 'domcontentloaded', timeout: 90_000 }); // slow on a busy machine
        await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
        log('workbench shown');
        // Our activity-bar entry appears once the extension host has loaded the development extension.
        await page.locator(`.part.activitybar a.action-label[aria-label^="${containerTitle}"]`).first().waitFor({ timeout: 90_000 });
        log('extension loaded');
        if (installedDir) {
          // The window runs the installed copy: no development extension in the window, and the server's
          // only copy of ours is the one the CLI unpacked into this run's extensions folder.
          const windowTitle = await page.title();
          if (/Extension Development Host/.test(windowTitle)) throw new Error(`--vsix: the window loaded a development extension (${windowTitle})`);
        }
        // A spec that cannot run on this workspace returns 'skipped': it is reported, not counted as passed.
        skipped = (await spec.default(workbench)) === 'skipped';
      })(),
      spec.timeoutMs ?? defaultTimeoutMs,
      title,
    );
  } catch (err) {
    error = err;
    await workbench.screenshot(`${name}-failure`).catch(() => {});
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
  if (error) {
    run.keep();
    const firstLines = consoleErrors.slice(-10).map((text) => text.split('\n')[0].slice(0, 300));
    if (firstLines.length) console.log(`  last browser console errors:\n    ${firstLines.join('\n    ')}`);
    console.log(`  run folder kept for inspection: ${run.dir}`);
  } else {
    run.remove();
  }
  return { title, ok: !error, skipped, error, seconds: since(started) };
}

/** Retries of a failed spec (E2E_RETRIES, default 1; 0 to see every flake as a failure). */
const RETRIES = Number(process.env.E2E_RETRIES ?? 1);

async function main() {
  const args = process.argv.slice(2);
  const vsixAt = args.indexOf('--vsix');
  const vsix = vsixAt >= 0 ? path.resolve(args.splice(vsixAt, 2)[1] ?? '') : null;
  if (vsix && !existsSync(vsix)) throw new Error(`--vsix: no such file ${vsix} (npm run package makes scenario-lab.vsix)`);
  const specs = findSpecs(args);
  if (specs.length === 0) throw new Error(`no e2e specs found (looked for ${path.relative(repoRoot, specDir)}/*.e2e.mjs)`);
  if (!vsix && !existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.mjs` first');
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    for (const specFile of specs) {
      const attempt = () => runSpec(browser, specFile, vsix).catch((error) => ({ title: path.basename(specFile), ok: false, error }));
      let result = await attempt();
      if (!result.ok && RETRIES > 0) {
        // A whole workbench per spec on a shared 2-core machine: one fresh retry tells a timing flake
        // from a real failure, which fails twice. The first failure is printed either way.
        console.log(`RETRY ${result.title}: ${stripAnsi(String(result.error?.message ?? result.error)).split('\n')[0]}`);
        result = await attempt();
      }
      if (result.ok && result.skipped) {
        skipped++;
        console.log(`skip ${result.title} (${result.seconds})`);
      } else if (result.ok) {
        passed++;
        console.log(`ok   ${result.title} (${result.seconds})`);
      } else {
        failed++;
        console.log(`FAIL ${result.title}${result.seconds ? ` (${result.seconds})` : ''}\n       ${stripAnsi(String(result.error?.message ?? result.error)).split('\n').slice(0, 6).join('\n       ')}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`(screenshots in ${path.relative(process.cwd(), screenshotDir) || '.'})`);
  if (skipped) console.log(`${skipped} skipped (not counted)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`e2e: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  },
);
