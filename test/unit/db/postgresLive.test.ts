/**
 * Live for everyone: a window LISTENing on a shared index hears each folder another indexer (a
 * separate CLI process) commits, by key, in bursts, without polling.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listenForChanges } from '../../../src/core/db/postgres/changeListener';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';
import { runCli } from '../helpers/processes';

describe('PostgreSQL: changes heard by other windows (LISTEN/NOTIFY)', function () {
  this.timeout(60000);
  let url: string;
  let dir: string;

  before(async function () {
    requirePostgres(this);
    url = await createDatabase('sl_live');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pg-live-'));
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small', 'output', 'ai-summit'), path.join(dir, 'ai-summit'), { recursive: true });
    assert.equal(runCli('index', dir, '--db', url, '--source', 'team').code, 0);
  });
  after(async () => {
    if (url) await dropDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hears the folder another indexer changed, and only that one', async () => {
    const heard: string[][] = [];
    const listener = listenForChanges(url, { onChange: (keys) => heard.push(keys ?? ['(everything)']), debounceMs: 100 });
    try {
      await listener.ready;
      const file = path.join(dir, 'ai-summit', 'run-003', 'china-002.md');
      fs.appendFileSync(file, '\nA reviewer added this line.\n');
      const started = Date.now();
      assert.equal(runCli('index', dir, '--db', url, '--source', 'team').code, 0);
      while (heard.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(heard, [['team/ai-summit/run-003']]);
      // Nothing changed: a second pass commits nothing and announces nothing.
      assert.equal(runCli('index', dir, '--db', url, '--source', 'team').code, 0);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(heard.length, 1);
    } finally {
      await listener.close();
    }
  });
});
