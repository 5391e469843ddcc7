/**
 * The analytics questions of Scenario Lab's database guide, as typed functions over Kysely.
 * This is the only module with queries: the CLI, the extension and the webviews all ask it.
 *
 * Semantics follow Scenario Lab's `Database` class (spec §9.5) where it answers the guide's
 * question (filters apply only when given, inner joins, counts of stored rows), and the guide's
 * names where the two disagree (spec §13).
 */
import { sql, type Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import type {
  Communication,
  FolderActivity,
  Decision,
  IndexProblem,
  Metric,
  MetricAggregate,
  MetricEvolutionPoint,
  MetricFilters,
  Page,
  Run,
  RunComparison,
  RunFolder,
  RunMetricPoint,
  RunMetricSummary,
  RunStatistics,
  SourceLocation,
  Turn,
  TurnCost,
} from './types';

export type Analytics = ReturnType<typeof createAnalytics>;

export function createAnalytics(db: Kysely<IndexDatabase>) {
  return {
    /** Direct Kysely access for questions the API does not answer (the guide's "using SQLAlchemy directly"). */
    db,
    getRun: (runId: string) => getRun(db, runId),
    getRunByFolder: (folderPath: string) => getRunByFolder(db, folderPath),
    listRuns: (options: { scenarioId?: string } = {}) => listRuns(db, options),
    listFolders: () => listFolders(db),
    listScenarios: () => listScenarios(db),
    listActors: (options: { scenario?: string } = {}) => listActors(db, options),
    listMetricNames: (options: { scenario?: string } = {}) => listMetricNames(db, options),
    listMetricActors: (metricName: string, options: { scenario?: string } = {}) => listMetricActors(db, metricName, options),
    listTurns: (runId: string) => listTurns(db, runId),
    listDecisions: (runId: string, turnNum?: number) => listDecisions(db, { runId, turnNum }),
    listCommunications: (runId: string, turnNum?: number) => listCommunications(db, runId, turnNum),
    queryDecisionsForActor: (actor: string, options: { scenario?: string } = {}) => listDecisions(db, { actor, scenario: options.scenario }),
    queryMetrics: (filters: MetricFilters = {}) => queryMetrics(db, filters),
    queryMetricsPage: (filters: MetricFilters, page: { offset: number; limit: number }) => queryMetricsPage(db, filters, page),
    metricSeriesByRun: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricSeriesByRun(db, metricName, options),
    metricSummaryByRun: (runIds: readonly string[]) => metricSummaryByRun(db, runIds),
    getRunStatistics: (runId: string) => getRunStatistics(db, runId),
    compareRuns: (runIds: readonly string[]) => compareRuns(db, runIds),
    aggregateMetrics: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      aggregateMetrics(db, metricName, options),
    metricEvolution: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricEvolution(db, metricName, options),
    costByTurn: (runId: string) => costByTurn(db, runId),
    listProblems: () => listProblems(db),
    folderActivity: () => folderActivity(db),
    runIdClashes: () => runIdClashes(db),
  };
}

// ------------------------------------------------------------------------------------------ runs

async function getRun(db: Kysely<IndexDatabase>, runId: string): Promise<Run | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!row) return undefined;
  const folders = await folderQuery(db).where('run_id', '=', runId).orderBy('path').execute();
  return toRun(row, folders.map(toRunFolder));
}

async function getRunByFolder(db: Kysely<IndexDatabase>, folderPath: string): Promise<Run | undefined> {
  const folder = await db.selectFrom('sl_folders').select('run_id').where('path', '=', folderPath).executeTakeFirst();
  return folder?.run_id ? getRun(db, folder.run_id) : undefined;
}

