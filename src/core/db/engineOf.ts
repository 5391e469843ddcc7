/** Which engine a Kysely instance talks to, without loading either engine's driver. */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Engine, IndexDatabase } from './schema';

/** 'postgres' for a shared index, 'sqlite' for the embedded one (its worker and read-only doors included): the few queries that must differ ask this. */
export function engineOf(db: Kysely<IndexDatabase>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
