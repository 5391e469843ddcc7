/**
 * A Kysely dialect over an in-process sql.js `Database`. Kysely has no official sql.js dialect;
 * SQL generation, introspection and adapter flags are SQLite's, so only the driver is ours.
 *
 * Parameters are always bound, never spliced into SQL. Values are converted by `toSqlParameter`:
 * booleans become 0/1, undefined becomes NULL, and Dates are rejected (see there).
 */
import {
  CompiledQuery,
  createQueryId,
  DeleteQueryNode,
  IdentifierNode,
  InsertQueryNode,
  MergeQueryNode,
  RawNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  UpdateQueryNode,
} from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
} from 'kysely';
import type { SqlValue, Statement } from 'sql.js';
import { lockFor, type Release } from './connectionLock';
import type { SqlJsDatabase } from './sqljs';
import { StatementCache } from './statementCache';

export interface SqlJsDialectConfig {
  database: SqlJsDatabase;
  /** Most prepared statements kept alive at once (default 200). */
  statementCacheSize?: number;
}

export class SqlJsDialect implements Dialect {
  constructor(private readonly config: SqlJsDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new SqlJsDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** One connection (sql.js has no other), handed to one holder at a time through the lock. */
class SqlJsDriver implements Driver {
  private readonly connection: SqlJsConnection;
  private release: Release | undefined;

  constructor(private readonly config: SqlJsDialectConfig) {
    this.connection = new SqlJsConnection(config.database, new StatementCache(config.database, config.statementCacheSize));
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await lockFor(this.config.database).acquire();
    this.release = release;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('savepoint', name), createQueryId()));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('rollback to', name), createQueryId()));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('release', name), createQueryId()));
  }

  /** Frees the prepared statements; the Database itself belongs to whoever opened it. */
  async destroy(): Promise<void> {
    this.connection.freeStatements();
  }
}

/** The savepoint name goes through the compiler as an identifier, so it is quoted, not spliced. */
function savepointCommand(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

class SqlJsConnection implements DatabaseConnection {
  constructor(
    private readonly db: SqlJsDatabase,
    private readonly statements: StatementCache,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    const statement = this.statements.get(sql);
    let rows: R[];
    try {
      statement.bind(parameters.map(toSqlParameter));
      rows = readRows<R>(statement, Number.POSITIVE_INFINITY);
    } finally {
      // Also frees the WASM copies of bound strings/blobs, which would otherwise live until next use.
      statement.reset();
    }
    const writes = isWriteQuery(query, statement);
    return {
      rows,
      // Read before any other statement runs: both describe the last completed statement.
      numAffectedRows: writes ? BigInt(this.db.getRowsModified()) : undefined,
      insertId: isInsert(query, sql) ? this.lastInsertRowId() : undefined,
    };
  }

  /**
   * Streams with its own statement rather than a cached one: the caller may run other queries
   * (even the same SQL) on this connection between chunks, which would reset a shared statement.
   */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    const statement = this.db.prepare(compiledQuery.sql);
    try {
      statement.bind(compiledQuery.parameters.map(toSqlParameter));
      for (;;) {
        const rows = readRows<R>(statement, chunkSize);
        if (rows.length > 0) yield { rows };
        if (rows.length < chunkSize) return;
      }
    } finally {
      statement.free();
    }
  }

  freeStatements(): void {
    this.statements.clear();
  }

  private lastInsertRowId(): bigint {
    const statement = this.statements.get('select last_insert_rowid()');
    try {
      statement.step();
      return BigInt(statement.get()[0] as number);
    } finally {
      statement.reset();
    }
  }
}

/** Steps up to `limit` rows, as objects keyed by column name (a later duplicate name wins). */
function readRows<R>(statement: Statement, limit: number): R[] {
  const columns = statement.getColumnNames();
  const rows: R[] = [];
  while (rows.length < limit && statement.step()) {
    const values = statement.get();
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
    rows.push(row as R);
  }
  return rows;
}

/**
 * Kysely reports affected rows for builder DML; for raw SQL (`sql\`…\``) it is a write when it
 * returns no columns, the same rule Kysely's own SQLite driver follows.
 */
function isWriteQuery(query: CompiledQuery['query'], statement: Statement): boolean {
  if (InsertQueryNode.is(query) || UpdateQueryNode.is(query) || DeleteQueryNode.is(query) || MergeQueryNode.is(query)) {
    return true;
  }
  return RawNode.is(query) && statement.getColumnNames().length === 0;
}

function isInsert(query: CompiledQuery['query'], sql: string): boolean {
  return InsertQueryNode.is(query) || (RawNode.is(query) && /^\s*(insert|replace)\b/i.test(sql));
}

/**
 * Converts a Kysely parameter to a value sql.js binds as-is.
 * - booleans → 1/0 and undefined → NULL, as SQLite has neither.
 * - bigint → number when exact: sql.js would bind a bigint as TEXT, which breaks `id = ?`
 *   comparisons outside column affinity; beyond 2^53 we throw rather than round.
 * - Date → rejected: its ISO text ('T', 'Z', milliseconds) is not the `YYYY-MM-DD HH:MM:SS.ffffff`
 *   Scenario Lab's Python reads from DATETIME columns, so the caller must format it.
 * - arrays/objects → rejected: sql.js would bind an array as a BLOB of its numbers; JSON columns
 *   must be serialised by the caller (see encoding.ts).
 */
export function toSqlParameter(value: unknown): SqlValue {
  switch (typeof value) {
    case 'string':
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return null;
    case 'bigint':
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new RangeError(`SQL parameter ${value} does not fit a double exactly; sql.js cannot bind it as an integer`);
      }
      return Number(value);
    case 'object':
      if (value === null || value instanceof Uint8Array) return value;
      if (value instanceof Date) {
        throw new TypeError('SQL parameter is a Date: format it as text (DATETIME columns hold "YYYY-MM-DD HH:MM:SS.ffffff")');
      }
      throw new TypeError(`SQL parameter of type ${value.constructor?.name ?? 'object'} cannot be bound; serialise it first`);
    default:
      throw new TypeError(`SQL parameter of type ${typeof value} cannot be bound`);
  }
}
