/** Kysely over a connection in another thread: see remoteDialect(). */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect that compiles queries here and hands each to `run`, which executes it elsewhere
 * (the index worker, the SQL door). No streaming: results cross threads whole. With
 * `transactions: false`, `transaction()` fails before anything is sent (each query of a read-only
 * door may see a different snapshot, so a transaction there would only pretend to be one).
 */
export function remoteDialect(run: (query: CompiledQuery) => Promise<QueryResult<unknown>>, options: { transactions?: boolean } = {}): Dialect {
  const noTransactions = async () => {
    throw new Error('Transactions are refused here: the index is read-only through this door, and each query reads a snapshot of its own.');
  };
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => run(query) as Promise<QueryResult<R>>,
    streamQuery: () => {
      throw new Error('Streaming is not supported across the worker boundary; page with limit/offset.');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: options.transactions === false ? noTransactions : async (c) => void (await c.executeQuery(CompiledQuery.raw('begin'))),
    commitTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('commit'))),
    rollbackTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('rollback'))),
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
