/**
 * Prepared statements keyed by SQL text. Preparing is most of Kysely's per-query overhead on
 * sql.js (guide §3: ~0.6 ms without a cache, ~0.1–0.25 ms with), and query builders produce a
 * small set of distinct SQL texts, so an LRU of a few hundred keeps them all while bounding the
 * WASM memory that pathological callers (e.g. IN lists of every length) could pin.
 *
 * sql.js 1.16's `Database.export()` keeps prepared statements valid (it copies the database with
 * the backup API instead of closing and reopening it), so nothing here has to be invalidated on
 * save; `test/unit/db/sqljsDialect.test.ts` pins that behaviour.
 */
import type { Statement } from 'sql.js';
import type { SqlJsDatabase } from './sqljs';

export const DEFAULT_STATEMENT_CACHE_SIZE = 200;

export class StatementCache {
  // A Map iterates in insertion order, so re-inserting on use keeps the least recent first.
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: SqlJsDatabase,
    private readonly capacity = DEFAULT_STATEMENT_CACHE_SIZE,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`statement cache size must be a positive integer, got ${capacity}`);
    }
  }

  /** The cached statement for `sql`, prepared now if absent (a prepare error caches nothing). */
  get(sql: string): Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const prepared = this.db.prepare(sql);
    this.statements.set(sql, prepared);
    this.evictBeyondCapacity();
    return prepared;
  }

  get size(): number {
    return this.statements.size;
  }

  /** Finalizes every cached statement; the cache stays usable and re-prepares on demand. */
  clear(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
  }

  private evictBeyondCapacity(): void {
    for (const [sql, statement] of this.statements) {
      if (this.statements.size <= this.capacity) return;
      statement.free();
      this.statements.delete(sql);
    }
  }
}
