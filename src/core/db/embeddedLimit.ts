/**
 * When the embedded (sql.js) index is getting too big. sql.js holds the whole database in memory
 * and every CLI command loads the whole file first. Measured with the sample generator (10 turns
 * × 6 actors per run, issue 15 and `npm run bench -- --engine postgres`): 1,000 runs make a
 * 281 MB index and a 0.7 GB indexer; 4,000 runs 1.13 GB, a 3 GB indexer and 5 s for any CLI
 * query. The per-scenario tables of schema 9 made 1,000 runs 386 MB and a 0.9 GB indexer. The
 * limit stays a size, not a run count: above 500 MB (about 1,300 such runs: well over 1 GB of
 * memory, seconds per command) a shared PostgreSQL index is the better home, and we say so.
 */
export const EMBEDDED_WARN_BYTES = 500 * 1024 * 1024;

/** The advice for an embedded index of `bytes`, or undefined while it is small enough. `how` names the option where the user is. */
export function embeddedSizeWarning(bytes: number, how: string): string | undefined {
  if (bytes <= EMBEDDED_WARN_BYTES) return undefined;
  return `The embedded index is ${(bytes / 1048576).toFixed(0)} MB: it is held in memory whole, so it grows slow and memory-hungry from about ${EMBEDDED_WARN_BYTES / 1048576} MB on. For batches this big, use a PostgreSQL index (${how}).`;
}
