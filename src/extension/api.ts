/** The API object Scenario Lab's activate() resolves to (its own module: the entry and the main part both name it). */
import type { Kysely } from 'kysely';
import type { Analytics } from '../core/analytics/analytics';
import type { IndexDatabase } from '../core/db/schema';
import type { IndexService } from './indexService';

/** The object `activate` resolves to; other extensions and notebooks reach it through `vscode.extensions.getExtension(id).exports`. */
export interface ScenarioLabApi {
  /** Version of this API's shape; bump it on incompatible changes (2: `analytics` carries no database handle any more; custom queries use `db`). */
  readonly version: 2;
  /** The analytics questions of Scenario Lab's database guide, over the live index (no database handle on it). */
  readonly analytics: Analytics;
  /**
   * Typed access to the index for custom queries. They run through the SQL door (a snapshot of the
   * index in a thread of its own, see src/core/sql/sqlDoor.ts): reads see everything, anything that
   * could change the index or the connection is refused, and each query has the door's time limit.
   * Transactions are refused: each query reads the snapshot of its moment, so a caller's `begin` and
   * `commit` could never bracket other work on the index.
   */
  readonly db: Kysely<IndexDatabase>;
  /** Resolves once the first index pass of the workspace is done. */
  readonly ready: Promise<void>;
  readonly onDidChangeIndex: IndexService['onDidChange'];
  /** The index file (open it with sqlite3 or Python); undefined when the index lives in memory only. */
  readonly indexFile: string | undefined;
}
