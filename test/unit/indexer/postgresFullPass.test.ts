/**
 * A full pass into a shared PostgreSQL index streams (indexer/postgres/indexPg.ts): it meets run
 * folders one chunk at a time and finds the stored folders that are gone against the keys it met
 * (a temporary table), not against a list of every folder. What it must still do: forget exactly
 * the folders that are gone, keep the others, leave a cancelled pass's folders alone, and leave
 * nothing behind on its connection.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSharedIndex, type SharedIndex } from '../../../src/core/sharedIndex';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';

const SOURCE = 'stream';

describe('PostgreSQL full pass (streamed)', function () {
  this.timeout(120000);
  let url: string;
  let dir: string;
  let index: SharedIndex;
  const roots = () => [{ name: 'ws', absPath: dir }];
  const folders = async () => (await index.analytics.listFolders()).map((f) => f.path);

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_stream');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-stream-'));
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small'), dir, { recursive: true });
    index = await openSharedIndex(url, { create: true });
  });
  after(async () => {
    await index?.close();
    if (url) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every run folder, then forgets exactly the ones that are gone', async () => {
    const first = await index.index({ roots: roots(), source: SOURCE });
    const all = await folders();
    assert.equal(first.foldersIndexed, all.length);
    assert.equal(first.foldersSeen, all.length);
    assert.ok(all.includes(`${SOURCE}/output/ai-summit/run-002`));
    const gone = await index.analytics.getRunByFolder(`${SOURCE}/output/ai-summit/run-002`);
    assert.ok(gone, 'the folder carries a run');

    fs.rmSync(path.join(dir, 'output', 'ai-summit', 'run-002'), { recursive: true });
    const second = await index.index({ roots: roots(), source: SOURCE });
    assert.equal(second.foldersRemoved, 1);
    assert.equal(second.foldersIndexed, 0);
    assert.equal(second.foldersUnchanged, all.length - 1);
    assert.deepEqual(await folders(), all.filter((p) => p !== `${SOURCE}/output/ai-summit/run-002`));
    assert.equal(await index.analytics.getRun(gone.id), undefined, 'its run is gone with it');
  });

  it('leaves stored folders alone when the pass is cancelled, and forgets them on the next full pass', async () => {
    const before = await folders();
    fs.rmSync(path.join(dir, 'output', 'ai-summit', 'run-003'), { recursive: true });
    const cancelled = await index.index({ roots: roots(), source: SOURCE, isCancelled: () => true });
    assert.equal(cancelled.cancelled, true);
    assert.equal(cancelled.foldersRemoved, 0);
    assert.deepEqual(await folders(), before);
    const next = await index.index({ roots: roots(), source: SOURCE });
    assert.equal(next.foldersRemoved, 1);
    assert.deepEqual(await folders(), before.filter((p) => p !== `${SOURCE}/output/ai-summit/run-003`));
  });

  it("never touches another source's folders, and leaves no table of its own behind", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-stream-other-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small', 'output', 'ai-regulatory-negotiation'), path.join(other, 'runs'), { recursive: true });
      await index.index({ roots: [{ name: 'other', absPath: other }], source: 'elsewhere' });
      const mine = (await folders()).filter((p) => p.startsWith(`${SOURCE}/`));
      const pass = await index.index({ roots: roots(), source: SOURCE });
      assert.equal(pass.foldersRemoved, 0);
      assert.deepEqual((await folders()).filter((p) => p.startsWith(`${SOURCE}/`)), mine);
      assert.equal((await folders()).filter((p) => p.startsWith('elsewhere/')).length, 4);
      const { rows } = await index.pool.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'sl_pass_present'");
      assert.equal(rows[0].n, 0);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
