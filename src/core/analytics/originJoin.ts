/**
 * Shared parts of the analytics queries: the origin join (a record's source file and lines, from
 * sl_origins and sl_files), the source location it yields, paging, and lenient JSON columns.
 * Only query modules of src/core/analytics import it.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { engineOf } from '../db/engineOf';
import type { IndexDatabase } from '../db/schema';
import type { SourceLocation } from './types';

/** The Scenario Lab tables whose rows have an origin in sl_origins (sl_origins.tbl). */
export type OriginTable = 'turns' | 'decisions' | 'communications' | 'metrics';

/** The columns withOrigin adds to each row; all null when the record has no origin. */
export interface OriginColumns {
  origin_file: string | null;
  origin_start: number | null;
  origin_end: number | null;
  origin_focus: number | null;
}

const ORIGIN_COLUMNS = [
  'origin_files.path as origin_file',
  'sl_origins.start_line as origin_start',
  'sl_origins.end_line as origin_end',
  'sl_origins.focus_line as origin_focus',
] as const;

/**
 * Left-joins each row of `table` in `query` to its origin (sl_origins, then its file as
 * `origin_files`) and selects OriginColumns; toSource turns them into a SourceLocation. A left
 * join: a record without an origin is still returned.
 */
export function withOrigin<DB extends IndexDatabase, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: OriginTable,
): SelectQueryBuilder<DB & { origin_files: IndexDatabase['sl_files'] }, TB | 'sl_origins' | 'origin_files', O & OriginColumns> {
  // Kysely cannot resolve `${table}.id` against a generic table set; the query is typed by the signature.
  const q = query as unknown as SelectQueryBuilder<IndexDatabase, OriginTable, O>;
  const joined = q
    .leftJoin('sl_origins', (join) =>
      (table === 'communications'
        ? // communications has a text primary key; its origin is keyed by the implicit rowid.
          join.on(sql<boolean>`sl_origins.row_id = communications.rowid`)
        : join.onRef('sl_origins.row_id', '=', `${table}.id`)
      ).on('sl_origins.tbl', '=', table),
    )
    .leftJoin('sl_files as origin_files', 'origin_files.id', 'sl_origins.file_id')
    .select(ORIGIN_COLUMNS);
  return joined as unknown as SelectQueryBuilder<DB & { origin_files: IndexDatabase['sl_files'] }, TB | 'sl_origins' | 'origin_files', O & OriginColumns>;
}

/** The source location of a row withOrigin joined; undefined when it has no file or start line. */
export function toSource(row: OriginColumns): SourceLocation | undefined {
  if (!row.origin_file || row.origin_start === null) return undefined;
  return { file: row.origin_file, startLine: row.origin_start, endLine: row.origin_end ?? row.origin_start, focusLine: row.origin_focus ?? row.origin_start };
}

/** A JSON column parsed, or `fallback` when it is null or not JSON (a record Scenario Lab wrote half). */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Counted in the same pass as a page's ids: the window sees every matching row before LIMIT
 * applies. A page past the end carries no row, hence no total: it counts on its own.
 */
export const TOTAL_ROWS = sql<number>`count(*) over ()`.as('total');

/**
 * The ids of one page and how many rows the scope holds, the way each engine answers it fastest.
 * `page(withTotal)` runs the ordered, limited id query, selecting TOTAL_ROWS too when `withTotal`
 * (pass it to `$if`); `count()` counts the scope.
 *
 * SQLite: one query, the window counting in the same pass. PostgreSQL: the page and the count at
 * once, on two connections. There the window made the page join every row in scope before its
 * first (10,000 runs: a decision page 3.7 s); without it the page walks an index in its order and
 * stops at its last row, and the count reads the scope from indexes alone (db/schemaPostgres.ts).
 */
export async function pageIds(
  db: Kysely<IndexDatabase>,
  page: (withTotal: boolean) => Promise<ReadonlyArray<{ id: number; total?: number }>>,
  count: () => Promise<{ n: number } | undefined>,
): Promise<{ ids: number[]; total: number }> {
  if (engineOf(db) === 'postgres') {
    const [rows, counted] = await Promise.all([page(false), count()]);
    return { ids: rows.map((r) => r.id), total: Number(counted?.n ?? 0) };
  }
  const rows = await page(true);
  const total = rows.length > 0 ? rows[0].total : (await count())?.n;
  return { ids: rows.map((r) => r.id), total: Number(total ?? 0) };
}

/** A page request made whole: offset ≥ 0, limit ≥ 1. */
export function pageBounds(page: { offset: number; limit: number }): { offset: number; limit: number } {
  return { offset: Math.max(0, Math.floor(page.offset)), limit: Math.max(1, Math.floor(page.limit)) };
}
