/**
 * The lifecycle of the extension's index file: open (or recover), save atomically, back up, close.
 *
 * The index is a cache of the run folders, so an index of ours that we cannot use is never an
 * error: it is set aside (renamed, not deleted, so nothing is lost) and a fresh database is
 * rebuilt from the folders. But only a file that carries our mark (indexMark.ts), or an empty
 * one, is ever set aside, rebuilt or replaced: any other file (another application's SQLite
 * database, Scenario Lab's own, a text file) is refused and left byte for byte as it was. A
 * read-only open (the CLI's query commands) never writes, renames or creates anything.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Kysely } from 'kysely';
import { runExclusive } from './connectionLock';
import { isErrno, removeLeftoverTemps, writeFileAtomic } from './atomicWrite';
import { openWithCapacity, readImageWithCapacity } from './fileCapacity';
import { assertNoPendingSqliteData, assertNotLockedByOthers, headerOf, IndexChangedError, sameStamp, stampOf, type FileStamp } from './fileGuard';
import { DestinationExistsError, ForeignDatabaseError, IndexUnavailableError, NotAnIndexError, ReadOnlyIndexError } from './indexErrors';
import { APPLICATION_ID, markStatements, readSqliteHeader, UNMARKED_INDEX_SIGNATURE } from './indexMark';
import { SCENARIO_LAB_TABLES, SCHEMA_VERSION, schemaStatements, schemaUpgrade, type IndexDatabase } from './schema';
import { loadSqlJs, type SqlJsDatabase, type SqlJsStatic } from './sqljs';
import { SqlJsDialect } from './sqljsDialect';
import { errorText } from '../text/errorText';

export * from './indexErrors';

export interface OpenIndex {
  /** The raw sql.js database, for bulk writes with prepared statements (wrap them in `runExclusive`). */
  db: SqlJsDatabase;
  kysely: Kysely<IndexDatabase>;
  /** Human-readable messages about files that were set aside or cleaned up; empty when all went well. */
  notices: string[];
  /** The file as it was when loaded (or last saved): a save refuses to replace a file that changed since. */
  stamp: FileStamp;
}

export interface OpenIndexOptions {
  /** Most prepared statements Kysely keeps alive (default 200). */
  statementCacheSize?: number;
  /** Clock for the schema_version row and set-aside names; tests pin it. */
  now?: () => Date;
  /**
   * Never write, rename or create anything: a file that is missing, empty or an unusable index of
   * ours is an IndexUnavailableError instead of being set aside or started afresh.
   */
  readOnly?: boolean;
}

/**
 * Opens the index at `file` (undefined: in memory only). Writable opens set aside an unusable
 * index of ours and remove temp files a killed save left behind. Throws RefusedFileError for a
 * file that is not ours, IndexInUseError (fileGuard.ts) while another program has data for it
 * outside the main file, IndexUnavailableError for what a read-only open cannot use.
 */
export async function openIndex(file: string | undefined, options: OpenIndexOptions = {}): Promise<OpenIndex> {
  const now = options.now ?? (() => new Date());
  const SQL = await loadSqlJs();
  const notices: string[] = [];
  let stamp: FileStamp = { absent: true };
  let db: SqlJsDatabase;
  if (file === undefined) db = createFresh(SQL, now());
  else {
    const loaded = await openFile(SQL, file, now, notices, options.readOnly ?? false);
    db = loaded.db;
    stamp = loaded.stamp;
  }
  applyConnectionPragmas(db);
  const kysely = new Kysely<IndexDatabase>({
    dialect: new SqlJsDialect({ database: db, statementCacheSize: options.statementCacheSize }),
  });
  return { db, kysely, notices, stamp };
}

/** Frees Kysely's prepared statements, then the database (and every statement still prepared on it). */
export async function closeIndex(index: OpenIndex): Promise<void> {
  await index.kysely.destroy();
  index.db.close();
}

export interface SaveOptions {
  /** The file as we last saw it: when given and the file has changed since, IndexChangedError (nothing written). */
  expected?: FileStamp;
}

/**
 * Writes the whole database to `file` atomically (see atomicWrite.ts) and returns the new file's
 * stamp. Refuses (nothing written) a read-only file, a file that is not an index of ours, a file
 * another program has pending writes for or holds locked, and with `expected` a file changed
 * since. A symbolic link is followed: the file it points to is replaced, the link stays.
 * Waits for running Kysely transactions, since sql.js refuses to export in the middle of a write
 * transaction; must not be awaited inside a Kysely transaction on the same database.
 */
