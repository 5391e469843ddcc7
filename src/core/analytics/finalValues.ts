/**
 * A run folder's values of a metric turn by turn, and its **final value**: the mean of that
 * folder's records of the metric at the highest turn that has any. Rows are taken per folder (the
 * turn-id range the folder wrote), so folders that share a run id (parallel batch runs, resumes)
 * each keep their own values.
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';

export interface FinalValueScope {
  /** Only this actor's records of the metric. */
  actor?: string;
  /** Only the run folders of this experiment (its folder key). */
  experiment?: string;
  /** Only folders of this scenario (its name, id or scenario folder name). */
  scenario?: string;
}

/** A folder's value of a metric at one turn: the mean of its `count` records there. */
export interface FolderTurnValue {
  turn: number;
  value: number;
  count: number;
}

/**
 * Folder key → its values of the metric per turn (turns ascending), for the folders in scope that
 * recorded the metric. Records at the same turn (several actors, duplicates) are averaged.
 */
export async function folderTurnValues(db: Kysely<IndexDatabase>, metric: string, scope: FinalValueScope = {}): Promise<Map<string, FolderTurnValue[]>> {
  let query = db
    .selectFrom('sl_folders as f')
    .innerJoin('sl_folder_rows as r', (join) => join.onRef('r.folder_id', '=', 'f.id').on('r.tbl', '=', 'turns'))
    .innerJoin('metrics as m', (join) => join.on('m.name', '=', metric).onRef('m.turn_id', '>=', 'r.first_id').onRef('m.turn_id', '<=', 'r.last_id'))
    .innerJoin('turns as t', 't.id', 'm.turn_id')
    .select(['f.path', 't.turn_num', 'm.value']);
  if (scope.actor !== undefined) query = query.where('m.actor', '=', scope.actor);
  if (scope.experiment !== undefined) {
    const experiment = scope.experiment;
    query = query.where('f.path', 'in', (eb) => eb.selectFrom('sl_batch_runs').select('folder').where('experiment', '=', experiment));
  }
  if (scope.scenario !== undefined) {
    const scenario = scope.scenario;
    query = query.where((eb) => eb.or([eb('f.scenario_name', '=', scenario), eb('f.scenario_id', '=', scenario), eb('f.scenario_dir', '=', scenario)]));
  }
  const sums = new Map<string, Map<number, { sum: number; count: number }>>();
  for (const row of await query.execute()) {
    const turns = sums.get(row.path) ?? new Map<number, { sum: number; count: number }>();
    const at = turns.get(row.turn_num) ?? { sum: 0, count: 0 };
    at.sum += row.value;
    at.count++;
    turns.set(row.turn_num, at);
    sums.set(row.path, turns);
  }
  return new Map(
    [...sums].map(([folder, turns]) => [
      folder,
      [...turns].sort(([a], [b]) => a - b).map(([turn, s]) => ({ turn, value: s.sum / s.count, count: s.count })),
    ]),
  );
}

/** Folder key → its final value and the turn it was recorded at, for the folders in scope that recorded the metric. */
export async function folderFinalPoints(db: Kysely<IndexDatabase>, metric: string, scope: FinalValueScope = {}): Promise<Map<string, FolderTurnValue>> {
  const series = await folderTurnValues(db, metric, scope);
  return new Map([...series].map(([folder, values]) => [folder, values[values.length - 1]]));
}

/** Folder key → final value, for the folders in scope that recorded the metric. */
export async function folderFinalValues(db: Kysely<IndexDatabase>, metric: string, scope: FinalValueScope = {}): Promise<Map<string, number>> {
  const finals = await folderFinalPoints(db, metric, scope);
  return new Map([...finals].map(([folder, point]) => [folder, point.value]));
}
