/**
 * Run statistics (the guide's get_run_statistics and compare_runs, per folder or whole run) and
 * cost per turn. Part of the analytics facade (analytics.ts).
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { folderFigures, statisticsTargets } from './folderStatistics';
import type { RunComparison, RunStatistics, TurnCost } from './types';

/**
 * The guide's get_run_statistics, plus cost by actor and model, and tokens: the figures of the run
 * as Scenario Lab's tables hold it (every folder carrying the id merged). What people are shown goes
 * through runStatisticsPerFolder, which never merges folders.
 */
export async function getRunStatistics(db: Kysely<IndexDatabase>, runId: string): Promise<RunStatistics | undefined> {
  return (await wholeRunStatistics(db, [runId]))[0];
}

/**
 * Statistics for each argument (a run id or a run folder path, see statisticsTargets), in argument
 * order: one entry for a run id carried by one folder, one entry per folder for a run id that
 * several folders carry (each with `folder` set), none for an argument that names nothing.
 */
export async function runStatisticsPerFolder(db: Kysely<IndexDatabase>, keys: readonly string[]): Promise<RunStatistics[]> {
  const targets = (await statisticsTargets(db, keys)).flat();
  const folderIds = targets.flatMap((t) => (t.folderId === null ? [] : [t.folderId]));
  const [whole, perFolder, annotations] = await Promise.all([
    wholeRunStatistics(db, targets.filter((t) => t.folderId === null).map((t) => t.runId)),
    folderFigures(db, folderIds),
    folderIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('sl_annotations').select(['folder_id', (eb) => eb.fn.countAll<number>().as('n')]).where('folder_id', 'in', folderIds).groupBy('folder_id').execute(),
  ]);
  const seen = new Set<string>();
  return targets.flatMap((t): RunStatistics[] => {
    const key = `${t.runId}\u0000${t.folder}`;
    if (seen.has(key)) return [];
    seen.add(key);
    if (t.folderId === null) {
      const stats = whole.find((s) => s.runId === t.runId);
      return stats ? [{ ...stats, folder: t.folder }] : [];
    }
    const f = perFolder.folders.find((x) => x.id === t.folderId)!;
    const own = perFolder.costs.filter((c) => c.folder_id === t.folderId);
    const totalCost = f.total_cost ?? own.reduce((n, c) => n + Number(c.total), 0);
    const input = own.reduce((n, c) => n + Number(c.input), 0);
    const output = own.reduce((n, c) => n + Number(c.output), 0);
    const created = whole.find((s) => s.runId === t.runId)?.created;
    return [{
      runId: t.runId,
      folder: f.path,
      scenarioName: f.scenario_name ?? '',
      status: f.status ?? '',
      turnCount: f.turns,
      decisionCount: f.decisions,
      communicationCount: f.communications,
      metricCount: f.metrics,
      annotationCount: Number(annotations.find((a) => a.folder_id === t.folderId)?.n ?? 0),
      totalCost,
      costByPhase: sumBy(own, 'phase').map(([phase, total]) => ({ phase, total })),
      costByActor: sumBy(own, 'actor').map(([actor, total]) => ({ actor, total })),
      costByModel: sumBy(own, 'model').map(([model, total]) => ({ model, total })),
      notItemisedCost: notItemised(totalCost, own),
      tokens: { input, output, total: input + output },
      created: created ?? '',
    }];
  });
}

/**
 * Statistics of several whole runs in two queries whatever their number (one for the counts, one for
 * the costs), so a comparison costs about what one run's statistics cost. Unknown ids are skipped.
 */
