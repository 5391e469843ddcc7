/**
 * Metrics: the guide's query_metrics and aggregate_metrics, a metric's evolution over turns, per
 * run series and summaries, and the metric names and actors. Part of the analytics facade (analytics.ts).
 */
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { pageBounds, pageIds, toSource, TOTAL_ROWS, withOrigin } from './originJoin';
import type { Metric, MetricAggregate, MetricEvolutionPoint, MetricFilters, Page, RunMetricPoint, RunMetricSummary } from './types';

/** The guide's query_metrics: every filter applies only when given; ordered by record time. */
export async function queryMetrics(db: Kysely<IndexDatabase>, filters: MetricFilters): Promise<Metric[]> {
  return (await metricRecordQuery(db, filters).execute()).map(toMetric);
}

/** query_metrics one page at a time, so a panel never pulls every record of a large workspace; ordered on ids as decisions are. */
export async function queryMetricsPage(db: Kysely<IndexDatabase>, filters: MetricFilters, page: { offset: number; limit: number }): Promise<Page<Metric>> {
  const { offset, limit } = pageBounds(page);
  const from = metricSource(db, filters);
  const { ids, total } = await pageIds(
    db,
    (withTotal) => from.query.select(`${from.id} as id`).$if(withTotal, (q) => q.select(TOTAL_ROWS)).orderBy(from.time).orderBy(from.id).limit(limit).offset(offset).execute(),
    () => from.query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  );
  const rows = ids.length === 0 ? [] : await metricRecordQuery(db, {}).where('metrics.id', 'in', ids).execute();
  return { offset, limit, total, rows: rows.map(toMetric) };
}

function metricRecordQuery(db: Kysely<IndexDatabase>, filters: MetricFilters) {
  return metricScope(db, filters)
    .$call((q) => withOrigin(q, 'metrics'))
    .leftJoin('sl_metric_actors', 'sl_metric_actors.metric_id', 'metrics.id')
    .select(['metrics.id', 'turns.run_id', 'runs.scenario_id', 'turns.turn_num', 'metrics.name', 'metrics.value', 'metrics.actor', 'metrics.timestamp'])
    .select('sl_metric_actors.actor as recorded_actor')
    .orderBy('metrics.timestamp')
    .orderBy('metrics.id');
}

type MetricRow = Awaited<ReturnType<ReturnType<typeof metricRecordQuery>['execute']>>[number];

function toMetric(r: MetricRow): Metric {
  return {
    id: r.id,
    runId: r.run_id,
    scenarioId: r.scenario_id,
    turnNum: r.turn_num,
    name: r.name,
    value: r.value,
    actor: r.recorded_actor,
    scenarioLabActor: r.actor,
    timestamp: r.timestamp,
    source: toSource(r),
  };
}

/** The metrics a filter selects, joined to their turn and run. */
function metricScope(db: Kysely<IndexDatabase>, filters: MetricFilters) {
  return metricFilter(metricJoin(db, filters), filters);
}

/**
 * The metric rows a filter selects, and the names of the columns to read from them: a scenario's
 * own table (sl_scenario_metrics, db/schemaScope.ts: one index range, no join) when the filter
 * names a scenario and nothing that table lacks (runs: the join from a few runs is smaller; Scenario
 * Lab's own actor column), else metricScope()'s join. Both select the same rows; the whole records
 * are read from metrics itself (metricRecordQuery).
 */
function metricSource(db: Kysely<IndexDatabase>, filters: MetricFilters): MetricSource {
  if (filters.scenario && !(filters.runIds && filters.runIds.length > 0) && !filters.scenarioLabActor) {
    let q = db.selectFrom('sl_scenario_metrics').where('sl_scenario_metrics.scenario_id', '=', filters.scenario);
    if (filters.metricName) q = q.where('sl_scenario_metrics.name', '=', filters.metricName);
    if (filters.actor) q = q.where('sl_scenario_metrics.actor', '=', filters.actor);
    if (filters.turnNum !== undefined) q = q.where('sl_scenario_metrics.turn_num', '=', filters.turnNum);
    const column = (name: keyof IndexDatabase['sl_scenario_metrics']) => `sl_scenario_metrics.${name}`;
    return { query: q, id: column('metric_id'), run: column('run_id'), turn: column('turn_num'), value: column('value'), time: column('timestamp') };
  }
  return { query: metricScope(db, filters), id: 'metrics.id', run: 'turns.run_id', turn: 'turns.turn_num', value: 'metrics.value', time: 'metrics.timestamp' };
}

