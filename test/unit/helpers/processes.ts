import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

/** The built command line (`npm run build` makes it). */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** What a finished CLI process left: its exit status and its whole output. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js ...args` to its end. Output up to 256 MB is kept whole; a signal or a
 * failure to spawn (ENOMEM on a loaded machine) is appended to stderr so a failing test says why.
 */
export function runCli(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: `${result.stderr ?? ''}${result.signal ?? ''}${result.error?.message ?? ''}` };
}

const SQLITE3 = fs.existsSync('/usr/bin/sqlite3') ? '/usr/bin/sqlite3' : 'sqlite3';

/**
 * Debian's `sqlite3` command on `db` with `args` (SQL statements or dot-commands), as an outside
 * program reading our file. Returns its stdout untrimmed.
 * @throws AssertionError when sqlite3 exits non-zero (its stderr is the message).
 */
export function sqlite3(db: string, ...args: string[]): string {
  const result = spawnSync(SQLITE3, [db, ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}
