/**
 * The index worker's file lifecycle as the extension meets it: a refused file is reported with
 * its reason on every later call (and tried again by the next pass), a save over a file another
 * program changed is refused with a code the caller can act on, and reopen() takes their version.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startIndexWorker, type IndexClient } from '../../../src/core/worker/indexClient';
import { REPO_ROOT } from '../helpers/paths';
import { sqlite3 } from '../helpers/processes';

const WORKER = path.join(REPO_ROOT, 'dist', 'indexWorker.js');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const roots = [{ name: 'ws', absPath: FIXTURE }];


describe('index worker and its file', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  const clients: IndexClient[] = [];
  const start = () => {
    const client = startIndexWorker(WORKER, file);
    clients.push(client);
    return client;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-worker-file-'));
    file = path.join(dir, 'index.db');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a refused file on every later call, and opens it once the cause is gone', async () => {
    fs.writeFileSync(file, 'a text file the user pointed the index at\n');
    const client = start();
    await assert.rejects(client.opened, /index\.db is not a Scenario Lab index \(it is not a SQLite database\); it was left untouched/);
    await assert.rejects(client.index({ roots }), /^Error: The index could not be opened: .*index\.db is not a Scenario Lab index/);
    await assert.rejects(client.analytics.listRuns(), /The index could not be opened: .*not a Scenario Lab index/);
    await assert.rejects(client.save(), /The index could not be opened/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'a text file the user pointed the index at\n');

    fs.rmSync(file); // the user chose to remove it
    const report = await client.index({ roots });
    assert.ok(report.foldersIndexed > 0);
    await client.save();
    assert.ok(Number(sqlite3(file, 'SELECT count(*) FROM runs')) > 0);
  });

  it('refuses to save over a change another program made, with a code, and reopen() keeps their change', async () => {
    const client = start();
    await client.opened;
    await client.index({ roots });
    await client.save();
    sqlite3(file, 'CREATE TABLE my_notes (note TEXT)', "INSERT INTO my_notes VALUES ('added in sqlite3')");
    await client.index({ roots });
    await assert.rejects(client.save(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'index-changed');
      assert.match(error.message, /changed by another program since Scenario Lab loaded it; it was not overwritten/);
      return true;
    });
    assert.deepEqual(await client.reopen(), []);
    await client.index({ roots });
    await client.save();
    assert.equal(sqlite3(file, 'SELECT note FROM my_notes', 'SELECT count(*) > 0 FROM runs'), 'added in sqlite3\n1\n');
  });
});