/** metricSource()'s answer: the selected rows, and the qualified names of their id, run id, turn number, value and record time. */
interface MetricSource {
  // Two different table sets behind one shape: the column names below say what to read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query: SelectQueryBuilder<any, any, object>;
  id: string;
  run: string;
  turn: string;
  value: string;
  time: string;
}

/**
 * For a scenario or a set of runs, the join starts from those runs, in that order (SQLite keeps the
 * order of a CROSS JOIN): run → its turns → their metrics is index-only at every step. Started from
 * the metric name, each candidate would read its turn's row, and a turn row holds the world state,
 * one row per page (1,000 runs: query_metrics 18 → 11 ms, one page of it 9 → 4 ms).
 */
function metricJoin(db: Kysely<IndexDatabase>, filters: MetricFilters) {
  if (filters.scenario || (filters.runIds && filters.runIds.length > 0)) {
    return db.selectFrom('runs').crossJoin('turns').crossJoin('metrics').whereRef('turns.run_id', '=', 'runs.id').whereRef('metrics.turn_id', '=', 'turns.id');
  }
  return db.selectFrom('metrics').innerJoin('turns', 'turns.id', 'metrics.turn_id').innerJoin('runs', 'runs.id', 'turns.run_id');
}

// Kysely's builder types are deep; the filter only adds where-clauses, so its type is kept generic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function metricFilter<Q extends { where: (...args: any[]) => Q }>(query: Q, filters: MetricFilters): Q {
  let q = query;
  if (filters.metricName) q = q.where('metrics.name', '=', filters.metricName);
  if (filters.scenario) q = q.where('runs.scenario_id', '=', filters.scenario);
  // Our answer: the actor the files record (sl_metric_actors); Scenario Lab's column only when asked for.
  if (filters.actor) q = q.where('metrics.id', 'in', (eb: ExpressionBuilder<IndexDatabase, 'sl_metric_actors'>) => eb.selectFrom('sl_metric_actors').select('metric_id').where('actor', '=', filters.actor!));
  if (filters.scenarioLabActor) q = q.where('metrics.actor', '=', filters.scenarioLabActor);
  if (filters.runIds && filters.runIds.length > 0) q = q.where('runs.id', 'in', [...filters.runIds]);
  if (filters.turnNum !== undefined) q = q.where('turns.turn_num', '=', filters.turnNum);
  return q;
}

