/**
 * The SQL door in the real extension host (issue 11, item 1): custom queries through the extension API
 * read the live index, and the bypass of the issue (PRAGMA query_only = OFF, then DELETE) is refused
 * and changes nothing: not the index, not after a save, not after a re-index.
 */
import * as assert from 'node:assert/strict';
import { sql } from 'kysely';
import * as vscode from 'vscode';
import { readyApi } from './helpers';

describe('SQL door (extension API)', function () {
  this.timeout(90_000);

  it('reads through api.db and refuses every write, leaving the index as it was', async () => {
    const api = await readyApi();
    const count = async () => Number((await api.db.selectFrom('decisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    assert.ok(before > 0);
    await assert.rejects(sql`PRAGMA query_only = OFF`.execute(api.db), /read-only/);
    await assert.rejects(api.db.deleteFrom('decisions').execute(), /read-only/);
    await assert.rejects(sql.raw('PRAGMA writable_schema = ON; DELETE FROM decisions').execute(api.db), /read-only/);
    assert.equal('db' in api.analytics, false, 'the analytics facade has no database handle');
    await assert.rejects(api.db.transaction().execute(async (trx) => trx.selectFrom('runs').select('id').execute()), /transaction/i);
    assert.equal(await count(), before);
    await vscode.commands.executeCommand('scenarioLab.reindexWorkspace');
    assert.equal(await count(), before, 'nothing was deleted behind the index either');
    assert.equal((await api.analytics.listRuns()).length, (await api.db.selectFrom('runs').select('id').execute()).length);
  });
});