/** The guide's list_runs: newest first (by `created`), optionally one scenario. */
async function listRuns(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<Run[]> {
  let query = db.selectFrom('runs').selectAll();
  if (options.scenarioId) query = query.where('scenario_id', '=', options.scenarioId);
  const rows = await query.orderBy('created', 'desc').orderBy('id').execute();
  const folders = await folderQuery(db).where('run_id', 'is not', null).orderBy('path').execute();
  const byRun = new Map<string, RunFolder[]>();
  for (const f of folders) {
    const list = byRun.get(f.run_id!) ?? [];
    list.push(toRunFolder(f));
    byRun.set(f.run_id!, list);
  }
  return rows.map((row) => toRun(row, byRun.get(row.id) ?? []));
}

async function listFolders(db: Kysely<IndexDatabase>): Promise<RunFolder[]> {
  return (await folderQuery(db).orderBy('path').execute()).map(toRunFolder);
}

function folderQuery(db: Kysely<IndexDatabase>) {
  return db.selectFrom('sl_folders').selectAll();
}

type RunRow = { id: string; scenario_id: string; scenario_name: string; created: string; status: string; total_turns: number; total_cost: number; config: string | null };
type FolderRow = Awaited<ReturnType<ReturnType<typeof folderQuery>['execute']>>[number];

function toRun(row: RunRow, folders: RunFolder[]): Run {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    scenarioName: row.scenario_name,
    created: row.created,
    status: row.status,
    totalTurns: row.total_turns,
    totalCost: row.total_cost,
    config: parseJson(row.config, null),
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
    error: f.error,
    totalCost: f.total_cost,
    pending: f.pending === 1,
  };
}

async function listScenarios(db: Kysely<IndexDatabase>): Promise<Array<{ scenarioId: string; runCount: number }>> {
  const rows = await db
    .selectFrom('runs')
    .select(['scenario_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('scenario_id')
    .orderBy('scenario_id')
    .execute();
  return rows.map((r) => ({ scenarioId: r.scenario_id, runCount: Number(r.n) }));
}

// ----------------------------------------------------------------------------------------- turns

async function listTurns(db: Kysely<IndexDatabase>, runId: string): Promise<Turn[]> {
  const rows = await db
    .selectFrom('turns')
    .leftJoin('sl_origins', (join) => join.onRef('sl_origins.row_id', '=', 'turns.id').on('sl_origins.tbl', '=', 'turns'))
    .select(ORIGIN_COLUMNS)
    .select(['turns.id', 'turns.run_id', 'turns.turn_num', 'turns.timestamp', 'turns.world_state'])
    .where('turns.run_id', '=', runId)
    .orderBy('turns.turn_num')
    .orderBy('turns.id')
    .execute();
  return rows.map((r) => ({ id: r.id, runId: r.run_id, turnNum: r.turn_num, timestamp: r.timestamp, worldState: r.world_state, source: toSource(r) }));
}

// ------------------------------------------------------------------------------------- decisions

async function listDecisions(
  db: Kysely<IndexDatabase>,
  filter: { runId?: string; turnNum?: number; actor?: string; scenario?: string },
): Promise<Decision[]> {
  let query = db
    .selectFrom('decisions')
    .innerJoin('turns', 'turns.id', 'decisions.turn_id')
    .innerJoin('runs', 'runs.id', 'turns.run_id')
    .leftJoin('sl_origins', (join) => join.onRef('sl_origins.row_id', '=', 'decisions.id').on('sl_origins.tbl', '=', 'decisions'))
    .select(ORIGIN_COLUMNS)
    .select([
      'decisions.id',
      'turns.run_id',
      'turns.turn_num',
      'decisions.actor',
      'decisions.goals',
      'decisions.reasoning',
      'decisions.action',
      'decisions.timestamp',
    ]);
  if (filter.actor !== undefined) query = query.where('decisions.actor', '=', filter.actor);
  if (filter.runId) query = query.where('turns.run_id', '=', filter.runId);
  if (filter.turnNum !== undefined) query = query.where('turns.turn_num', '=', filter.turnNum);
  if (filter.scenario) query = query.where('runs.scenario_id', '=', filter.scenario);
  const rows = await query.orderBy('turns.turn_num').orderBy('turns.run_id').orderBy('decisions.id').execute();
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    turnNum: r.turn_num,
    actor: r.actor,
    goals: parseJson<string[]>(r.goals, []),
    reasoning: r.reasoning ?? '',
    action: r.action ?? '',
    timestamp: r.timestamp,
    source: toSource(r),
  }));
}

async function listActors(db: Kysely<IndexDatabase>, options: { scenario?: string }): Promise<Array<{ actor: string; scenarioId: string; decisionCount: number }>> {
  let query = db
    .selectFrom('decisions')
    .innerJoin('turns', 'turns.id', 'decisions.turn_id')
    .innerJoin('runs', 'runs.id', 'turns.run_id')
    .select(['decisions.actor', 'runs.scenario_id', (eb) => eb.fn.countAll<number>().as('n')]);
  if (options.scenario) query = query.where('runs.scenario_id', '=', options.scenario);
  const rows = await query.groupBy(['decisions.actor', 'runs.scenario_id']).orderBy('decisions.actor').orderBy('runs.scenario_id').execute();
  return rows.map((r) => ({ actor: r.actor, scenarioId: r.scenario_id, decisionCount: Number(r.n) }));
}

