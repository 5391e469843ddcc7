/**
 * Which files the index may set aside, rebuild or replace: only files carrying our mark (or an
 * index an earlier version wrote, or an empty file). Every other file is refused, byte for byte
 * as it was, with no file created or renamed beside it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backupIndex,
  closeIndex,
  DestinationExistsError,
  IndexUnavailableError,
  NotAnIndexError,
  openIndex,
  ReadOnlyIndexError,
  saveIndex,
  type OpenIndex,
} from '../../../src/core/db/indexFile';
import { APPLICATION_ID } from '../../../src/core/db/indexMark';
import { SCHEMA_VERSION } from '../../../src/core/db/schema';
import { openConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { insertRun, makeTempDir, removeDir } from './fixtures';
import { sqlite3 } from '../helpers/processes';

const FIXED_NOW = new Date('2026-11-26T10:15:30.123Z');


describe('index file ownership', () => {
  let dir: string;
  let file: string;
  const opened: OpenIndex[] = [];

  async function open(at: string = file, readOnly = false): Promise<OpenIndex> {
    const index = await openIndex(at, { now: () => FIXED_NOW, readOnly });
    opened.push(index);
    return index;
  }

  async function savedIndexWithOneRun(at: string = file): Promise<void> {
    const index = await open(path.join(dir, 'nowhere.db'));
    await insertRun(index.kysely, 'run-1', 2);
    await saveIndex(index.db, at);
  }

  /** Asserts that `act` is refused with `kind`, and that the directory and `victim` are exactly as before. */
  async function assertUntouched(victim: string, act: () => Promise<unknown>, kind: new (...args: never[]) => Error): Promise<void> {
    const bytes = fs.readFileSync(victim);
    const { mtimeMs, mode } = fs.statSync(victim);
    const listing = fs.readdirSync(dir).sort();
    await assert.rejects(act(), (error: unknown) => {
      assert.ok(error instanceof kind, `${(error as Error).name}: ${(error as Error).message}`);
      assert.ok((error as Error).message.includes(victim), (error as Error).message);
      return true;
    });
    assert.ok(fs.readFileSync(victim).equals(bytes), 'byte-identical');
    assert.equal(fs.statSync(victim).mtimeMs, mtimeMs);
    assert.equal(fs.statSync(victim).mode, mode);
    assert.deepEqual(fs.readdirSync(dir).sort(), listing, 'nothing renamed or created');
  }

  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'index.db');
  });

  afterEach(async () => {
    for (const index of opened.splice(0)) await closeIndex(index).catch(() => undefined);
    removeDir(dir);
  });

  it('marks every index it writes with its application_id and the schema version as user_version', async () => {
    await savedIndexWithOneRun();
    assert.equal(sqlite3(file, 'PRAGMA application_id', 'PRAGMA user_version'), `${APPLICATION_ID}\n${SCHEMA_VERSION}\n`);
  });

  it('keeps using an index an earlier version wrote without the mark, and marks it on the next save', async () => {
    await savedIndexWithOneRun();
    sqlite3(file, 'PRAGMA application_id = 0', 'PRAGMA user_version = 0');
    const index = await open();
    assert.deepEqual(index.notices, []);
    assert.equal((await index.kysely.selectFrom('runs').select('id').execute()).length, 1);
    await saveIndex(index.db, file, { expected: index.stamp });
    assert.equal(sqlite3(file, 'PRAGMA application_id', 'PRAGMA user_version', 'SELECT id FROM runs'), `${APPLICATION_ID}\n${SCHEMA_VERSION}\nrun-1\n`);
  });

  const others: [string, () => void][] = [
    ['a text file', () => fs.writeFileSync(file, 'my notes, not a database\n')],
    ['random bytes', () => fs.writeFileSync(file, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)))],
    ['another application’s SQLite database', () => sqlite3(file, 'CREATE TABLE notes (body TEXT)', "INSERT INTO notes VALUES ('keep me')")],
    [
      'another application’s database with a schema_version table of its own',
      () => sqlite3(file, 'CREATE TABLE schema_version (version INTEGER)', 'INSERT INTO schema_version VALUES (5)', 'CREATE TABLE runs (id TEXT)'),
    ],
    ['a database with another application_id, even with our tables', () => {
      fs.copyFileSync(file + '.ours', file);
      sqlite3(file, 'PRAGMA application_id = 1196444487'); // GeoPackage
    }],
    ['an empty SQLite database marked by another application (user_version)', () => sqlite3(file, 'PRAGMA user_version = 7')],
  ];
  for (const [name, make] of others) {
    it(`refuses ${name}: open, read-only open and save leave it untouched`, async () => {
      await savedIndexWithOneRun(file + '.ours');
      make();
      fs.renameSync(file + '.ours', path.join(path.dirname(dir), `${path.basename(dir)}-ours.db`)); // out of the listing
      try {
        await assertUntouched(file, () => open(), NotAnIndexError);
        await assertUntouched(file, () => open(file, true), NotAnIndexError);
        const other = await open(path.join(dir, 'elsewhere.db'));
        await assertUntouched(file, () => saveIndex(other.db, file), NotAnIndexError);
      } finally {
        fs.rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-ours.db`), { force: true });
      }
    });
  }

  it('treats a SQLite database with nothing in it as empty, and fills it', async () => {
    sqlite3(file, 'VACUUM');
    assert.ok(fs.statSync(file).size > 0);
    const index = await open();
    await insertRun(index.kysely, 'run-1', 1);
    await saveIndex(index.db, file, { expected: index.stamp });
    assert.equal(sqlite3(file, 'SELECT id FROM runs'), 'run-1\n');
  });

  describe('a read-only open', () => {
    it('creates nothing for a missing file', async () => {
      await assert.rejects(open(file, true), (error: unknown) => error instanceof IndexUnavailableError && /no index at .*index\.db/.test(error.message));
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('says that an empty file holds no index', async () => {
      fs.writeFileSync(file, '');
      await assertUntouched(file, () => open(file, true), IndexUnavailableError);
    });

    it('never sets aside a damaged index of ours: it says it must be rebuilt', async () => {
      await savedIndexWithOneRun();
      const good = fs.readFileSync(file);
      fs.writeFileSync(file, Buffer.concat([good.subarray(0, 16384), Buffer.alloc(good.length - 16384, 0x5a)]));
      await assertUntouched(file, () => open(file, true), IndexUnavailableError);
      await assert.rejects(open(file, true), /could not be read .*must be rebuilt: scenario-lab index/);
    });

    it('after a set-aside, says where the index went instead of answering from nothing', async () => {
      await savedIndexWithOneRun();
      sqlite3(file, `UPDATE schema_version SET version = ${SCHEMA_VERSION - 2}`, `PRAGMA user_version = ${SCHEMA_VERSION - 2}`);
      await open(); // a writing open sets it aside
      assert.equal(fs.existsSync(file), false);
      await assert.rejects(open(file, true), (error: unknown) => {
        assert.ok(error instanceof IndexUnavailableError);
        assert.match(error.message, /no index at .*index\.db: it was set aside as .*index\.db\.old-schema-2026-11-26T10-15-30-123Z because it could not be used, and must be rebuilt/);
        return true;
      });
      assert.equal(fs.existsSync(file), false);
    });
  });

  describe('file permissions', () => {
    it('never replaces an index the user made read-only (chmod 444), nor sets it aside', async () => {
      await savedIndexWithOneRun();
      fs.chmodSync(file, 0o444);
      const index = await open();
      await insertRun(index.kysely, 'run-2', 1);
      await assertUntouched(file, () => saveIndex(index.db, file, { expected: index.stamp }), ReadOnlyIndexError);
      await assert.rejects(saveIndex(index.db, file), /read-only .*chmod u\+w/);

      // A damaged index of ours that is read-only is not renamed (set aside) either.
      const good = fs.readFileSync(file);
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, Buffer.concat([good.subarray(0, 16384), Buffer.alloc(good.length - 16384, 1)]));
      fs.chmodSync(file, 0o444);
      await assertUntouched(file, () => open(), ReadOnlyIndexError);
    });

    it('keeps the permissions a user gave the index (chmod 600) across saves', async () => {
      await savedIndexWithOneRun();
      fs.chmodSync(file, 0o600);
      const index = await open();
      await insertRun(index.kysely, 'run-2', 1);
      await saveIndex(index.db, file, { expected: index.stamp });
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(sqlite3(file, 'SELECT count(*) FROM runs'), '2\n');
    });

    it('saves through a symbolic link into the file it points to, keeping the link', async () => {
      const target = path.join(dir, 'elsewhere', 'real.db');
      fs.mkdirSync(path.dirname(target));
      await savedIndexWithOneRun(target);
      fs.symlinkSync(target, file);
      const index = await open();
      await insertRun(index.kysely, 'run-2', 1);
      await saveIndex(index.db, file, { expected: index.stamp });
      assert.ok(fs.lstatSync(file).isSymbolicLink());
      assert.equal(sqlite3(target, 'SELECT count(*) FROM runs'), '2\n');
    });
  });

  describe('backup', () => {
    it('refuses an existing destination unless forced, and even then anything but an index of ours', async () => {
      const index = await open(path.join(dir, 'source.db'));
      await insertRun(index.kysely, 'run-1', 1);
      const text = path.join(dir, 'report.txt');
      fs.writeFileSync(text, 'quarterly report\n');
      const theirs = path.join(dir, 'theirs.db');
      sqlite3(theirs, 'CREATE TABLE t (x)', 'INSERT INTO t VALUES (1)');
      const link = path.join(dir, 'link.db');
      fs.symlinkSync(theirs, link);

      await assertUntouched(text, () => backupIndex(index.db, text), DestinationExistsError);
      await assertUntouched(text, () => backupIndex(index.db, text, { force: true }), NotAnIndexError);
      await assertUntouched(theirs, () => backupIndex(index.db, theirs), DestinationExistsError);
      await assertUntouched(theirs, () => backupIndex(index.db, theirs, { force: true }), NotAnIndexError);
      await assertUntouched(link, () => backupIndex(index.db, link, { force: true }), NotAnIndexError);
      assert.ok(fs.lstatSync(link).isSymbolicLink());

      const earlier = path.join(dir, 'backup.db');
      await backupIndex(index.db, earlier);
      await insertRun(index.kysely, 'run-2', 1);
      await assert.rejects(backupIndex(index.db, earlier), DestinationExistsError);
      await backupIndex(index.db, earlier, { force: true });
      assert.equal(sqlite3(earlier, 'SELECT count(*) FROM runs'), '2\n');
    });
  });

  it('ScenarioIndex.close() frees the sql.js database', async () => {
    const index = await openConnectedScenarioIndex(undefined);
    assert.deepEqual(index.db.exec('SELECT 1 AS one')[0].values, [[1]]);
    await index.close();
    assert.throws(() => index.db.exec('SELECT 1'), /closed/i);
  });
});
