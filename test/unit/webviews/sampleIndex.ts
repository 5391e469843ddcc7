/** A real in-memory index of the bundled sample workspace, shared by the webview host tests. */
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

export const SAMPLE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

export async function indexSampleWorkspace(): Promise<ConnectedScenarioIndex> {
  const index = await openConnectedScenarioIndex(undefined);
  await index.index({ roots: [{ name: 'workspace-small', absPath: SAMPLE_WORKSPACE }] });
  return index;
}

export const REGULATORY = 'AI Regulatory Negotiation';
