/**
 * Which tables hold what one run folder or one batch experiment contributed to the index. The
 * sql.js statements (indexerStatements.ts) and the PostgreSQL writer (postgres/) speak different
 * dialects but delete and record exactly these tables, so both take the lists from here.
 */
import type { OriginTable } from '../db/schema';

/**
 * The tables a folder writes rows into (and records the id ranges of, in sl_folder_rows),
 * children before parents: PostgreSQL enforces Scenario Lab's foreign keys on delete.
 */
export const ROW_TABLES = ['decisions', 'communications', 'metrics', 'turns', 'costs'] as const satisfies readonly OriginTable[];
export type RowTable = (typeof ROW_TABLES)[number];

/** A folder's bookkeeping tables, each keyed by `folder_id`; deleted before the sl_folders row itself. */
export const FOLDER_TABLES = ['sl_folder_rows', 'sl_problems', 'sl_files', 'sl_annotations'] as const;

/** The experiment tables and the column each keys a batch experiment by (its folder key). */
export const EXPERIMENT_TABLES = [
  ['sl_experiments', 'folder'],
  ['sl_variations', 'experiment'],
  ['sl_batch_runs', 'experiment'],
  ['sl_batch_costs', 'experiment'],
] as const;
