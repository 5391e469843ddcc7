/** The shared sample workspace indexed into a saved file, for tests that read it both in process and through the CLI. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { SHARED_SAMPLES } from './paths';

export const SAMPLE_WORKSPACE_SMALL = path.join(SHARED_SAMPLES, 'workspace-small');

export interface SavedSampleIndex {
  index: ConnectedScenarioIndex;
  /** Path of the saved index file (give it to the CLI with --db). */
  db: string;
  dispose(): Promise<void>;
}

export async function savedSampleIndex(): Promise<SavedSampleIndex> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-sample-index-'));
  const db = path.join(dir, 'index.db');
  const index = await openConnectedScenarioIndex(db);
  await index.index({ roots: [{ name: 'workspace-small', absPath: SAMPLE_WORKSPACE_SMALL }] });
  await index.save();
  return {
    index,
    db,
    dispose: async () => {
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
