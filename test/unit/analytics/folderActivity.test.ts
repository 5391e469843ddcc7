import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

describe('analytics.folderActivity', function () {
  this.timeout(60_000);
  let index: ScenarioIndex;
  before(async () => {
    index = await openScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'ws', absPath: WORKSPACE }] });
  });
  after(() => index.close());

  it('gives every run folder the newest mtime of its files', async () => {
    const activity = await index.analytics.folderActivity();
    const folders = (await index.analytics.listFolders()).map((f) => f.path);
    assert.deepEqual(
      activity.map((a) => a.folder),
      folders,
    );
    const run = activity.find((a) => a.folder === 'output/ai-summit/run-002')!;
    const dir = path.join(WORKSPACE, run.folder);
    const newest = Math.max(...fs.readdirSync(dir).map((name) => fs.statSync(path.join(dir, name)).mtimeMs));
    assert.equal(run.lastModifiedMs, newest);
  });
});
