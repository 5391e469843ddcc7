/**
 * sql.js gives one connection per Database, and Kysely yields to the event loop between the
 * statements of a transaction. Everything that must not interleave with a transaction (other
 * queries, `db.export()` for a save) takes this lock first. There is one lock per Database, so
 * every Kysely instance over it and `saveIndex` queue on the same lock.
 */
import type { SqlJsDatabase } from './sqljs';

/** Releases the lock; calling it twice is harmless. */
export type Release = () => void;

/** A FIFO promise mutex: holders are served in the order they asked. */
export class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<Release> {
    let release!: Release;
    const released = new Promise<void>((resolve) => (release = resolve));
    const granted = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return granted;
  }
}

const locks = new WeakMap<SqlJsDatabase, ConnectionLock>();

export function lockFor(db: SqlJsDatabase): ConnectionLock {
  let lock = locks.get(db);
  if (!lock) {
    lock = new ConnectionLock();
    locks.set(db, lock);
  }
  return lock;
}

/**
 * Runs `work` while no Kysely query or transaction runs on `db`. Not re-entrant: calling it
 * from inside a Kysely transaction on the same database waits forever.
 */
export async function runExclusive<T>(db: SqlJsDatabase, work: () => T | Promise<T>): Promise<T> {
  const release = await lockFor(db).acquire();
  try {
    return await work();
  } finally {
    release();
  }
}