// -------------------------------------------------------------------------------- communications

async function listCommunications(db: Kysely<IndexDatabase>, runId: string, turnNum?: number): Promise<Communication[]> {
  let query = db
    .selectFrom('communications')
    .innerJoin('turns', 'turns.id', 'communications.turn_id')
    // communications has a text primary key; its origin is keyed by the implicit rowid.
    .leftJoin('sl_origins', (join) => join.on(sql<boolean>`sl_origins.row_id = communications.rowid`).on('sl_origins.tbl', '=', 'communications'))
    .select(ORIGIN_COLUMNS)
    .select([
      'communications.id',
      'turns.run_id',
      'turns.turn_num',
      'communications.type',
      'communications.sender',
      'communications.recipients',
      'communications.content',
      'communications.timestamp',
    ])
    .where('turns.run_id', '=', runId);
  if (turnNum !== undefined) query = query.where('turns.turn_num', '=', turnNum);
  const rows = await query.orderBy('turns.turn_num').orderBy('communications.timestamp').execute();
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    turnNum: r.turn_num,
    type: r.type,
    sender: r.sender,
    recipients: parseJson<string[]>(r.recipients, []),
    content: r.content ?? '',
    timestamp: r.timestamp,
    source: toSource(r),
  }));
}

// --------------------------------------------------------------------------------------- metrics

/** The guide's query_metrics: every filter applies only when given; ordered by record time. */
async function queryMetrics(db: Kysely<IndexDatabase>, filters: MetricFilters): Promise<Metric[]> {
  return (await metricRecordQuery(db, filters).execute()).map(toMetric);
}

/** query_metrics one page at a time, so a panel never pulls every record of a large workspace. */
async function queryMetricsPage(db: Kysely<IndexDatabase>, filters: MetricFilters, page: { offset: number; limit: number }): Promise<Page<Metric>> {
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.max(1, Math.floor(page.limit));
  const counted = await metricFilter(metricJoin(db), filters).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await metricRecordQuery(db, filters).limit(limit).offset(offset).execute();
  return { offset, limit, total: Number(counted?.n ?? 0), rows: rows.map(toMetric) };
}

function metricRecordQuery(db: Kysely<IndexDatabase>, filters: MetricFilters) {
  return metricFilter(
    metricJoin(db).leftJoin('sl_origins', (join) => join.onRef('sl_origins.row_id', '=', 'metrics.id').on('sl_origins.tbl', '=', 'metrics')),
    filters,
  )
    .select(ORIGIN_COLUMNS)
    .select(['metrics.id', 'turns.run_id', 'runs.scenario_id', 'turns.turn_num', 'metrics.name', 'metrics.value', 'metrics.actor', 'metrics.timestamp'])
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
    actor: r.actor,
    timestamp: r.timestamp,
    source: toSource(r),
  };
}

function metricJoin(db: Kysely<IndexDatabase>) {
  return db.selectFrom('metrics').innerJoin('turns', 'turns.id', 'metrics.turn_id').innerJoin('runs', 'runs.id', 'turns.run_id');
}

// Kysely's builder types are deep; the filter only adds where-clauses, so its type is kept generic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function metricFilter<Q extends { where: (...args: any[]) => Q }>(query: Q, filters: MetricFilters): Q {
  let q = query;
  if (filters.metricName) q = q.where('metrics.name', '=', filters.metricName);
  if (filters.scenario) q = q.where('runs.scenario_id', '=', filters.scenario);
  if (filters.actor) q = q.where('metrics.actor', '=', filters.actor);
  if (filters.runIds && filters.runIds.length > 0) q = q.where('turns.run_id', 'in', [...filters.runIds]);
  return q;
}

