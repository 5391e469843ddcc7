/**
 * ScenarioIndex.snapshot(), what the CLI's `sql` and the extension's SQL door read: it is taken under
 * the connection lock, so a snapshot asked for while an index pass is writing holds the batches the
 * pass has committed (a reader gets its turn between them, see runExclusiveInTurns), each folder
 * whole, never half of one (the CLI used to export the connection without the lock).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { loadSqlJs } from '../../../src/core/db/sqljs';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

describe('index snapshot', () => {
  it('taken during an index pass, holds whole folders only, each as the finished index has it', async () => {
    const index = await openScenarioIndex(undefined);
    try {
      const pass = index.index({ roots: [{ name: 'ws', absPath: FIXTURE }], batchSize: 1 });
      const during = await index.snapshot();
      const report = await pass;
      const SQL = await loadSqlJs();
      const copy = new SQL.Database(during);
      const rowsOf = (db: { exec(sql: string): Array<{ values: unknown[][] }> }, sql: string) => db.exec(sql)[0]?.values ?? [];
      assert.ok(report.foldersIndexed > 1, 'the fixture has several run folders');
      // Per run: its turns, decisions and metrics; a folder cut in half would have fewer than at the end.
      const PER_RUN = `SELECT r.id, (SELECT COUNT(*) FROM turns t WHERE t.run_id = r.id),
        (SELECT COUNT(*) FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.run_id = r.id),
        (SELECT COUNT(*) FROM metrics m JOIN turns t ON t.id = m.turn_id WHERE t.run_id = r.id) FROM runs r ORDER BY r.id`;
      const end = new SQL.Database(await index.snapshot());
      const finished = new Map(rowsOf(end, PER_RUN).map(([id, ...counts]) => [String(id), counts.join('/')]));
      const seen = rowsOf(copy, PER_RUN);
      for (const [id, ...counts] of seen) assert.equal(counts.join('/'), finished.get(String(id)), `run ${id} is whole in the snapshot`);
      assert.equal(Number(rowsOf(copy, 'SELECT COUNT(DISTINCT run_id) FROM sl_folders')[0][0]), seen.length, 'every folder of the snapshot has its run');
      assert.equal(finished.size, (await index.analytics.listRuns()).length);
      end.close();
      copy.close();
    } finally {
      await index.close();
    }
  });
});
