/**
 * Whether another program is using, or has changed, the index file.
 *
 * We load the whole file into sql.js and later replace it by a rename, outside SQLite's own
 * locking. That is safe only when no other SQLite connection has data that is not in the main
 * file yet, and when nobody wrote to the file since we loaded it. The checks, and why:
 * - A `-journal` with a live header is a transaction in progress or a crash that SQLite will roll
 *   back on the next open; a `-wal` with frames holds committed data not yet in the main file.
 *   Either way the main file alone is not the database: we refuse to load or replace it (after a
 *   rename SQLite would play those pages onto our new file, and call it malformed).
 * - A connection in WAL mode keeps a lock on the file and its `-shm` for as long as it is open,
 *   and goes on writing to the `-wal` after we replace the file: on Linux we read those locks in
 *   /proc/locks and refuse to save while another process holds one. (A connection in the default
 *   rollback mode holds no lock between transactions; if it writes after our rename, SQLite
 *   itself refuses with SQLITE_READONLY_DBMOVED, so its write is refused, not lost.)
 * - A write someone committed after we loaded changes the file's identity (inode, size, mtime)
 *   or its header's change counter: we refuse to save over it blindly.
 */
import * as fsp from 'node:fs/promises';
import { isErrno, openIfExists } from './atomicWrite';
import { readSqliteHeader, SQLITE_HEADER_BYTES, type SqliteHeader } from './indexMark';

/** Thrown when another program uses the index file in a way that makes loading or replacing it unsafe. */
export class IndexInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexInUseError';
  }
}

/** Thrown instead of overwriting an index file that another program changed since we loaded it. */
export class IndexChangedError extends Error {
  readonly code = 'index-changed';
  constructor(readonly file: string) {
    super(
      `${file} was changed by another program since Scenario Lab loaded it; it was not overwritten, so that program's changes are kept. ` +
        'Load it again and re-index to add ours.',
    );
    this.name = 'IndexChangedError';
  }
}

/** What identifies one version of the file; `absent` when there was no file. */
export type FileStamp = { absent: true } | { absent: false; dev: number; ino: number; size: number; mtimeMs: number; changeCounter: number | undefined };

/** The file's current stamp. */
export async function stampOf(file: string): Promise<FileStamp> {
  const stat = await fsp.stat(file).catch((error) => (isErrno(error, 'ENOENT') ? undefined : Promise.reject(error)));
  if (!stat) return { absent: true };
  const changeCounter = (await headerOf(file))?.changeCounter;
  return { absent: false, dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, changeCounter };
}

/** The SQLite header fields of `file`, undefined when it is missing or no SQLite database. */
export async function headerOf(file: string): Promise<SqliteHeader | undefined> {
  const bytes = await firstBytes(file, SQLITE_HEADER_BYTES);
  return bytes && readSqliteHeader(bytes);
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  if (a.absent || b.absent) return a.absent === b.absent;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.changeCounter === b.changeCounter;
}

/** SQLite's rollback-journal magic; a journal whose header was zeroed or truncated is finished. */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
const WAL_HEADER_BYTES = 32;

/**
 * Refuses (IndexInUseError) when `file`'s journal or WAL holds data that is not in the main file.
 * Called before loading and before replacing the file.
 */
export async function assertNoPendingSqliteData(file: string): Promise<void> {
  const journal = await firstBytes(`${file}-journal`, JOURNAL_MAGIC.length);
  if (journal && Buffer.from(journal).equals(JOURNAL_MAGIC)) {
    throw new IndexInUseError(
      `${file}-journal shows that another program is writing to the index or stopped in the middle of a write. ` +
        `Close that program, or let SQLite finish it: sqlite3 "${file}" "PRAGMA quick_check"`,
    );
  }
  const walSize = await sizeOf(`${file}-wal`);
  if (walSize !== undefined && walSize > WAL_HEADER_BYTES) {
    throw new IndexInUseError(
      `${file}-wal holds changes another program made that are not in the index file yet. ` +
        `Close that program, or write them into the file: sqlite3 "${file}" "PRAGMA wal_checkpoint(TRUNCATE)"`,
    );
  }
}

/**
 * Refuses (IndexInUseError) when another process holds a SQLite lock on `file`, its `-wal` or its
 * `-shm` (Linux only: read from /proc/locks; elsewhere the journal and WAL checks stand alone).
 */
export async function assertNotLockedByOthers(file: string): Promise<void> {
  let locks: string;
  try {
    locks = await fsp.readFile('/proc/locks', 'utf8');
  } catch {
    return;
  }
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    const stat = await fsp.stat(candidate).catch(() => undefined);
    if (!stat) continue;
    const holder = lockHolder(locks, stat.dev, stat.ino);
    if (holder !== undefined) {
      const name = (await fsp.readFile(`/proc/${holder}/comm`, 'utf8').catch(() => '')).trim();
      throw new IndexInUseError(
        `another program (${name ? `${name}, ` : ''}process ${holder}) has ${file} open with a lock, so replacing it now could lose that program's changes. ` +
          'Close the database in that program; Scenario Lab saves again after the next change.',
      );
    }
  }
}

/**
 * The pid of another process holding a lock on the file (dev, ino), from /proc/locks lines like
 * `1: POSIX  ADVISORY  READ 11476 fe:00:2148660 128 128` (device as hex major:minor).
 */
export function lockHolder(locks: string, dev: number, ino: number): number | undefined {
  const major = ((dev >> 8) & 0xfff).toString(16).padStart(2, '0');
  const minor = ((dev & 0xff) | ((dev >> 12) & 0xfff00)).toString(16).padStart(2, '0');
  for (const line of locks.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // "1:" "POSIX" "ADVISORY" "READ" pid dev:ino start end; blocked waiters have "->" after the number.
    const offset = fields[1] === '->' ? 1 : 0;
    const [pidText, place] = [fields[4 + offset], fields[5 + offset]];
    if (!place) continue;
    const [maj, min, inode] = place.split(':');
    const pid = Number(pidText);
    if (Number(inode) === ino && parseInt(maj, 16) === parseInt(major, 16) && parseInt(min, 16) === parseInt(minor, 16) && pid !== process.pid && pid > 0) {
      return pid;
    }
  }
  return undefined;
}

async function firstBytes(file: string, count: number): Promise<Uint8Array | undefined> {
  const handle = await openIfExists(file);
  if (!handle) return undefined;
  try {
    const bytes = new Uint8Array(count);
    const { bytesRead } = await handle.read(bytes, 0, count, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).size;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}