export async function saveIndex(db: SqlJsDatabase, file: string, options: SaveOptions = {}): Promise<FileStamp> {
  const target = await fsp.realpath(file).catch(() => file);
  await assertSavable(target, options.expected);
  try {
    const bytes = await runExclusive(db, () => db.export());
    await writeFileAtomic(target, bytes);
  } catch (error) {
    throw new Error(`Could not save the index to ${file}: ${errorText(error)}`, { cause: error });
  }
  return stampOf(target);
}

/**
 * A consistent copy of the database at `dest`, written the same atomic way. An existing `dest`
 * is replaced only with `force`, and then only when it is an index of ours (an earlier backup)
 * or empty; anything else is refused untouched. Throws DestinationExistsError, RefusedFileError.
 */
export async function backupIndex(db: SqlJsDatabase, dest: string, options: { force?: boolean } = {}): Promise<void> {
  const stat = await fsp.lstat(dest).catch((error) => (isErrno(error, 'ENOENT') ? undefined : Promise.reject(error)));
  if (stat) {
    if (!options.force) throw new DestinationExistsError(dest);
    if (stat.isSymbolicLink() || !stat.isFile()) throw new NotAnIndexError(dest, stat.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a regular file');
  }
  await saveIndex(db, dest);
}

/**
 * Throws unless writing over `file` now can lose nothing: it is absent, empty or ours, writable,
 * unchanged since `expected` (when given) and not in use by another program. The errors are
 * RefusedFileError's kinds, IndexChangedError and IndexInUseError.
 */
export async function assertSavable(file: string, expected?: FileStamp): Promise<void> {
  const stamp = await stampOf(file);
  if (expected && !sameStamp(expected, stamp)) throw new IndexChangedError(file);
  if (stamp.absent) return;
  // The file we loaded or last saved is ours; otherwise our mark in its header says so, and only
  // an unmarked file (empty, an earlier version's index, or not ours) needs opening to decide.
  const bytes = expected || (await headerOf(file))?.applicationId === APPLICATION_ID ? undefined : await readIfExists(file);
  if (bytes && bytes.length > 0) {
    const verdict = inspect(await loadSqlJs(), bytes);
    if (verdict.kind === 'current') verdict.db.close();
    if (verdict.kind === 'foreign') throw new ForeignDatabaseError(file);
    if (verdict.kind === 'not-ours') throw new NotAnIndexError(file, verdict.reason);
  }
  await assertWritable(file);
  await assertNoPendingSqliteData(file);
  await assertNotLockedByOthers(file);
}

/** Refuses a file whose permission bits allow no writing (checked ourselves: root may write anyway). */
async function assertWritable(file: string): Promise<void> {
  const stat = await fsp.stat(file);
  if (process.platform !== 'win32' && (stat.mode & 0o222) === 0) throw new ReadOnlyIndexError(file);
  if (process.platform === 'win32' && (stat.mode & 0o200) === 0) throw new ReadOnlyIndexError(file);
}

type Verdict =
  | { kind: 'current'; db: SqlJsDatabase }
  | { kind: 'empty' }
  | { kind: 'foreign' }
  | { kind: 'not-ours'; reason: string }
  | { kind: 'broken'; reason: string }
  | { kind: 'outdated'; version: number | undefined };

async function openFile(SQL: SqlJsStatic, file: string, now: () => Date, notices: string[], readOnly: boolean): Promise<{ db: SqlJsDatabase; stamp: FileStamp }> {
  if (!readOnly) {
    const removed = await removeLeftoverTemps(file);
    if (removed.length > 0) notices.push(`Removed ${removed.length} unfinished save(s) of the index left by a stopped process: ${removed.join(', ')}.`);
  }
  await assertNoPendingSqliteData(file);
  const stamp = await stampOf(file).catch((error) => Promise.reject(new Error(`Could not read the index file ${file}: ${errorText(error)}`, { cause: error })));
  const bytes = await readIfExists(file);
  if (!bytes) {
    if (readOnly) throw new IndexUnavailableError(await describeMissing(file));
    return { db: createFresh(SQL, now()), stamp };
  }
  const verdict = bytes.length === 0 ? ({ kind: 'empty' } as const) : inspect(SQL, bytes);
  switch (verdict.kind) {
    case 'current':
      return { db: verdict.db, stamp };
    case 'empty':
      if (readOnly) throw new IndexUnavailableError(`${file} is empty: there is no index in it yet. Build it first: scenario-lab index <folder> --db ${file}`);
      return { db: createFresh(SQL, now()), stamp };
    case 'foreign':
      throw new ForeignDatabaseError(file);
    case 'not-ours':
      throw new NotAnIndexError(file, verdict.reason);
    case 'broken':
    case 'outdated': {
      const what = verdict.kind === 'broken' ? `could not be read (${verdict.reason})` : describeOutdated(verdict.version);
      if (readOnly) throw new IndexUnavailableError(`The index at ${file} ${what}; it must be rebuilt: scenario-lab index <folder> --db ${file}`);
      await assertWritable(file);
      const aside = await setAside(file, verdict.kind === 'broken' ? 'broken' : 'old-schema', now());
      notices.push(`The index at ${file} ${what}; it was set aside as ${aside} and will be rebuilt from the run folders.`);
      return { db: createFresh(SQL, now()), stamp: { absent: true } };
    }
  }
}

/** "No index at …", naming any index of ours that was set aside there, since that is why it is missing. */
async function describeMissing(file: string): Promise<string> {
  const set = await setAsideFiles(file);
  const build = `scenario-lab index <folder> --db ${file}`;
  if (set.length === 0) return `no index at ${file}. Create it first: ${build}`;
  return `no index at ${file}: it was set aside as ${set[set.length - 1]} because it could not be used, and must be rebuilt: ${build}`;
}

/**
 * Decides what an existing, non-empty file is. Only a 'current' verdict leaves a database open.
 * Ours means: marked with APPLICATION_ID, or unmarked with the tables every earlier version wrote.
 */
function inspect(SQL: SqlJsStatic, bytes: Uint8Array): Verdict {
  const header = readSqliteHeader(bytes);
  if (!header) return { kind: 'not-ours', reason: 'it is not a SQLite database' };
  const marked = header.applicationId === APPLICATION_ID;
  if (!marked && header.applicationId !== 0) {
    return { kind: 'not-ours', reason: `another application's SQLite database, application_id 0x${header.applicationId.toString(16).padStart(8, '0')}` };
  }
  let db: SqlJsDatabase;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    return marked ? { kind: 'broken', reason: errorText(error) } : { kind: 'not-ours', reason: `a SQLite file that cannot be read: ${errorText(error)}` };
  }
  try {
    const verdict = inspectOpened(db, marked, header.userVersion);
    if (verdict.kind !== 'current') db.close();
    return verdict;
  } catch (error) {
    db.close();
    return marked ? { kind: 'broken', reason: errorText(error) } : { kind: 'not-ours', reason: `a SQLite file that cannot be read: ${errorText(error)}` };
  }
}

