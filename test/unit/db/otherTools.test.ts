/**
 * The index next to other programs that open it: real sqlite3 and python3 processes leave
 * journals and WAL files, hold it open, write to it, and a save of ours is killed half way.
 * After each, every file SQLite sees passes integrity_check and no one's committed write is lost
 * without an error saying so.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closeIndex, openIndex, saveIndex, type OpenIndex } from '../../../src/core/db/indexFile';
import { IndexChangedError, IndexInUseError, lockHolder } from '../../../src/core/db/fileGuard';
import { insertRun, makeTempDir, removeDir } from './fixtures';
import { sqlite3 } from '../helpers/processes';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';


/** Starts python3 running `script` (argv[1] = the index); resolves once it printed `ready`. */
function python(script: string, file: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(PYTHON, ['-u', '-c', script, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`python exited (${code}) before it was ready: ${output}`)));
    const poll = setInterval(() => {
      if (!output.includes('ready')) return;
      clearInterval(poll);
      resolve({ child, output: () => output });
    }, 20);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve())));
}

describe('the index file beside other programs', function () {
  this.timeout(30000);
  let dir: string;
  let file: string;
  const opened: OpenIndex[] = [];
  const children: ChildProcess[] = [];

  async function open(): Promise<OpenIndex> {
    const index = await openIndex(file);
    opened.push(index);
    return index;
  }

  beforeEach(async () => {
    dir = makeTempDir();
    file = path.join(dir, 'index.db');
    const index = await open();
    await insertRun(index.kysely, 'run-1', 2);
    await saveIndex(index.db, file);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const index of opened.splice(0)) await closeIndex(index).catch(() => undefined);
    removeDir(dir);
  });

  it('refuses to load or save while a crashed writer left a hot journal, and loads once SQLite rolled it back', async () => {
    // A big transaction with a tiny cache spills pages into the file: the journal is then hot.
    const writer = await python(
      `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size = 2'); c.execute('BEGIN')
for i in range(3000): c.execute("INSERT INTO sl_problems (severity, file, line, message) VALUES ('error', ?, 1, ?)", (str(i), 'x' * 500))
print('ready'); time.sleep(60)`,
      file,
    );
    children.push(writer.child);
    writer.child.kill('SIGKILL');
    await exited(writer.child);
    assert.ok(fs.existsSync(`${file}-journal`), 'the killed writer left its journal');

    const before = fs.readFileSync(file);
    await assert.rejects(openIndex(file), (error: unknown) => {
      assert.ok(error instanceof IndexInUseError);
      assert.match(error.message, /index\.db-journal .*sqlite3 ".*index\.db" "PRAGMA quick_check"/);
      return true;
    });
    const other = opened[0];
    await assert.rejects(saveIndex(other.db, file), IndexInUseError);
    assert.ok(fs.readFileSync(file).equals(before), 'not replaced under the journal');

    assert.equal(sqlite3(file, 'PRAGMA quick_check'), 'ok\n'); // SQLite rolls the journal back
    const index = await open();
    assert.equal(Number(index.db.exec('SELECT count(*) FROM sl_problems')[0].values[0][0]), 0);
    assert.deepEqual(index.db.exec('SELECT id FROM runs')[0].values, [['run-1']]);
  });

  it('refuses WAL frames another program has not written into the file, and then loads them', async () => {
    const walWriter = await python(
      `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0')
c.execute("INSERT INTO runs (id, scenario_id, scenario_name, created, status, total_turns, total_cost, config) VALUES ('from-python', 's', 'S', '2025-01-01 00:00:00', 'completed', 0, 0, '{}')")
print('ready'); time.sleep(60)`,
      file,
    );
    children.push(walWriter.child);
    const index = opened[0];
    // Held open: a lock and WAL frames. Neither loading nor replacing the file is safe.
    await assert.rejects(openIndex(file), /index\.db-wal holds changes another program made .*PRAGMA wal_checkpoint\(TRUNCATE\)/);
    await assert.rejects(saveIndex(index.db, file), IndexInUseError);

    walWriter.child.kill('SIGKILL'); // crashed: the WAL stays, no lock
    await exited(walWriter.child);
    assert.ok(fs.statSync(`${file}-wal`).size > 32);
    await assert.rejects(openIndex(file), /index\.db-wal holds changes/);
    await assert.rejects(saveIndex(index.db, file), /index\.db-wal holds changes/);

    sqlite3(file, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const reloaded = await open();
    assert.deepEqual(reloaded.db.exec('SELECT id FROM runs ORDER BY id')[0].values, [['from-python'], ['run-1']], 'their write kept');
    await insertRun(reloaded.kysely, 'run-2', 1);
    await saveIndex(reloaded.db, file, { expected: reloaded.stamp });
    assert.equal(sqlite3(file, 'PRAGMA integrity_check', 'SELECT group_concat(id) FROM (SELECT id FROM runs ORDER BY id)'), 'ok\nfrom-python,run-1,run-2\n');
  });

  it('refuses to save while another program holds a read transaction (a lock on the file)', async () => {
    const reader = await python(
      `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN'); c.execute('SELECT count(*) FROM runs').fetchall()
print('ready'); time.sleep(60)`,
      file,
    );
    children.push(reader.child);
    const index = opened[0];
    await assert.rejects(saveIndex(index.db, file), (error: unknown) => {
      assert.ok(error instanceof IndexInUseError);
      assert.match(error.message, new RegExp(`python3?, process ${reader.child.pid}\\) has .*index\\.db open with a lock`));
      return true;
    });
    reader.child.kill('SIGKILL');
    await exited(reader.child);
    await saveIndex(index.db, file);
  });

  it('never saves over a write another program committed after we loaded: theirs is kept', async () => {
    const index = await open();
    sqlite3(file, "INSERT INTO sl_problems (severity, file, line, message) VALUES ('warning', 'notes.md', 1, 'added by hand in sqlite3')");
    await insertRun(index.kysely, 'run-2', 1);
    await assert.rejects(saveIndex(index.db, file, { expected: index.stamp }), IndexChangedError);
    assert.equal(sqlite3(file, 'PRAGMA integrity_check', 'SELECT message FROM sl_problems'), 'ok\nadded by hand in sqlite3\n');
    // Loaded again, the index keeps their row and takes ours on top.
    const again = await open();
    await insertRun(again.kysely, 'run-2', 1);
    await saveIndex(again.db, file, { expected: again.stamp });
    assert.equal(sqlite3(file, 'SELECT count(*) FROM sl_problems', 'SELECT count(*) FROM runs'), '1\n2\n');
  });

  it('a program that kept the file open without a lock gets an error for a write after our save, not a silent loss', async () => {
    const idle = await python(
      `import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('SELECT count(*) FROM runs').fetchall()
print('ready'); sys.stdin.readline()
try:
    c.execute("INSERT INTO sl_problems (severity, file, line, message) VALUES ('x', 'y', 1, 'z')"); print('WROTE')
except sqlite3.Error as e:
    print('REFUSED', e)`,
      file,
    );
    children.push(idle.child);
    const index = opened[0];
    await insertRun(index.kysely, 'run-2', 1);
    await saveIndex(index.db, file); // no lock is held between its statements
    idle.child.stdin!.write('\n');
    await exited(idle.child);
    assert.match(idle.output(), /REFUSED attempt to write a readonly database/);
    assert.equal(sqlite3(file, 'PRAGMA integrity_check', 'SELECT count(*) FROM runs'), 'ok\n2\n');
  });

  it('removes the temp file of a save killed half way on the next open, and only that', async () => {
    const modulePath = path.resolve(__dirname, '../../../src/core/db/atomicWrite.js');
    const script = `
      const { writeFileAtomic, nodeAtomicWriteSteps } = require(${JSON.stringify(modulePath)});
      const fs = require('node:fs');
      writeFileAtomic(${JSON.stringify(file)}, Buffer.alloc(8 << 20, 1), {
        ...nodeAtomicWriteSteps,
        writeAndSync: async (temp, bytes) => {
          const fd = fs.openSync(temp, 'wx');
          fs.writeSync(fd, bytes, 0, bytes.length / 2);
          console.log('ready');
          await new Promise(() => {}); // "still writing" until killed
        },
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve()));
    const live = fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    assert.equal(live.length, 1);
    await open(); // the writer is alive: its temp file stays
    assert.ok(fs.existsSync(path.join(dir, live[0])));

    child.kill('SIGKILL');
    await exited(child);
    const lookalikes = ['.index.db.backup.tmp', '.other.db.12345-abcdef12.tmp', 'index.db.99999-abcdef12.tmp'];
    for (const name of lookalikes) fs.writeFileSync(path.join(dir, name), 'not ours');
    const before = fs.readFileSync(file);

    const index = await open();
    assert.match(index.notices.join('\n'), /Removed 1 unfinished save/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['index.db', ...lookalikes].sort());
    assert.ok(fs.readFileSync(file).equals(before), 'the index itself is as the last complete save left it');
    assert.deepEqual(index.db.exec('SELECT id FROM runs')[0].values, [['run-1']]);
  });

  it('reads /proc/locks lines for the right device and inode only', () => {
    const locks = '1: POSIX  ADVISORY  READ 11476 fe:00:2148660 128 128\n2: POSIX  ADVISORY  WRITE 99 08:01:2148660 0 EOF\n3: -> POSIX ADVISORY WRITE 77 fe:00:5 0 EOF\n';
    const dev = (0xfe << 8) | 0x00;
    assert.equal(lockHolder(locks, dev, 2148660), 11476);
    assert.equal(lockHolder(locks, (0x08 << 8) | 0x01, 2148660), 99);
    assert.equal(lockHolder(locks, dev, 5), 77);
    assert.equal(lockHolder(locks, dev, 6), undefined);
  });
});
