/**
 * The timing shape of batch, for the Experiment panel's tests: the sample generator's
 * `experiments/model-comparison` with 3 variations × 12 runs (4 turns) and 2 failed runs, written
 * into a new temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';

export const BATCH36 = 'experiments/model-comparison';

/** Writes the workspace and returns its folder (the caller removes it). */
export function writeBatch36(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  generateSampleWorkspace({ runs: 0, turns: 4, actors: 3, scenarios: 1, seed: 'panel-36', batchRunsPerVariation: 12, batchVariations: 3, batchFailures: 2 }, (relative, content) => {
    fs.mkdirSync(path.join(dir, path.dirname(relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  });
  return dir;
}
