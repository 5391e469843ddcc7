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
  /** How many times the lock was granted: shows whether anyone used it within a while. */
  grants = 0;

  acquire(): Promise<Release> {
    let release!: Release;
    const released = new Promise<void>((resolve) => (release = resolve));
    const granted = this.tail.then(() => {
      this.grants++;
      return release;
    });
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

/** What long exclusive work (runExclusiveInTurns) may do between its transactions. */
export interface Turns {
  /**
   * Hands the connection to the queries waiting for it, and keeps it open while more arrive (a
   * reader's next query follows its last answer) for up to MAX_OPEN_MS; resolves once the work
   * holds the connection again.
   */
  letOthersIn(): Promise<void>;
  /** Leaves the connection to others until `work` (which must not use it) settles. */
  openWhile<T>(work: Promise<T>): Promise<T>;
}

/** The door closes once no query has started for QUIET_MS, or after MAX_OPEN_MS. */
const QUIET_MS = 30;
const MAX_OPEN_MS = 300;

/**
 * Like runExclusive, for long work made of many short transactions (an index pass): between them
 * `work` lets queries in (see Turns), so readers are served while it goes on. Call the turns only
 * between transactions, never inside one.
 */
export async function runExclusiveInTurns<T>(db: SqlJsDatabase, work: (turns: Turns) => T | Promise<T>): Promise<T> {
  const lock = lockFor(db);
  let release = await lock.acquire();
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const turns: Turns = {
    letOthersIn: async () => {
      release();
      const until = Date.now() + MAX_OPEN_MS;
      let seen = lock.grants;
      do {
        await pause(QUIET_MS);
        if (lock.grants === seen) break;
        seen = lock.grants;
      } while (Date.now() < until);
      release = await lock.acquire();
    },
    openWhile: async (other) => {
      release();
      try {
        return await other;
      } finally {
        release = await lock.acquire();
      }
    },
  };
  try {
    return await work(turns);
  } finally {
    release();
  }
}
