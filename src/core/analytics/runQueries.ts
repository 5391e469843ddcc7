/**
 * Runs and run folders: the guide's list_runs and get_run, and the folders (sl_folders) that carry
 * each run id. Part of the analytics facade (analytics.ts).
 *
 * The lists select their columns under the names RunSummary and RunFolder use, so that the rows the
 * driver builds are the answer, not copied into a second object each. At 10,000 runs listRuns is
 * the driver's own cost: PostgreSQL answers both queries in ~8 ms, and pg's parsing of the 20,000
 * rows into objects (and collecting them) takes the rest, as long as the same two queries sent
 * through pg directly. Callers that need less ask listRunIds or listRunNames.
 */
import { sql, type Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { parseJson } from './originJoin';
import type { Run, RunFolder, RunName, RunSummary } from './types';

/** One run with its folders (by path) and its configuration parsed (null when unreadable); undefined for an unknown id. */
export async function getRun(db: Kysely<IndexDatabase>, runId: string): Promise<Run | undefined> {
  const row = await db.selectFrom('runs').select([...RUN_FIELDS, 'config']).where('id', '=', runId).executeTakeFirst();
  if (!row) return undefined;
  const folders = asRunFolders(await folderQuery(db).where('run_id', '=', runId).orderBy('path').execute());
  const { config, ...run } = row;
  return { ...run, folders, config: parseJson(config, null) };
}

/** The run a folder (by its index key, sl_folders.path) carries; undefined when it carries none. */
export async function getRunByFolder(db: Kysely<IndexDatabase>, folderPath: string): Promise<Run | undefined> {
  const folder = await db.selectFrom('sl_folders').select('run_id').where('path', '=', folderPath).executeTakeFirst();
  return folder?.run_id ? getRun(db, folder.run_id) : undefined;
}

/** The guide's list_runs: newest first (by `created`, then id), each with its folders by path; optionally one scenario. */
export async function listRuns(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<RunSummary[]> {
  let runs = db.selectFrom('runs').select(RUN_FIELDS);
  let folders = folderQuery(db).where('run_id', 'is not', null);
  if (options.scenarioId) {
    runs = runs.where('scenario_id', '=', options.scenarioId);
    folders = folders.where('run_id', 'in', (eb) => eb.selectFrom('runs').select('runs.id').where('runs.scenario_id', '=', options.scenarioId!));
  }
  // `runs.created`, not the output column: the order is the timestamp's, whatever text the engine sends.
  const [runRows, folderRows] = await Promise.all([runs.orderBy('runs.created', 'desc').orderBy('id').execute(), folders.orderBy('path').execute()]);
  const byRun = new Map<string, RunFolder[]>();
  for (const folder of asRunFolders(folderRows)) {
    const list = byRun.get(folder.runId!);
    if (list) list.push(folder);
    else byRun.set(folder.runId!, [folder]);
  }
  const summaries = runRows as Array<(typeof runRows)[number] & { folders?: RunFolder[] }>;
  for (const run of summaries) run.folders = byRun.get(run.id) ?? [];
  return summaries as RunSummary[];
}

/**
 * Run ids in listRuns order (newest first by runs.created, then id), optionally one scenario: for a
 * caller that needs which runs there are, not their figures or folders.
 */
export async function listRunIds(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<string[]> {
  let query = db.selectFrom('runs').select('id');
  if (options.scenarioId) query = query.where('scenario_id', '=', options.scenarioId);
  return (await query.orderBy('created', 'desc').orderBy('id').execute()).map((row) => row.id);
}

/**
 * Each run's id with its folders' paths (sl_folders.path, by path; empty for a run no folder
 * carries), in listRuns order, optionally one scenario: what naming a run takes.
 */
export async function listRunNames(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<RunName[]> {
  let query = db.selectFrom('runs').leftJoin('sl_folders', 'sl_folders.run_id', 'runs.id').select(['runs.id', 'sl_folders.path']);
  if (options.scenarioId) query = query.where('runs.scenario_id', '=', options.scenarioId);
  const rows = await query.orderBy('runs.created', 'desc').orderBy('runs.id').orderBy('sl_folders.path').execute();
  const names: RunName[] = [];
  let current: RunName | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) names.push((current = { id: row.id, folders: [] }));
    if (row.path !== null) current.folders.push({ path: row.path });
  }
  return names;
}

/** Every indexed run folder, by path; with `withoutRun`, only the folders that carry no run id (sl_folders.run_id null). */
export async function listFolders(db: Kysely<IndexDatabase>, options: { withoutRun?: boolean } = {}): Promise<RunFolder[]> {
  let query = folderQuery(db);
  if (options.withoutRun) query = query.where('run_id', 'is', null);
  return asRunFolders(await query.orderBy('path').execute());
}

/** The runs columns lists show (not the configuration, a kilobyte or more per run), named as in RunSummary. */
const RUN_FIELDS = ['id', 'scenario_id as scenarioId', 'scenario_name as scenarioName', 'created', 'status', 'total_turns as totalTurns', 'total_cost as totalCost'] as const;

/** Every folder column but the configuration, which lists never show, named as in RunFolder. */
function folderQuery(db: Kysely<IndexDatabase>) {
  return db
    .selectFrom('sl_folders')
    .select([
      'path', 'format', 'run_id as runId', 'scenario_name as scenarioName', 'status', 'last_turn as lastTurn', 'leftover_turn as leftoverTurn',
      'planned_turns as plannedTurns', 'first_persisted_turn as firstPersistedTurn', 'started_at as startedAt', 'last_record_at as lastRecordAt',
      'last_written_at as lastWrittenAt', 'completed_at as completedAt', 'error', 'total_cost as totalCost',
      // PostgreSQL sends a boolean; SQLite has none and sends 1 or 0, which asRunFolders turns into one.
      sql<boolean | number>`sl_folders.pending = 1`.as('pending'),
    ]);
}

type FolderRow = Awaited<ReturnType<ReturnType<typeof folderQuery>['execute']>>[number];

/** The rows themselves as RunFolders: only `pending` needs a boolean where the engine gave a number. */
function asRunFolders(rows: FolderRow[]): RunFolder[] {
  for (const row of rows) if (typeof row.pending === 'number') row.pending = row.pending === 1;
  return rows as RunFolder[];
}

/** Scenario ids with their number of runs, by id. */
export async function listScenarios(db: Kysely<IndexDatabase>): Promise<Array<{ scenarioId: string; runCount: number }>> {
  const rows = await db
    .selectFrom('runs')
    .select(['scenario_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('scenario_id')
    .orderBy('scenario_id')
    .execute();
  return rows.map((r) => ({ scenarioId: r.scenario_id, runCount: Number(r.n) }));
}
