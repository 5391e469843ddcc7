/**
 * What the Experiment panel needs beyond variationStatistics: the metrics an experiment's runs
 * recorded, a metric's distribution over the runs of each variation turn by turn (median and
 * inter-quartile band, not a line per run), and where a run folder's world state of a turn is.
 * Every figure is per run folder, so parallel batch runs that share a run id stay apart.
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import type { SourceLocation } from '../format/records';
import { inStatisticsScope } from './experiments';
import { folderTurnValues } from './finalValues';
import { metricDistribution, type DistributionPoint } from './metricDistribution';

export interface VariationEvolution {
  variationId: number;
  /**
   * Per turn, the distribution of the runs' values of the metric (each run counts once per turn
   * with the mean of its records there; quantiles as metricDistribution). Turns ascending; empty
   * when no run of the variation in scope recorded the metric.
   */
  distribution: DistributionPoint[];
}

export interface VariationEvolutionOptions {
  /** Only this actor's records of the metric. */
  actor?: string;
  /** Every run of a variation, not only the completed ones (as variationStatistics' includeFailed). */
  includeFailed?: boolean;
}

/**
 * The metric names recorded by the run folders of an experiment (its folder key), sorted.
 * Empty for an unknown experiment or one whose runs recorded no metric.
 */
export async function experimentMetricNames(db: Kysely<IndexDatabase>, experiment: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sl_folders as f')
    .innerJoin('sl_folder_rows as r', (join) => join.onRef('r.folder_id', '=', 'f.id').on('r.tbl', '=', 'metrics'))
    .innerJoin('metrics as m', (join) => join.onRef('m.id', '>=', 'r.first_id').onRef('m.id', '<=', 'r.last_id'))
    .select('m.name')
    .distinct()
    .where('f.path', 'in', (eb) => eb.selectFrom('sl_batch_runs').select('folder').where('experiment', '=', experiment))
    .orderBy('m.name')
    .execute();
  return rows.map((r) => r.name);
}

/**
 * Per variation of an experiment (its folder key; variations in id order, each listed even
 * without values), the metric's distribution over its runs at each turn. The runs in scope are
 * those variationStatistics counts: completed runs (batch status `success`), or all with
 * includeFailed. Undefined values (NaN) are left out by metricDistribution.
 */
export async function variationEvolution(db: Kysely<IndexDatabase>, experiment: string, metric: string, options: VariationEvolutionOptions = {}): Promise<VariationEvolution[]> {
  const [variations, runs, values] = await Promise.all([
    db.selectFrom('sl_variations').select('variation_id').where('experiment', '=', experiment).orderBy('variation_id').execute(),
    db.selectFrom('sl_batch_runs').select(['folder', 'variation_id', 'status']).where('experiment', '=', experiment).execute(),
    folderTurnValues(db, metric, { actor: options.actor, experiment }),
  ]);
  return variations.map(({ variation_id: variationId }) => {
    const points = runs
      .filter((r) => r.variation_id === variationId && inStatisticsScope({ batchStatus: r.status }, options.includeFailed))
      .flatMap((r) => (values.get(r.folder) ?? []).map((v) => ({ runId: r.folder, turn: v.turn, value: v.value, count: v.count })));
    return { variationId, distribution: metricDistribution(points) };
  });
}

/**
 * Where a run folder's world state of a turn is written (the file and lines the index recorded for
 * that turn of that folder); undefined when the folder has no indexed turn with that number.
 */
export async function worldStateSource(db: Kysely<IndexDatabase>, folder: string, turn: number): Promise<SourceLocation | undefined> {
  return (await worldStateSources(db, [{ folder, turn }]))[0];
}

/**
 * worldStateSource for many (folder, turn) pairs in one query (a panel links every run point):
 * the answers in the order asked, undefined where a folder has no indexed turn with that number.
 */
export async function worldStateSources(db: Kysely<IndexDatabase>, wanted: ReadonlyArray<{ folder: string; turn: number }>): Promise<Array<SourceLocation | undefined>> {
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom('sl_folders as f')
    .innerJoin('sl_folder_rows as r', (join) => join.onRef('r.folder_id', '=', 'f.id').on('r.tbl', '=', 'turns'))
    .innerJoin('turns as t', (join) => join.onRef('t.id', '>=', 'r.first_id').onRef('t.id', '<=', 'r.last_id'))
    .innerJoin('sl_origins as o', (join) => join.onRef('o.row_id', '=', 't.id').on('o.tbl', '=', 'turns'))
    .innerJoin('sl_files as file', 'file.id', 'o.file_id')
    .select(['f.path as folder', 't.turn_num', 'file.path', 'o.start_line', 'o.end_line', 'o.focus_line'])
    .where('f.path', 'in', [...new Set(wanted.map((w) => w.folder))])
    .where('t.turn_num', 'in', [...new Set(wanted.map((w) => w.turn))])
    .orderBy('t.id', 'desc')
    .execute();
  // Descending ids, so the first row of a (folder, turn) wins when set last: the lowest id, as a single lookup picks.
  const found = new Map<string, SourceLocation>();
  for (const row of rows) {
    if (row.start_line === null) continue;
    found.set(`${row.turn_num}\u0000${row.folder}`, { file: row.path, startLine: row.start_line, endLine: row.end_line ?? row.start_line, focusLine: row.focus_line ?? row.start_line });
  }
  return wanted.map((w) => found.get(`${w.turn}\u0000${w.folder}`));
}