/** The guide's aggregate_metrics: avg/min/max/count over every matching row (all actors, all turns). */
export async function aggregateMetrics(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<MetricAggregate> {
  const from = metricSource(db, { ...options, metricName });
  const row = await from.query
    .select((eb) => [
      eb.fn.avg<number>(from.value).as('avg'),
      eb.fn.min<number>(from.value).as('min'),
      eb.fn.max<number>(from.value).as('max'),
      eb.fn.countAll<number>().as('count'),
    ])
    .executeTakeFirst();
  return {
    metric: metricName,
    scenario: options.scenario ?? null,
    avg: row?.avg ?? null,
    min: row?.min ?? null,
    max: row?.max ?? null,
    count: Number(row?.count ?? 0),
  };
}

/** Metric evolution over turns: per turn number, avg/min/max across the matching runs (and actors). */
export async function metricEvolution(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<MetricEvolutionPoint[]> {
  const from = metricSource(db, { ...options, metricName });
  const rows = await from.query
    .select((eb) => [
      eb.ref(from.turn).as('turn_num'),
      eb.fn.avg<number>(from.value).as('avg'),
      eb.fn.min<number>(from.value).as('min'),
      eb.fn.max<number>(from.value).as('max'),
      eb.fn.countAll<number>().as('count'),
    ])
    .groupBy(from.turn)
    .orderBy(from.turn)
    .execute();
  return rows.map((r) => ({ turn: r.turn_num as number, avg: r.avg, min: r.min, max: r.max, count: Number(r.count) }));
}

/** One line per run: the run's mean value of the metric at each turn (the chart's lines; the band is metricEvolution). */
export async function metricSeriesByRun(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<RunMetricPoint[]> {
  const from = metricSource(db, { ...options, metricName });
  const rows = await from.query
    .select((eb) => [eb.ref(from.run).as('run_id'), eb.ref(from.turn).as('turn_num'), eb.fn.avg<number>(from.value).as('value'), eb.fn.countAll<number>().as('count')])
    .groupBy([from.run, from.turn])
    .orderBy(from.run)
    .orderBy(from.turn)
    .execute();
  return rows.map((r) => ({ runId: r.run_id as string, turn: r.turn_num as number, value: r.value, count: Number(r.count) }));
}

/**
 * The ids of the runs with records of a metric (all actors unless `actor`), in id order, without
 * their records: what a view pages over before it reads the records of one page of runs (a scenario
 * of 3,300 runs holds ~30,000 records of a metric). From sl_scenario_metrics when a scenario is named.
 */
export async function listMetricRunIds(db: Kysely<IndexDatabase>, metricName: string, options: { scenario?: string; actor?: string }): Promise<string[]> {
  const from = metricSource(db, { ...options, metricName });
  const rows = await from.query.select((eb) => eb.ref(from.run).as('run_id')).distinct().orderBy('run_id').execute();
  return rows.map((r) => r.run_id as string);
}

/** Every metric of the given runs summarised per run (all actors): what a comparison puts side by side. */
export async function metricSummaryByRun(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunMetricSummary[]> {
  if (runIds.length === 0) return [];
  const rows = await metricScope(db, { runIds })
    .select((eb) => ['turns.run_id', 'metrics.name', 'turns.turn_num', eb.fn.sum<number>('metrics.value').as('sum'), eb.fn.countAll<number>().as('count')])
    .groupBy(['turns.run_id', 'metrics.name', 'turns.turn_num'])
    .orderBy('metrics.name')
    .orderBy('turns.run_id')
    .orderBy('turns.turn_num')
    .execute();
  const summaries = new Map<string, RunMetricSummary & { sum: number }>();
  for (const r of rows) {
    const key = `${r.name}\u0000${r.run_id}`;
    const count = Number(r.count);
    const sum = Number(r.sum);
    const s = summaries.get(key) ?? { runId: r.run_id, metric: r.name, mean: 0, final: 0, finalTurn: r.turn_num, count: 0, sum: 0 };
    // Rows come in turn order, so the last one seen is the final turn.
    s.sum += sum;
    s.count += count;
    s.final = sum / count;
    s.finalTurn = r.turn_num;
    summaries.set(key, s);
  }
  return [...summaries.values()].map(({ sum, ...s }) => ({ ...s, mean: sum / s.count }));
}

/** Metric names with their record count per scenario, by name then scenario. */
export async function listMetricNames(db: Kysely<IndexDatabase>, options: { scenario?: string }): Promise<Array<{ name: string; scenarioId: string; count: number }>> {
  const query = metricScope(db, { scenario: options.scenario }).select(['metrics.name', 'runs.scenario_id', (eb) => eb.fn.countAll<number>().as('n')]);
  const rows = await query.groupBy(['metrics.name', 'runs.scenario_id']).orderBy('metrics.name').orderBy('runs.scenario_id').execute();
  return rows.map((r) => ({ name: r.name, scenarioId: r.scenario_id, count: Number(r.n) }));
}

/** Actors that have records of a metric (empty for whole-scenario metrics). */
export async function listMetricActors(db: Kysely<IndexDatabase>, metricName: string, options: { scenario?: string }): Promise<string[]> {
  const rows = await metricScope(db, { metricName, scenario: options.scenario })
    .innerJoin('sl_metric_actors', 'sl_metric_actors.metric_id', 'metrics.id')
    .select('sl_metric_actors.actor')
    .distinct()
    .orderBy('sl_metric_actors.actor')
    .execute();
  return rows.map((r) => r.actor);
}
