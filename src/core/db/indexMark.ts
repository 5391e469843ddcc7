/**
 * How an index file says it is ours, and reading that from the file's first bytes.
 *
 * SQLite reserves two header fields for exactly this: `application_id` (offset 68) names the
 * application that owns the file, `user_version` (offset 60) its format version. Every index we
 * create carries APPLICATION_ID and SCHEMA_VERSION there, so we can tell our own file (even a
 * damaged one, as long as its first page survives) from any other SQLite file without opening it.
 */

/**
 * 'SLVX' (Scenario Lab VS Code eXtension) as a big-endian 32-bit integer: 0x534C5658. Not in
 * SQLite's registry of known application ids (magic.txt), nor any id a tool sets by default.
 */
export const APPLICATION_ID = 0x534c5658;

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** The header is the first 100 bytes of page 1; application_id is its last field we read. */
export const SQLITE_HEADER_BYTES = 100;

export interface SqliteHeader {
  /** Bumped by every committed write in rollback-journal mode (offset 24). */
  changeCounter: number;
  /** offset 60 */
  userVersion: number;
  /** offset 68; 0 when no application set one. */
  applicationId: number;
}

/** The fields we use from a SQLite header, or undefined when `bytes` does not start like a SQLite database. */
export function readSqliteHeader(bytes: Uint8Array): SqliteHeader | undefined {
  if (bytes.length < SQLITE_HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, SQLITE_HEADER_BYTES);
  for (let i = 0; i < SQLITE_MAGIC.length; i++) if (view.getUint8(i) !== SQLITE_MAGIC.charCodeAt(i)) return undefined;
  return { changeCounter: view.getUint32(24), userVersion: view.getInt32(60), applicationId: view.getUint32(68) };
}

/** SQL that marks a database as one of our index files of schema `version`. */
export function markStatements(version: number): string {
  return `PRAGMA application_id = ${APPLICATION_ID | 0}; PRAGMA user_version = ${version};`;
}

/**
 * Tables and columns every index of ours had before the mark existed (schema versions 1–5 all
 * created `schema_version(version, created)` next to `sl_folders` and `sl_files`). Another
 * application may well have a `schema_version` table, but not one with exactly these columns
 * beside our `sl_` tables and all of Scenario Lab's; so an unmarked file matching all of this is
 * an index an earlier version of this extension wrote, and anything less is not ours.
 */
export const UNMARKED_INDEX_SIGNATURE = {
  tables: ['schema_version', 'sl_folders', 'sl_files'],
  schemaVersionColumns: ['version', 'created'],
} as const;
