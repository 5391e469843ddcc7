import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Compiled tests run from out/test/..., sources from test/...; walking up to package.json finds
 * the clone either way, and `shared/` sits beside the clone (here and in CI).
 */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`No package.json in ${start} or any folder above it`);
    }
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const SHARED_SAMPLES = path.resolve(REPO_ROOT, '..', 'shared', 'samples');
