#!/usr/bin/env node
// Runs the mocha suite (out/test/suite/index.js) inside a real VS Code extension host:
// fresh profile + temp copy of the sample workspace, code-server on a free 127.0.0.1 port,
// headless Chromium opening the workbench with the test payload, and the result JSON that the
// test entry writes to $VSCODE_TEST_RESULT_FILE. Prints one line per test, then
// "N passed, N failed" alone on a line. Exit code: 0 only when every test passed.
//
//   node scripts/vscode-host/run-tests.mjs [--grep <regexp>] [--timeout <seconds>]
//   env: VERBOSE=1 streams the extension host's console; KEEP_RUN_DIR=1 keeps profile + logs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extensionHostLogs, launchBrowser, prepareRun, repoRoot, since, startServer, tail, viewport } from './host.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string', default: process.env.TEST_TIMEOUT_S ?? '180' },
  },
});
const testsEntry = path.join(repoRoot, 'out/test/suite/index.js');
const timeoutMs = Number(options.timeout) * 1000;

async function main() {
  if (!existsSync(testsEntry)) throw new Error(`${path.relative(repoRoot, testsEntry)} is missing: run \`npx tsc -p .\` first`);
  const started = Date.now();
  const run = prepareRun('host-tests');
  const resultFile = path.join(run.dir, 'test-results.json');
  const env = { VSCODE_TEST_RESULT_FILE: resultFile, SCENARIO_LAB_TEST_WORKSPACE: run.workspace };
  if (options.grep) env.SCENARIO_LAB_TEST_GREP = options.grep;

  const server = await startServer(run, { env });
  const browser = await launchBrowser();
  const consoleLines = [];
  let outcome;
  try {
    const page = await browser.newPage({ viewport });
    page.on('console', (message) => {
      const line = message.text();
      consoleLines.push(line);
      if (process.env.VERBOSE) console.log(`  [console] ${line}`);
    });
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    // The workbench calls these when the test runner finishes (smoke-test-driver contract).
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    await page.exposeFunction('codeAutomationLog', () => {});
    await page.goto(server.workbenchUrl({ testsPath: testsEntry }), { waitUntil: 'domcontentloaded', timeout: 90_000 });
    let timer;
    const exitCode = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    outcome = report(exitCode, resultFile);
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }

  console.log(`(extension host run took ${since(started)})`);
  if (outcome.failed > 0 || outcome.problem || process.env.KEEP_RUN_DIR) {
    run.keep();
    console.log(`--- last extension host console lines ---\n${consoleLines.slice(-30).join('\n')}`);
    for (const log of extensionHostLogs(run)) console.log(`--- ${log} ---\n${tail(log, 30)}`);
    console.log(`run folder kept for inspection: ${run.dir}`);
  } else {
    run.remove();
  }
  console.log(`${outcome.passed} passed, ${outcome.failed} failed`);
  return outcome.failed > 0 ? 1 : 0;
}

/** Prints one line per test and returns the counts; a run that did not finish cleanly counts as one failure. */
function report(exitCode, resultFile) {
  let results;
  if (existsSync(resultFile)) results = JSON.parse(readFileSync(resultFile, 'utf8'));
  let passed = 0;
  let failed = 0;
  for (const test of results?.tests ?? []) {
    if (test.state === 'passed') passed++;
    else if (test.state === 'failed') failed++;
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip' }[test.state] ?? test.state;
    console.log(`${mark} ${test.title}${test.state === 'passed' ? ` (${test.durationMs} ms)` : ''}`);
    if (test.error) console.log(`       ${test.error.split('\n').slice(0, 4).join('\n       ')}`); // message + top of the stack
  }
  let problem;
  if (exitCode === 'timeout') problem = `no result within ${timeoutMs / 1000} s (the workbench never called codeAutomationExit)`;
  else if (!results) problem = `the extension host exited with code ${exitCode} without writing ${path.basename(resultFile)}`;
  else if (results.error) problem = `the test entry failed: ${results.error}`;
  else if (exitCode !== 0 && failed === 0) problem = `the extension host exited with code ${exitCode} although no test failed`;
  else if (passed + failed === 0) problem = 'no tests ran';
  if (results) console.log(`(VS Code ${results.vscodeVersion}, Node ${results.node})`);
  if (problem) {
    console.log(`FAIL extension host test run: ${problem}`);
    failed++;
  }
  return { passed, failed, problem };
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`run-tests: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  },
);
