/**
 * ScenarioIndex.snapshot(), what the CLI's `sql` and the extension's SQL door read: it is taken under
 * the connection lock, so a snapshot asked for while an index pass is writing holds the whole pass,
 * never half of it (the CLI used to export the connection without the lock).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { loadSqlJs } from '../../../src/core/db/sqljs';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

describe('index snapshot', () => {
  it('waits for a running index pass and holds all of it', async () => {
    const index = await openScenarioIndex(undefined);
    try {
      const pass = index.index({ roots: [{ name: 'ws', absPath: FIXTURE }], batchSize: 1 });
      const during = await index.snapshot();
      const report = await pass;
      const SQL = await loadSqlJs();
      const copy = new SQL.Database(during);
      const count = (table: string) => Number(copy.exec(`SELECT COUNT(*) FROM ${table}`)[0].values[0][0]);
      assert.ok(report.foldersIndexed > 1, 'the fixture has several run folders');
      assert.equal(count('sl_folders'), report.foldersIndexed + report.foldersUnchanged);
      assert.equal(count('runs'), (await index.analytics.listRuns()).length);
      assert.equal(count('decisions'), Number(copy.exec('SELECT COUNT(*) FROM decisions d JOIN turns t ON t.id = d.turn_id')[0].values[0][0]));
      copy.close();
    } finally {
      await index.close();
    }
  });
});
