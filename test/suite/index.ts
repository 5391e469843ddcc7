/**
 * Mocha entry that VS Code loads inside the extension host (`extensionTestsPath` =
 * out/test/suite/index.js), following the @vscode/test-electron contract: `run()` resolves when
 * every test passed and rejects otherwise, which becomes the window's exit code.
 *
 * The harness (scripts/vscode-host/run-tests.mjs) only sees browser console lines, so the results
 * also go to the JSON file named by $VSCODE_TEST_RESULT_FILE (the extension host inherits the
 * code-server process's environment). $SCENARIO_LAB_TEST_GREP narrows the run to matching titles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

/** The JSON the harness reads; `error` is set when the suite could not run at all. */
export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  error?: string;
  vscodeVersion: string;
  node: string;
}

/** Every compiled test file under `dir` (out/test/suite/**\/*.test.js), in a stable order. */
function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function writeResults(results: SuiteResults): void {
  const file = process.env.VSCODE_TEST_RESULT_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000 });
  if (process.env.SCENARIO_LAB_TEST_GREP) mocha.grep(new RegExp(process.env.SCENARIO_LAB_TEST_GREP));
  const results: SuiteResults = { passed: 0, failed: 0, pending: 0, tests: [], vscodeVersion: vscode.version, node: process.version };

  return new Promise<void>((resolve, reject) => {
    try {
      for (const file of findTestFiles(__dirname)) mocha.addFile(file);
      const runner = mocha.run((failures) => {
        results.passed = runner.stats?.passes ?? 0;
        results.failed = runner.stats?.failures ?? failures;
        results.pending = runner.stats?.pending ?? 0;
        writeResults(results);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
      runner.on('pending', (test) => results.tests.push({ title: test.fullTitle(), state: 'pending' }));
      // Also reports hook failures ("before all" hook …), which have no test of their own.
      runner.on('fail', (test, err) => results.tests.push({ title: test.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
    } catch (err) {
      // e.g. a test file that throws while loading
      results.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      writeResults(results);
      reject(err);
    }
  });
}
