/**
 * Runs and run folders: the guide's list_runs and get_run, and the folders (sl_folders) that carry
 * each run id. Part of the analytics facade (analytics.ts).
 *
 * At 10,000 runs listRuns is the driver's own cost: PostgreSQL answers its two queries in ~8 ms,
 * and pg's parsing of the 20,000 rows into objects (and collecting them) takes the rest, as long as
 * the same two queries sent through pg directly (selecting the rows under RunSummary's names, to
 * skip the copy below, measured no faster). Callers that need less ask listRunIds or listRunNames.
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { parseJson } from './originJoin';
import type { Run, RunFolder, RunName, RunSummary } from './types';

/** One run with its folders (by path) and its configuration parsed (null when unreadable); undefined for an unknown id. */
export async function getRun(db: Kysely<IndexDatabase>, runId: string): Promise<Run | undefined> {
  const row = await db.selectFrom('runs').select([...RUN_COLUMNS, 'config']).where('id', '=', runId).executeTakeFirst();
  if (!row) return undefined;
  const folders = await folderQuery(db).where('run_id', '=', runId).orderBy('path').execute();
  return { ...toRunSummary(row, folders.map(toRunFolder)), config: parseJson(row.config, null) };
}

/** The run a folder (by its index key, sl_folders.path) carries; undefined when it carries none. */
export async function getRunByFolder(db: Kysely<IndexDatabase>, folderPath: string): Promise<Run | undefined> {
  const folder = await db.selectFrom('sl_folders').select('run_id').where('path', '=', folderPath).executeTakeFirst();
  return folder?.run_id ? getRun(db, folder.run_id) : undefined;
}

/** The guide's list_runs: newest first (by `created`, then id), each run with its folders by path; optionally one scenario. */
export async function listRuns(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<RunSummary[]> {
  let query = db.selectFrom('runs').select(RUN_COLUMNS);
  if (options.scenarioId) query = query.where('scenario_id', '=', options.scenarioId);
  let folderRows = folderQuery(db).where('run_id', 'is not', null);
  if (options.scenarioId) folderRows = folderRows.where('run_id', 'in', (eb) => eb.selectFrom('runs').select('runs.id').where('runs.scenario_id', '=', options.scenarioId!));
  const [rows, folders] = await Promise.all([query.orderBy('created', 'desc').orderBy('id').execute(), folderRows.orderBy('path').execute()]);
  const byRun = new Map<string, RunFolder[]>();
  for (const f of folders) {
    const list = byRun.get(f.run_id!) ?? [];
    list.push(toRunFolder(f));
    byRun.set(f.run_id!, list);
  }
  return rows.map((row) => toRunSummary(row, byRun.get(row.id) ?? []));
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
  return (await query.orderBy('path').execute()).map(toRunFolder);
}

const RUN_COLUMNS = ['id', 'scenario_id', 'scenario_name', 'created', 'status', 'total_turns', 'total_cost'] as const;

/** Every folder column but the configuration, which lists never show. */
function folderQuery(db: Kysely<IndexDatabase>) {
  return db
    .selectFrom('sl_folders')
    .select([
      'path', 'format', 'run_id', 'scenario_name', 'status', 'last_turn', 'leftover_turn', 'planned_turns', 'first_persisted_turn',
      'started_at', 'last_record_at', 'last_written_at', 'completed_at', 'error', 'total_cost', 'pending',
    ]);
}

type RunRow = { id: string; scenario_id: string; scenario_name: string; created: string; status: string; total_turns: number; total_cost: number };
type FolderRow = Awaited<ReturnType<ReturnType<typeof folderQuery>['execute']>>[number];

function toRunSummary(row: RunRow, folders: RunFolder[]): RunSummary {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    scenarioName: row.scenario_name,
    created: row.created,
    status: row.status,
    totalTurns: row.total_turns,
    totalCost: row.total_cost,
    folders,
  };
}

function toRunFolder(f: FolderRow): RunFolder {
  return {
    path: f.path,
    format: f.format,
    runId: f.run_id,
    scenarioName: f.scenario_name,
    status: f.status,
    lastTurn: f.last_turn,
    leftoverTurn: f.leftover_turn,
    plannedTurns: f.planned_turns,
    firstPersistedTurn: f.first_persisted_turn,
    startedAt: f.started_at,
    lastRecordAt: f.last_record_at,
    lastWrittenAt: f.last_written_at,
    completedAt: f.completed_at,
    error: f.error,
    totalCost: f.total_cost,
    pending: f.pending === 1,
  };
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