async function wholeRunStatistics(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunStatistics[]> {
  const ids = [...new Set(runIds)];
  if (ids.length === 0) return [];
  const [runs, costs] = await Promise.all([
    db
      .selectFrom('runs as r')
      .select((eb) => [
        'r.id',
        'r.scenario_name',
        'r.status',
        'r.total_cost',
        'r.created',
        eb.selectFrom('turns').select(eb.fn.countAll<number>().as('n')).whereRef('turns.run_id', '=', 'r.id').as('turns'),
        perTurnCount(eb, 'decisions').as('decisions'),
        perTurnCount(eb, 'communications').as('communications'),
        perTurnCount(eb, 'metrics').as('metrics'),
        eb.selectFrom('sl_annotations').select(eb.fn.countAll<number>().as('n')).whereRef('sl_annotations.run_id', '=', 'r.id').as('annotations'),
      ])
      .where('r.id', 'in', ids)
      .execute(),
    db
      .selectFrom('costs')
      .select([
        'run_id', 'phase', 'actor', 'model',
        (eb) => eb.fn.sum<number>('cost').as('total'),
        (eb) => eb.fn.sum<number>('input_tokens').as('input'),
        (eb) => eb.fn.sum<number>('output_tokens').as('output'),
      ])
      .where('run_id', 'in', ids)
      .groupBy(['run_id', 'phase', 'actor', 'model'])
      .execute(),
  ]);
  const byId = new Map(runs.map((run) => [run.id, run]));
  return ids.flatMap((id) => {
    const run = byId.get(id);
    if (!run) return [];
    const own = costs.filter((c) => c.run_id === id);
    const input = own.reduce((n, c) => n + Number(c.input), 0);
    const output = own.reduce((n, c) => n + Number(c.output), 0);
    return [{
      runId: run.id,
      folder: null,
      scenarioName: run.scenario_name,
      status: run.status,
      turnCount: Number(run.turns),
      decisionCount: Number(run.decisions),
      communicationCount: Number(run.communications),
      metricCount: Number(run.metrics),
      annotationCount: Number(run.annotations),
      totalCost: run.total_cost,
      costByPhase: sumBy(own, 'phase').map(([phase, total]) => ({ phase, total })),
      costByActor: sumBy(own, 'actor').map(([actor, total]) => ({ actor, total })),
      costByModel: sumBy(own, 'model').map(([model, total]) => ({ model, total })),
      notItemisedCost: notItemised(run.total_cost, own),
      tokens: { input, output, total: input + output },
      created: run.created,
    }];
  });
}

/** Rows of a per-turn table that belong to the outer query's run `r`. */
function perTurnCount(eb: ExpressionBuilder<IndexDatabase & { r: IndexDatabase['runs'] }, 'r'>, table: 'decisions' | 'communications' | 'metrics') {
  return eb
    .selectFrom(table)
    .innerJoin('turns', 'turns.id', `${table}.turn_id`)
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('turns.run_id', '=', 'r.id');
}

/**
 * The part of runs.total_cost the costs table does not itemise: world_update and qa_validation calls
 * (actor null, which Scenario Lab never stores, docs/format.md#persistence step 6), less any record a resumed run stored
 * twice. Float noise below a millionth of a cent is 0, so a run whose rows add up shows no line.
 */
function notItemised(total: number, rows: ReadonlyArray<{ total: number }>): number {
  const rest = total - rows.reduce((n, r) => n + Number(r.total), 0);
  return Math.abs(rest) < 1e-8 ? 0 : rest;
}

/** Sums cost rows by one key, in key order. */
function sumBy<K extends 'phase' | 'actor' | 'model'>(rows: Array<Record<K, string> & { total: number }>, key: K): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r[key], (totals.get(r[key]) ?? 0) + Number(r.total));
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The guide's compare_runs: statistics of each existing run, in the order asked; unknown ids skipped.
 * A run id that several folders carry gives one entry per folder (runStatisticsPerFolder).
 */
export async function compareRuns(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunComparison> {
  return { runs: await runStatisticsPerFolder(db, runIds) };
}

/**
 * Cost per turn. Cost records carry no turn number, so each record is attributed to the first
 * turn whose timestamp is at or after it (turn rows are stamped with the turn's last record).
 */
export async function costByTurn(db: Kysely<IndexDatabase>, runId: string): Promise<TurnCost[]> {
  const turns = await db.selectFrom('turns').select(['turn_num', 'timestamp']).where('run_id', '=', runId).orderBy('timestamp').execute();
  const costs = await db.selectFrom('costs').select(['timestamp', 'cost']).where('run_id', '=', runId).orderBy('timestamp').execute();
  const totals = new Map<number, number>();
  let t = 0;
  for (const c of costs) {
    while (t < turns.length - 1 && turns[t].timestamp < c.timestamp) t++;
    if (turns.length === 0) break;
    const turn = turns[t].turn_num;
    totals.set(turn, (totals.get(turn) ?? 0) + c.cost);
  }
  return [...totals.entries()].sort(([a], [b]) => a - b).map(([turn, total]) => ({ turn, total }));
}
