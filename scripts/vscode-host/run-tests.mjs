#!/usr/bin/env node
// Runs the mocha suite (out/test/suite/index.js) inside a real VS Code extension host:
// fresh profile + temp copy of the sample workspace, code-server on a free 127.0.0.1 port,
// headless Chromium opening the workbench with the test payload, and the result JSON that the
// test entry writes to $VSCODE_TEST_RESULT_FILE. Prints one line per test, then
// "N passed, N failed" alone on a line. Exit code: 0 only when every test passed.
//
// A second window then runs the suites titled "shared PostgreSQL" with `scenarioLab.database.url` set
// to a new database on $SCENARIO_LAB_TEST_PG_URL (scripts/test.sh starts a throwaway server), dropped
// afterwards. Without that URL they are skipped, loudly, except in CI (CI set), where that fails.
//
//   node scripts/vscode-host/run-tests.mjs [--grep <regexp>] [--timeout <seconds>]
//   env: VERBOSE=1 streams the extension host's console; KEEP_RUN_DIR=1 keeps profile + logs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { extensionHostLogs, launchBrowser, prepareRun, repoRoot, since, startServer, tail, viewport } from './host.mjs';

/** Title prefix of the suites that need the window on a shared PostgreSQL index (test/suite/sharedPostgres.test.ts). */
const PG_SUITES = '^shared PostgreSQL';

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
  // The first window runs everything else (its index is the embedded one).
  const outcomes = [await runWindow({ label: 'host-tests', grep: options.grep ? `^(?!shared PostgreSQL)(?=.*(?:${options.grep}))` : '^(?!shared PostgreSQL)' })];
  const wantsPg = !options.grep || new RegExp(options.grep).test('shared PostgreSQL index');
  if (wantsPg) outcomes.push(await runPostgresWindow());
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  let failed = outcomes.reduce((n, o) => n + o.failed, 0);
  if (passed + failed === 0 && !outcomes.some((o) => o.skipped)) {
    console.log(`FAIL extension host test run: no test matches --grep ${options.grep}`);
    failed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** The shared-PostgreSQL suites in a window of their own, on a new database that is dropped afterwards. */
async function runPostgresWindow() {
  const serverUrl = process.env.SCENARIO_LAB_TEST_PG_URL;
  if (!serverUrl) {
    if (process.env.CI) {
      console.log('FAIL shared PostgreSQL index: SCENARIO_LAB_TEST_PG_URL is unset, and CI runs these tests (scripts/test.sh starts a server)');
      return { passed: 0, failed: 1 };
    }
    console.log('*** SKIPPED: the shared PostgreSQL window (SCENARIO_LAB_TEST_PG_URL is unset; start a server with: eval "$(bash scripts/postgres/start.sh)") ***');
    return { passed: 0, failed: 0, skipped: true };
  }
  const name = `sl_host_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const grep = options.grep ? `(?=${PG_SUITES})(?=.*(?:${options.grep}))` : PG_SUITES;
    return await runWindow({ label: 'host-tests-pg', grep, settings: { 'scenarioLab.database.url': url.toString() }, env: { SCENARIO_LAB_TEST_DATABASE_URL: url.toString() } });
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error) => console.log(`(could not drop ${name}: ${error.message})`));
  }
}

/**
 * One window running the suite (those matching `grep`) with extra user `settings` and extension-host `env`.
 * @returns {Promise<{ passed: number, failed: number }>}
 */
async function runWindow({ label, grep, settings = {}, env: extraEnv = {} }) {
  const started = Date.now();
  const run = prepareRun(label, settings);
  const resultFile = path.join(run.dir, 'test-results.json');
  const env = { VSCODE_TEST_RESULT_FILE: resultFile, SCENARIO_LAB_TEST_WORKSPACE: run.workspace, ...extraEnv };
  if (grep) env.SCENARIO_LAB_TEST_GREP = grep;
  if (label !== 'host-tests') console.log(`--- ${label}: ${JSON.stringify(settings)} ---`);

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
    outcome = report(exitCode, resultFile, { allowEmpty: options.grep !== undefined });
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
  return outcome;
}

/** Prints one line per test and returns the counts; a run that did not finish cleanly counts as one failure. */
function report(exitCode, resultFile, { allowEmpty = false } = {}) {
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
  else if (passed + failed === 0 && !allowEmpty) problem = 'no tests ran'; // with --grep, the other window may hold the matches
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
