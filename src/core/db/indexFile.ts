/**
 * The lifecycle of the extension's index file: open (or recover), save atomically, back up, close.
 *
 * The index is a cache of the run folders, so a file we cannot use is never an error: it is set
 * aside (renamed, not deleted, so nothing is lost) and a fresh database is rebuilt from the
 * folders. The one file we refuse to touch is Scenario Lab's own database, which only looks like
 * a cache of ours.
 */
import * as fsp from 'node:fs/promises';
import { Kysely } from 'kysely';
import { runExclusive } from './connectionLock';
import { isErrno, writeFileAtomic } from './atomicWrite';
import { openWithCapacity, readImageWithCapacity } from './fileCapacity';
import { SCENARIO_LAB_TABLES, SCHEMA_VERSION, schemaStatements, type IndexDatabase } from './schema';
import { loadSqlJs, type SqlJsDatabase, type SqlJsStatic } from './sqljs';
import { SqlJsDialect } from './sqljsDialect';

export interface OpenIndex {
  /** The raw sql.js database, for bulk writes with prepared statements (wrap them in `runExclusive`). */
  db: SqlJsDatabase;
  kysely: Kysely<IndexDatabase>;
  /** Human-readable messages about files that were set aside; empty when all went well. */
  notices: string[];
}

export interface OpenIndexOptions {
  /** Most prepared statements Kysely keeps alive (default 200). */
  statementCacheSize?: number;
  /** Clock for the schema_version row and set-aside names; tests pin it. */
  now?: () => Date;
}

/** Thrown instead of touching a database that Scenario Lab's runner (not this extension) owns. */
export class ForeignDatabaseError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} looks like Scenario Lab's own database (it has Scenario Lab's tables but no schema_version table); ` +
        'choose another file for the index.',
    );
    this.name = 'ForeignDatabaseError';
  }
}

/** Opens the index at `file` (undefined: in memory only), recovering from unusable files. */
export async function openIndex(file: string | undefined, options: OpenIndexOptions = {}): Promise<OpenIndex> {
  const now = options.now ?? (() => new Date());
  const SQL = await loadSqlJs();
  const notices: string[] = [];
  const db = file === undefined ? createFresh(SQL, now()) : await openFile(SQL, file, now, notices);
  applyConnectionPragmas(db);
  const kysely = new Kysely<IndexDatabase>({
    dialect: new SqlJsDialect({ database: db, statementCacheSize: options.statementCacheSize }),
  });
  return { db, kysely, notices };
}

/** Frees Kysely's prepared statements, then the database. */
export async function closeIndex(index: OpenIndex): Promise<void> {
  await index.kysely.destroy();
  index.db.close();
}

/**
 * Writes the whole database to `file` atomically (see atomicWrite.ts). Waits for running Kysely
 * transactions to finish, since sql.js refuses to export in the middle of a write transaction.
 * Must not be awaited inside a Kysely transaction on the same database (it would wait forever).
 */
export async function saveIndex(db: SqlJsDatabase, file: string): Promise<void> {
  try {
    const bytes = await runExclusive(db, () => db.export());
    await writeFileAtomic(file, bytes);
  } catch (error) {
    throw new Error(`Could not save the index to ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * A consistent copy of the database at `dest`, written the same atomic way. Refuses to replace
 * Scenario Lab's own database, since a backup destination is typed or picked by a user.
 */
export async function backupIndex(db: SqlJsDatabase, dest: string): Promise<void> {
  const existing = await readIfExists(dest);
  if (existing && existing.length > 0) {
    const SQL = await loadSqlJs();
    const verdict = inspect(SQL, existing);
    if (verdict.kind === 'current') verdict.db.close();
    if (verdict.kind === 'foreign') throw new ForeignDatabaseError(dest);
  }
  await saveIndex(db, dest);
}

type Verdict =
  | { kind: 'current'; db: SqlJsDatabase }
  | { kind: 'empty' }
  | { kind: 'foreign' }
  | { kind: 'broken'; reason: string }
  | { kind: 'outdated'; version: number | undefined };