/** The guide's aggregate_metrics: avg/min/max/count over every matching row (all actors, all turns). */
async function aggregateMetrics(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<MetricAggregate> {
  const row = await metricFilter(metricJoin(db), { ...options, metricName })
    .select((eb) => [
      eb.fn.avg<number>('metrics.value').as('avg'),
      eb.fn.min<number>('metrics.value').as('min'),
      eb.fn.max<number>('metrics.value').as('max'),
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
async function metricEvolution(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<MetricEvolutionPoint[]> {
  const rows = await metricFilter(metricJoin(db), { ...options, metricName })
    .select((eb) => [
      'turns.turn_num',
      eb.fn.avg<number>('metrics.value').as('avg'),
      eb.fn.min<number>('metrics.value').as('min'),
      eb.fn.max<number>('metrics.value').as('max'),
      eb.fn.countAll<number>().as('count'),
    ])
    .groupBy('turns.turn_num')
    .orderBy('turns.turn_num')
    .execute();
  return rows.map((r) => ({ turn: r.turn_num, avg: r.avg, min: r.min, max: r.max, count: Number(r.count) }));
}

/** One line per run: the run's mean value of the metric at each turn (the chart's lines; the band is metricEvolution). */
async function metricSeriesByRun(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<RunMetricPoint[]> {
  const rows = await metricFilter(metricJoin(db), { ...options, metricName })
    .select((eb) => ['turns.run_id', 'turns.turn_num', eb.fn.avg<number>('metrics.value').as('value'), eb.fn.countAll<number>().as('count')])
    .groupBy(['turns.run_id', 'turns.turn_num'])
    .orderBy('turns.run_id')
    .orderBy('turns.turn_num')
    .execute();
  return rows.map((r) => ({ runId: r.run_id, turn: r.turn_num, value: r.value, count: Number(r.count) }));
}

/** Every metric of the given runs summarised per run (all actors): what a comparison puts side by side. */
async function metricSummaryByRun(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunMetricSummary[]> {
  if (runIds.length === 0) return [];
  const rows = await metricJoin(db)
    .select((eb) => ['turns.run_id', 'metrics.name', 'turns.turn_num', eb.fn.sum<number>('metrics.value').as('sum'), eb.fn.countAll<number>().as('count')])
    .where('turns.run_id', 'in', [...runIds])
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

async function listMetricNames(db: Kysely<IndexDatabase>, options: { scenario?: string }): Promise<Array<{ name: string; scenarioId: string; count: number }>> {
  let query = metricJoin(db).select(['metrics.name', 'runs.scenario_id', (eb) => eb.fn.countAll<number>().as('n')]);
  if (options.scenario) query = query.where('runs.scenario_id', '=', options.scenario);
  const rows = await query.groupBy(['metrics.name', 'runs.scenario_id']).orderBy('metrics.name').orderBy('runs.scenario_id').execute();
  return rows.map((r) => ({ name: r.name, scenarioId: r.scenario_id, count: Number(r.n) }));
}

/** Actors that have records of a metric (empty for whole-scenario metrics). */
async function listMetricActors(db: Kysely<IndexDatabase>, metricName: string, options: { scenario?: string }): Promise<string[]> {
  const rows = await metricFilter(metricJoin(db), { metricName, scenario: options.scenario })
    .select('metrics.actor')
    .distinct()
    .where('metrics.actor', 'is not', null)
    .orderBy('metrics.actor')
    .execute();
  return rows.map((r) => r.actor!);
}

// ---------------------------------------------------------------------------------- statistics

/** The guide's get_run_statistics, plus cost by actor and model, and tokens. */
async function getRunStatistics(db: Kysely<IndexDatabase>, runId: string): Promise<RunStatistics | undefined> {
  const run = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) return undefined;
  const counts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('turns').select(eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).as('turns'),
      eb
        .selectFrom('decisions')
        .innerJoin('turns', 'turns.id', 'decisions.turn_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('turns.run_id', '=', runId)
        .as('decisions'),
      eb
        .selectFrom('communications')
        .innerJoin('turns', 'turns.id', 'communications.turn_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('turns.run_id', '=', runId)
        .as('communications'),
      eb
        .selectFrom('metrics')
        .innerJoin('turns', 'turns.id', 'metrics.turn_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('turns.run_id', '=', runId)
        .as('metrics'),
      eb.selectFrom('sl_annotations').select(eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).as('annotations'),
    ])
    .executeTakeFirstOrThrow();
  const costs = await db
    .selectFrom('costs')
    .select(['phase', 'actor', 'model', (eb) => eb.fn.sum<number>('cost').as('total'), (eb) => eb.fn.sum<number>('input_tokens').as('input'), (eb) => eb.fn.sum<number>('output_tokens').as('output')])
    .where('run_id', '=', runId)
    .groupBy(['phase', 'actor', 'model'])
    .execute();
  const input = costs.reduce((n, c) => n + Number(c.input), 0);
  const output = costs.reduce((n, c) => n + Number(c.output), 0);
  return {
    runId: run.id,
    scenarioName: run.scenario_name,
    status: run.status,
    turnCount: Number(counts.turns),
    decisionCount: Number(counts.decisions),
    communicationCount: Number(counts.communications),
    metricCount: Number(counts.metrics),
    annotationCount: Number(counts.annotations),
    totalCost: run.total_cost,
    costByPhase: sumBy(costs, 'phase').map(([phase, total]) => ({ phase, total })),
    costByActor: sumBy(costs, 'actor').map(([actor, total]) => ({ actor, total })),
    costByModel: sumBy(costs, 'model').map(([model, total]) => ({ model, total })),
    tokens: { input, output, total: input + output },
    created: run.created,
  };
}

/** Sums cost rows by one key, in key order. */
function sumBy<K extends 'phase' | 'actor' | 'model'>(rows: Array<Record<K, string> & { total: number }>, key: K): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r[key], (totals.get(r[key]) ?? 0) + Number(r.total));
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The guide's compare_runs: statistics of each existing run, in the order asked; unknown ids skipped. */
async function compareRuns(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunComparison> {
  // Issued together so that, over the worker, the queries queue back to back instead of one round trip each.
  const all = await Promise.all([...new Set(runIds)].map((id) => getRunStatistics(db, id)));
  return { runs: all.filter((stats): stats is RunStatistics => stats !== undefined) };
}

/**
 * Cost per turn. Cost records carry no turn number, so each record is attributed to the first
 * turn whose timestamp is at or after it (turn rows are stamped with the turn's last record).
 */
async function costByTurn(db: Kysely<IndexDatabase>, runId: string): Promise<TurnCost[]> {
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

// ---------------------------------------------------------------------------------- bookkeeping

async function listProblems(db: Kysely<IndexDatabase>): Promise<IndexProblem[]> {
  const rows = await db
    .selectFrom('sl_problems')
    .leftJoin('sl_folders', 'sl_folders.id', 'sl_problems.folder_id')
    .select(['sl_problems.file', 'sl_problems.line', 'sl_problems.severity', 'sl_problems.message', 'sl_folders.path'])
    .orderBy('sl_problems.file')
    .orderBy('sl_problems.line')
    .execute();
  return rows.map((r) => ({ file: r.file, line: r.line, severity: r.severity as IndexProblem['severity'], message: r.message, folder: r.path }));
}

/** When each run folder's files last changed (newest file mtime): whether a `running` run is still being written. */
async function folderActivity(db: Kysely<IndexDatabase>): Promise<FolderActivity[]> {
  const rows = await db
    .selectFrom('sl_files')
    .innerJoin('sl_folders', 'sl_folders.id', 'sl_files.folder_id')
    .select(['sl_folders.path', (eb) => eb.fn.max<number>('sl_files.mtime_ms').as('last')])
    .groupBy('sl_folders.path')
    .orderBy('sl_folders.path')
    .execute();
  return rows.map((r) => ({ folder: r.path, lastModifiedMs: Number(r.last) }));
}

/** Run ids carried by more than one folder: resumed runs, parallel batch runs, or a copied run folder. */
async function runIdClashes(db: Kysely<IndexDatabase>): Promise<Array<{ runId: string; folders: string[] }>> {
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

// -------------------------------------------------------------------------------------- helpers

const ORIGIN_COLUMNS = [
  'sl_origins.file as origin_file',
  'sl_origins.start_line as origin_start',
  'sl_origins.end_line as origin_end',
  'sl_origins.focus_line as origin_focus',
] as const;

function toSource(row: { origin_file: string | null; origin_start: number | null; origin_end: number | null; origin_focus: number | null }): SourceLocation | undefined {
  if (!row.origin_file || row.origin_start === null) return undefined;
  return { file: row.origin_file, startLine: row.origin_start, endLine: row.origin_end ?? row.origin_start, focusLine: row.origin_focus ?? row.origin_start };
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