function inspectOpened(db: SqlJsDatabase, marked: boolean, userVersion: number): Verdict {
  const objects = Number(column(db, 'SELECT count(*) FROM sqlite_schema')[0]);
  const tables = new Set(column(db, "SELECT name FROM sqlite_schema WHERE type = 'table'").map(String));
  if (objects === 0 && !marked) {
    return userVersion === 0 ? { kind: 'empty' } : { kind: 'not-ours', reason: `a SQLite database with user_version ${userVersion}` };
  }
  if (!marked && !hasUnmarkedIndexSignature(db, tables)) {
    // Decided before any integrity check: even a damaged Scenario Lab database is not ours to move.
    if (!tables.has('schema_version') && SCENARIO_LAB_TABLES.some((t) => tables.has(t))) return { kind: 'foreign' };
    return { kind: 'not-ours', reason: 'a SQLite database without the index’s tables' };
  }
  const check = column(db, 'PRAGMA quick_check');
  if (check.length !== 1 || check[0] !== 'ok') return { kind: 'broken', reason: `integrity check failed: ${summarizeCheck(check)}` };
  const [version] = tables.has('schema_version') ? column(db, 'SELECT version FROM schema_version ORDER BY rowid DESC LIMIT 1') : [];
  if (typeof version === 'number' && version !== SCHEMA_VERSION && upgradeInPlace(db, version)) return { kind: 'current', db };
  if (version !== SCHEMA_VERSION || (marked && userVersion !== SCHEMA_VERSION)) {
    return { kind: 'outdated', version: typeof version === 'number' ? version : undefined };
  }
  // An index from before the mark: marked now, in memory; the next save writes the mark.
  if (!marked) db.exec(markStatements(SCHEMA_VERSION));
  return { kind: 'current', db };
}

/**
 * Upgrades an index of a version schemaUpgrade() knows, in memory, and marks it current; false
 * (nothing changed) for any other version, which is rebuilt. The file on disk changes at the next
 * save, so a reader that never saves upgrades its own copy each time it opens such a file.
 */
