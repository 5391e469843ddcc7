import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupIndex, closeIndex, ForeignDatabaseError, openIndex, saveIndex, type OpenIndex } from '../../../src/core/db/indexFile';
import { SCHEMA_VERSION, schemaStatements } from '../../../src/core/db/schema';
import { insertRun, makeTempDir, removeDir } from './fixtures';
import { sqlite3 } from '../helpers/processes';

const SCENARIO_LAB_DB = '/work/shared/samples/workspace-small/scenario-lab.db';
// The system python starts in ~0.1 s; a pyenv shim on PATH takes seconds.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FIXED_NOW = new Date('2026-11-26T10:15:30.123Z');


async function runIds(index: OpenIndex): Promise<string[]> {
  return (await index.kysely.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id);
}

describe('index file', () => {
  let dir: string;
  let file: string;
  const opened: OpenIndex[] = [];

  /** Opens and remembers the index so afterEach closes it even when a test fails. */
  async function open(at: string | undefined = file): Promise<OpenIndex> {
    const index = await openIndex(at, { now: () => FIXED_NOW });
    opened.push(index);
    return index;
  }

  /** Writes an index with one run at `file`, closed again. */
  async function savedIndexWithOneRun(): Promise<void> {
    const index = await open();
    await insertRun(index.kysely, 'run-1', 2);
    await saveIndex(index.db, file);
  }

  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'index.db');
  });

  afterEach(async () => {
    for (const index of opened.splice(0)) await closeIndex(index).catch(() => undefined);
    removeDir(dir);
  });

  it('opens an in-memory index with the schema and its version', async () => {
    const index = await open(undefined);
    assert.deepEqual(index.notices, []);
    const version = await index.kysely.selectFrom('schema_version').selectAll().execute();
    assert.deepEqual(version, [{ version: SCHEMA_VERSION, created: '2026-11-26 10:15:30.123000' }]);
    assert.deepEqual(await runIds(index), []);
  });

  it('does not create the file until saved, and reopening gives the same rows', async () => {
    const first = await open();
    assert.equal(fs.existsSync(file), false);
    await insertRun(first.kysely, 'run-1', 2);
    await insertRun(first.kysely, 'run-2', 3);
    await saveIndex(first.db, file);

    const second = await open();
    assert.deepEqual(second.notices, []);
    assert.deepEqual(await runIds(second), ['run-1', 'run-2']);
    const metrics = await second.kysely.selectFrom('metrics').select(['turn_id', 'value']).orderBy('id').execute();
    assert.deepEqual(metrics, await first.kysely.selectFrom('metrics').select(['turn_id', 'value']).orderBy('id').execute());
    assert.equal(metrics.length, 5);
  });

  it('saves a file the sqlite3 CLI and Python read as a plain SQLite database', async () => {
    await savedIndexWithOneRun();
    const tables = sqlite3(file, '.tables').split(/\s+/).filter(Boolean);
    for (const table of ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs', 'schema_version']) {
      assert.ok(tables.includes(table), `${table} in ${tables.join(' ')}`);
    }
    const runsDdl = schemaStatements()
      .split(';')
      .map((s) => s.trim())
      .filter((s) => /^CREATE TABLE runs \(|^CREATE INDEX \w+ ON runs \(/.test(s));
    assert.equal(sqlite3(file, '.schema runs'), runsDdl.map((s) => `${s};\n`).join(''));
    assert.equal(sqlite3(file, 'PRAGMA integrity_check', 'PRAGMA journal_mode', 'PRAGMA page_size', 'SELECT count(*) FROM turns'), 'ok\ndelete\n16384\n2\n');

    const python = spawnSync(PYTHON, ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select id, total_turns from runs").fetchall())', file], {
      encoding: 'utf8',
    });
    if (python.error) return; // no python3 on this machine: the sqlite3 CLI check above stands
    assert.equal(python.stdout.trim(), "[('run-1', 2)]", python.stderr);
  });

  const PAGE = 16384; // the index's page size
  for (const [name, corrupt] of [
    ['a truncated database', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['a database with a damaged page', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, PAGE * 2), randomBytes(PAGE), bytes.subarray(PAGE * 3)])],
    ['a database whose pages after the first are noise', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, PAGE), randomBytes(bytes.length - PAGE)])],
  ] as const) {
    it(`sets aside ${name} of ours and starts a fresh index`, async () => {
      await savedIndexWithOneRun();
      const damaged = corrupt(fs.readFileSync(file));
      fs.writeFileSync(file, damaged);

      const index = await open();
      const aside = `${file}.broken-2026-11-26T10-15-30-123Z`;
      assert.equal(index.notices.length, 1);
      assert.match(index.notices[0], /^The index at .*index\.db could not be read \(.+\); it was set aside as .*broken-.* and will be rebuilt from the run folders\.$/);
      assert.ok(index.notices[0].includes(aside));
      assert.deepEqual(fs.readFileSync(aside), damaged, 'moved, not rewritten');
      assert.equal(fs.existsSync(file), false);
      assert.deepEqual(await runIds(index), []);
      await saveIndex(index.db, file);
      assert.deepEqual((await open()).notices, []);
    });
  }

  it('never overwrites an earlier set-aside file', async () => {
    await savedIndexWithOneRun();
    const good = fs.readFileSync(file);
    const damaged = (n: number) => Buffer.concat([good.subarray(0, PAGE), Buffer.alloc(good.length - PAGE, n)]);
    fs.writeFileSync(file, damaged(1));
    await open();
    fs.writeFileSync(file, damaged(2));
    const second = await open();
    assert.ok(second.notices[0].includes('broken-2026-11-26T10-15-30-123Z-2'), second.notices[0]);
    assert.deepEqual(fs.readFileSync(`${file}.broken-2026-11-26T10-15-30-123Z`), damaged(1));
  });

  it('sets aside an index from another schema version and rebuilds', async () => {
    await savedIndexWithOneRun();
    sqlite3(file, `UPDATE schema_version SET version = ${SCHEMA_VERSION - 2}`);

    const index = await open();
    const aside = `${file}.old-schema-2026-11-26T10-15-30-123Z`;
    assert.deepEqual(index.notices, [
      `The index at ${file} was from an older schema (version ${SCHEMA_VERSION - 2}, now ${SCHEMA_VERSION}); it was set aside as ${aside} and will be rebuilt from the run folders.`,
    ]);
    assert.equal(sqlite3(aside, 'SELECT id FROM runs'), 'run-1\n');
    assert.deepEqual(await runIds(index), []);
  });


  it('treats an empty file as a new index', async () => {
    fs.writeFileSync(file, '');
    const index = await open();
    assert.deepEqual(index.notices, []);
    assert.deepEqual(await runIds(index), []);
  });

  it('refuses Scenario Lab’s own database and leaves it untouched', async () => {
    const ownDb = path.join(dir, 'scenario-lab.db');
    fs.copyFileSync(SCENARIO_LAB_DB, ownDb);
    const before = fs.readFileSync(ownDb);
    const stat = fs.statSync(ownDb);

    await assert.rejects(open(ownDb), (error: unknown) => {
      assert.ok(error instanceof ForeignDatabaseError);
      assert.match(error.message, /scenario-lab\.db looks like Scenario Lab's own database .*choose another file for the index/);
      return true;
    });
    const index = await open(undefined);
    await assert.rejects(backupIndex(index.db, ownDb, { force: true }), ForeignDatabaseError);

    assert.deepEqual(fs.readFileSync(ownDb), before);
    assert.equal(fs.statSync(ownDb).mtimeMs, stat.mtimeMs);
    assert.deepEqual(fs.readdirSync(dir), ['scenario-lab.db']);
  });

  it('reports a real I/O error clearly instead of setting the file aside', async () => {
    fs.mkdirSync(file); // reading a directory fails with EISDIR, like a permission error would
    await assert.rejects(open(), /Could not read the index file .*index\.db: .*EISDIR/);
    assert.ok(fs.statSync(file).isDirectory());
  });

  it('backs up a consistent copy, waiting for a running transaction', async () => {
    const index = await open();
    await insertRun(index.kysely, 'run-1', 1);
    const backup = path.join(dir, 'backups', 'copy.db');

    let committed = false;
    const transaction = index.kysely.transaction().execute(async (trx) => {
      await insertRun(trx, 'run-2', 2);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await insertRun(trx, 'run-3', 1);
      committed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5)); // the transaction is half done now
    await backupIndex(index.db, backup);
    assert.ok(committed, 'the backup waited for the transaction');
    await transaction;

    assert.equal(sqlite3(backup, 'PRAGMA integrity_check', 'SELECT group_concat(id) FROM (SELECT id FROM runs ORDER BY id)'), 'ok\nrun-1,run-2,run-3\n');
    const copy = await open(backup);
    assert.deepEqual(copy.notices, []);
    assert.deepEqual(await runIds(copy), await runIds(index));
  });

  it('saves an in-memory index into a new directory', async () => {
    const index = await open(undefined);
    await insertRun(index.kysely, 'run-1', 1);
    const nested = path.join(dir, '.vscode', 'scenario-lab', 'index.db');
    await saveIndex(index.db, nested);
    assert.deepEqual(await runIds(await open(nested)), ['run-1']);
  });
});
