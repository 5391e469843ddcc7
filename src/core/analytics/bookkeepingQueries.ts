/** The index's own bookkeeping: problems, folder activity, run id clashes. Part of the analytics facade (analytics.ts). */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import type { FolderActivity, IndexProblem } from './types';

/** Problems the indexer recorded (sl_problems), by file and line, with their run folder. */
export async function listProblems(db: Kysely<IndexDatabase>): Promise<IndexProblem[]> {
  const rows = await db
    .selectFrom('sl_problems')
    .leftJoin('sl_folders', 'sl_folders.id', 'sl_problems.folder_id')
    .select(['sl_problems.file', 'sl_problems.line', 'sl_problems.severity', 'sl_problems.message', 'sl_folders.path'])
    .orderBy('sl_problems.file')
    .orderBy('sl_problems.line')
    .execute();
  return rows.map((r) => ({ file: r.file, line: r.line, severity: r.severity as IndexProblem['severity'], message: r.message, folder: r.path }));
}

/**
 * When each run folder's files last changed (newest file mtime in ms since the epoch, from
 * sl_files; folders without files are left out), by folder path: whether a `running` run is still
 * being written. With `runStatus`, only the folders carrying a run of that stored status
 * (runs.status). The newest mtime is asked per folder, so that PostgreSQL answers each from its
 * (folder_id, mtime_ms) index (schemaPostgres.ts) instead of grouping every file row (1.15 million
 * at 10,000 runs).
 */
export async function folderActivity(db: Kysely<IndexDatabase>, options: { runStatus?: string } = {}): Promise<FolderActivity[]> {
  let query = db
    .selectFrom('sl_folders')
    .select(['sl_folders.path', (eb) => eb.selectFrom('sl_files').select((f) => f.fn.max<number>('sl_files.mtime_ms').as('m')).whereRef('sl_files.folder_id', '=', 'sl_folders.id').as('last')]);
  if (options.runStatus !== undefined) {
    const status = options.runStatus;
    query = query.where('sl_folders.run_id', 'in', (eb) => eb.selectFrom('runs').select('runs.id').where('runs.status', '=', status));
  }
  const rows = await query.orderBy('sl_folders.path').execute();
  return rows.filter((r) => r.last !== null).map((r) => ({ folder: r.path, lastModifiedMs: Number(r.last) }));
}

/** Run ids carried by more than one folder: resumed runs, parallel batch runs, or a copied run folder. */
export async function runIdClashes(db: Kysely<IndexDatabase>): Promise<Array<{ runId: string; folders: string[] }>> {
  const rows = await db
    .selectFrom('sl_folders')
    .select(['run_id', 'path'])
    .where('run_id', 'in', (eb) => eb.selectFrom('sl_folders').select('run_id').where('run_id', 'is not', null).groupBy('run_id').having((h) => h.fn.countAll(), '>', 1))
    .orderBy('run_id')
    .orderBy('path')
    .execute();
  const byRun = new Map<string, string[]>();
  for (const r of rows) byRun.set(r.run_id!, [...(byRun.get(r.run_id!) ?? []), r.path]);
  return [...byRun.entries()].map(([runId, folders]) => ({ runId, folders }));
}