function upgradeInPlace(db: SqlJsDatabase, version: number): boolean {
  const upgrade = schemaUpgrade(version, 'sqlite');
  if (!upgrade) return false;
  db.exec('BEGIN');
  try {
    for (const statement of upgrade) db.exec(statement);
    db.run('INSERT INTO schema_version (version, created) VALUES (?, ?)', [SCHEMA_VERSION, sqliteDatetime(new Date())]);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  db.exec(markStatements(SCHEMA_VERSION));
  return true;
}

function hasUnmarkedIndexSignature(db: SqlJsDatabase, tables: Set<string>): boolean {
  if (!UNMARKED_INDEX_SIGNATURE.tables.every((t) => tables.has(t)) || !SCENARIO_LAB_TABLES.every((t) => tables.has(t))) return false;
  const columns = column(db, "SELECT name FROM pragma_table_info('schema_version') ORDER BY cid").map(String);
  return columns.join(',') === UNMARKED_INDEX_SIGNATURE.schemaVersionColumns.join(',');
}

/** quick_check's first findings on one line, without its "*** in database main ***" banner, for a notice. */
function summarizeCheck(findings: unknown[]): string {
  return findings
    .slice(0, 2)
    .map((f) => String(f).replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim())
    .join('; ');
}

function describeOutdated(version: number | undefined): string {
  if (version === undefined) return 'has no schema version';
  return version < SCHEMA_VERSION
    ? `was from an older schema (version ${version}, now ${SCHEMA_VERSION})`
    : `was from a newer schema (version ${version}, this extension uses ${SCHEMA_VERSION})`;
}

/**
 * 16 KB pages rather than SQLite's 4 KB: a decision row (reasoning and action, ~4 KB) fits in its
 * page instead of spilling into overflow pages. At 1,000 runs the file is 13 % smaller (325 vs
 * 375 MB) and the cold index peaks 90 MB lower, at the same speed. Any SQLite reads any page size.
 */
const PAGE_SIZE_BYTES = 16384;

/** The schema is built in a scratch database whose image is reopened with room to grow (see fileCapacity.ts). */
function createFresh(SQL: SqlJsStatic, created: Date): SqlJsDatabase {
  const scratch = new SQL.Database();
  try {
    scratch.exec(`PRAGMA page_size = ${PAGE_SIZE_BYTES}; ${markStatements(SCHEMA_VERSION)} BEGIN;${schemaStatements()};COMMIT;`);
    scratch.run('INSERT INTO schema_version (version, created) VALUES (?, ?)', [SCHEMA_VERSION, sqliteDatetime(created)]);
    return openWithCapacity(SQL, scratch.export());
  } finally {
    scratch.close();
  }
}

/**
 * Per-connection settings (none is stored in the file, so the `sqlite3` CLI and Python see a
 * plain rollback-journal database). An in-memory journal skips MEMFS journal-file writes
 * (+15–40 % on bulk inserts, guide §1) and still supports ROLLBACK, unlike journal_mode=OFF.
 */
function applyConnectionPragmas(db: SqlJsDatabase): void {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY;');
}

/** Scenario Lab's DATETIME text: `YYYY-MM-DD HH:MM:SS.ffffff`, UTC. */
function sqliteDatetime(date: Date): string {
  const iso = date.toISOString(); // 2026-11-26T10:15:30.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** Renames `file` to `<file>.<kind>-<timestamp>` (never over an existing file); returns the new name. */
async function setAside(file: string, kind: 'broken' | 'old-schema', when: Date): Promise<string> {
  const stamp = when.toISOString().replace(/[:.]/g, '-');
  for (let attempt = 1; ; attempt++) {
    const aside = `${file}.${kind}-${stamp}${attempt === 1 ? '' : `-${attempt}`}`;
    if (await exists(aside)) continue;
    try {
      await fsp.rename(file, aside);
      return aside;
    } catch (error) {
      throw new Error(`Could not set aside the unusable index ${file} as ${aside}: ${errorText(error)}`, { cause: error });
    }
  }
}

/**
 * The file's bytes (with room for the database to grow once opened), or undefined if there is no
 * such file; any other failure is a real I/O error.
 */
async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readImageWithCapacity(file);
  } catch (error) {
    throw new Error(`Could not read the index file ${file}: ${errorText(error)}`, { cause: error });
  }
}

/** Names under which an index at `file` was set aside, oldest first. */
async function setAsideFiles(file: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const when = (name: string) => /\d{4}-\d\d-\d\dT[\d-]+Z.*$/.exec(name)?.[0] ?? ''; // setAside's time stamp
  return names
    .filter((n) => n.startsWith(`${base}.broken-`) || n.startsWith(`${base}.old-schema-`))
    .sort((a, b) => when(a).localeCompare(when(b)))
    .map((n) => path.join(dir, n));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

function column(db: SqlJsDatabase, sql: string): unknown[] {
  return db.exec(sql)[0]?.values.map((row) => row[0]) ?? [];
}