async function openFile(SQL: SqlJsStatic, file: string, now: () => Date, notices: string[]): Promise<SqlJsDatabase> {
  const bytes = await readIfExists(file);
  if (!bytes || bytes.length === 0) return createFresh(SQL, now());
  const verdict = inspect(SQL, bytes);
  switch (verdict.kind) {
    case 'current':
      return verdict.db;
    case 'empty':
      return createFresh(SQL, now());
    case 'foreign':
      throw new ForeignDatabaseError(file);
    case 'broken': {
      const aside = await setAside(file, 'broken', now());
      notices.push(`The index at ${file} could not be read (${verdict.reason}); it was set aside as ${aside} and will be rebuilt from the run folders.`);
      return createFresh(SQL, now());
    }
    case 'outdated': {
      const aside = await setAside(file, 'old-schema', now());
      notices.push(`The index at ${file} ${describeOutdated(verdict.version)}; it was set aside as ${aside} and will be rebuilt from the run folders.`);
      return createFresh(SQL, now());
    }
  }
}

/** Decides what an existing file is. Only a 'current' verdict leaves a database open. */
function inspect(SQL: SqlJsStatic, bytes: Uint8Array): Verdict {
  if (!hasSqliteHeader(bytes)) return { kind: 'broken', reason: 'it is not a SQLite database' };
  let db: SqlJsDatabase;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    return { kind: 'broken', reason: messageOf(error) };
  }
  try {
    const verdict = inspectOpened(db);
    if (verdict.kind !== 'current') db.close();
    return verdict;
  } catch (error) {
    db.close();
    return { kind: 'broken', reason: messageOf(error) };
  }
}

function inspectOpened(db: SqlJsDatabase): Verdict {
  const tables = new Set(column(db, "SELECT name FROM sqlite_schema WHERE type = 'table'").map(String));
  if (tables.size === 0) return { kind: 'empty' };
  // Decided before any integrity check: even a damaged Scenario Lab database is not ours to move.
  if (!tables.has('schema_version')) {
    return SCENARIO_LAB_TABLES.some((t) => tables.has(t)) ? { kind: 'foreign' } : { kind: 'outdated', version: undefined };
  }
  const check = column(db, 'PRAGMA quick_check');
  if (check.length !== 1 || check[0] !== 'ok') return { kind: 'broken', reason: `integrity check failed: ${summarizeCheck(check)}` };
  const [version] = column(db, 'SELECT version FROM schema_version ORDER BY rowid DESC LIMIT 1');
  if (version !== SCHEMA_VERSION) return { kind: 'outdated', version: typeof version === 'number' ? version : undefined };
  return { kind: 'current', db };
}

/** quick_check's first findings on one line, without its "*** in database main ***" banner, for a notice. */
function summarizeCheck(findings: unknown[]): string {
  return findings
    .slice(0, 2)
    .map((f) => String(f).replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim())
    .join('; ');
}

function describeOutdated(version: number | undefined): string {
  if (version === undefined) return 'was not a Scenario Lab index of this extension (no schema version)';
  return version < SCHEMA_VERSION
    ? `was from an older schema (version ${version}, now ${SCHEMA_VERSION})`
    : `was from a newer schema (version ${version}, this extension uses ${SCHEMA_VERSION})`;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function hasSqliteHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 100 && Buffer.from(bytes.buffer, bytes.byteOffset, SQLITE_HEADER.length).toString('latin1') === SQLITE_HEADER;
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
    scratch.exec(`PRAGMA page_size = ${PAGE_SIZE_BYTES}; BEGIN;${schemaStatements()};COMMIT;`);
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
      throw new Error(`Could not set aside the unusable index ${file} as ${aside}: ${messageOf(error)}`, { cause: error });
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
    throw new Error(`Could not read the index file ${file}: ${messageOf(error)}`, { cause: error });
  }
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
