/**
 * A run folder's **final value** of a metric: the mean of that folder's records of the metric at
 * the highest turn that has any. Rows are taken per folder (the turn-id range the folder wrote),
 * so folders that share a run id (parallel batch runs, resumes) each keep their own value.
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

/** Folder key → final value, for the folders in scope that recorded the metric. */
export async function folderFinalValues(db: Kysely<IndexDatabase>, metric: string, scope: FinalValueScope = {}): Promise<Map<string, number>> {
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
  const last = new Map<string, { turn: number; sum: number; count: number }>();
  for (const row of await query.execute()) {
    const seen = last.get(row.path);
    if (!seen || row.turn_num > seen.turn) last.set(row.path, { turn: row.turn_num, sum: row.value, count: 1 });
    else if (row.turn_num === seen.turn) {
      seen.sum += row.value;
      seen.count++;
    }
  }
  return new Map([...last].map(([folder, s]) => [folder, s.sum / s.count]));
}
