/**
 * The indexer's statements are prepared once per connection (indexerStatements.ts): passes after
 * the first, unchanged folders whose files were only touched included, prepare nothing again.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

describe('indexer statements', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-statements-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    index = await openConnectedScenarioIndex(undefined);
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('prepares each SQL text at most once over several passes on one connection', async () => {
    const prepared: string[] = [];
    const prepare = index.db.prepare.bind(index.db);
    index.db.prepare = (sql: string, params?: Parameters<typeof prepare>[1]) => {
      prepared.push(sql);
      return prepare(sql, params);
    };
    const roots = [{ name: 'ws', absPath: workspace }];
    await index.index({ roots, read: { pendingWindowMs: 0 } });
    const afterFirst = prepared.length;
    assert.ok(afterFirst > 0, 'the first pass prepares its statements');
    // A touched but identical file, then a changed one: the unchanged-folder and the write paths.
    const file = path.join(workspace, 'output/ai-summit/run-002/metrics.json');
    const later = new Date(Date.now() - 60_000);
    fs.utimesSync(file, later, later);
    await index.index({ roots, read: { pendingWindowMs: 0 } });
    fs.appendFileSync(path.join(workspace, 'output/ai-summit/run-002/european-union-002.md'), '\nOne more line.\n');
    await index.index({ roots, read: { pendingWindowMs: 0 } });
    const twice = prepared.filter((sql, i) => prepared.indexOf(sql) !== i);
    assert.deepEqual(twice, []);
  });
});
