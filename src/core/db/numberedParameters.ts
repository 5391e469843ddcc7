/**
 * Statements written once for both engines with SQLite's numbered parameters (`?1`, `?2`, … : one
 * value may be used several times), in the form each engine takes: PostgreSQL numbers them `$1`,
 * `$2`, … (pg would send a `?1` to the server, which reads it as an operator).
 */
import type { Engine } from './schema';

/** `sql` (numbered `?N` parameters, none inside its string literals) for `engine`. */
export function numberedParametersFor(sql: string, engine: Engine): string {
  return engine === 'postgres' ? sql.replace(/\?(\d+)/g, '$$$1') : sql;
}
