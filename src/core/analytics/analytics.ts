/**
 * The analytics questions of Scenario Lab's database guide, as typed functions over Kysely.
 * This is the only module with queries: the CLI, the extension and the webviews all ask it.
 *
 * Semantics follow Scenario Lab's `Database` class (docs/format.md#query-api) where it answers the guide's
 * question (filters apply only when given, inner joins, counts of stored rows), and the guide's
 * names where the two disagree (docs/format.md#guide-vs-code).
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { actorStrategy, type ActorStrategyOptions } from './actorStrategy';
import { folderFigures, statisticsTargets } from './folderStatistics';
import { findExperiments, listExperiments, variationStatistics, type VariationStatisticsOptions } from './experiments';
import { declaredMetricRange, metricChartChoices } from './metricDistribution';
import { countAnnotations, listAnnotations, type AnnotationFilters } from './annotations';
import type { Analytics } from './analyticsApi';
import { actorDecision, linePlace, runFileContext, runMetricSeries, scenarioMetricSummary } from './hoverQueries';
import { filterRuns, type RunFilter } from './runFilter';
import { experimentMetricNames, variationEvolution, worldStateSource, worldStateSources, type VariationEvolutionOptions } from './variationEvolution';
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
  RunSummary,
  SourceLocation,
  Turn,
  TurnCost,
} from './types';

export type { Analytics } from './analyticsApi';

/** The analytics facade over one Kysely instance (the index's, or the worker client's). */
export function createAnalytics(db: Kysely<IndexDatabase>): Analytics {
  return {
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
    queryDecisionsForActorPage: (actor: string, options: { scenario?: string }, page: { offset: number; limit: number }) =>
      listDecisionsPage(db, { actor, scenario: options.scenario }, page),
    queryMetrics: (filters: MetricFilters = {}) => queryMetrics(db, filters),
    queryMetricsPage: (filters: MetricFilters, page: { offset: number; limit: number }) => queryMetricsPage(db, filters, page),
    metricSeriesByRun: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricSeriesByRun(db, metricName, options),
    metricSummaryByRun: (runIds: readonly string[]) => metricSummaryByRun(db, runIds),
    getRunStatistics: (runId: string) => getRunStatistics(db, runId),
    runStatisticsPerFolder: (key: string) => runStatisticsPerFolder(db, [key]),
    compareRuns: (runIds: readonly string[]) => compareRuns(db, runIds),
    aggregateMetrics: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      aggregateMetrics(db, metricName, options),
    metricEvolution: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricEvolution(db, metricName, options),
    costByTurn: (runId: string) => costByTurn(db, runId),
    /** The range metrics.yaml declares for a metric (in one scenario, or spanning all); undefined when none does. */
    declaredMetricRange: (metricName: string, scenario?: string) => declaredMetricRange(db, metricName, scenario),
    /** Every metric name, and the scenarios that have `metricName` (cheap reads for the chart's choices). */
    metricChartChoices: (metricName: string) => metricChartChoices(db, metricName),
    listProblems: () => listProblems(db),
    folderActivity: () => folderActivity(db),
    runIdClashes: () => runIdClashes(db),
    listExperiments: () => listExperiments(db),
    findExperiments: (experiment: string) => findExperiments(db, experiment),
    variationStatistics: (experiment: string, options: VariationStatisticsOptions = {}) => variationStatistics(db, experiment, options),
    filterRuns: (filter: RunFilter) => filterRuns(db, filter),
    experimentMetricNames: (experimentFolder: string) => experimentMetricNames(db, experimentFolder),
    variationEvolution: (experimentFolder: string, metric: string, options: VariationEvolutionOptions = {}) => variationEvolution(db, experimentFolder, metric, options),
    worldStateSource: (folder: string, turn: number) => worldStateSource(db, folder, turn),
    worldStateSources: (wanted: ReadonlyArray<{ folder: string; turn: number }>) => worldStateSources(db, wanted),
    runFileContext: (fileKey: string) => runFileContext(db, fileKey),
    linePlace: (folderId: number, fileKey: string, line: number) => linePlace(db, folderId, fileKey, line),
    runMetricSeries: (runId: string, metric: string) => runMetricSeries(db, runId, metric),
    scenarioMetricSummary: (scenarioId: string, metric: string) => scenarioMetricSummary(db, scenarioId, metric),
    actorDecision: (runId: string, turnNum: number, actor: string) => actorDecision(db, runId, turnNum, actor),
    listAnnotations: (filters: AnnotationFilters = {}) => listAnnotations(db, filters),
    countAnnotations: (runId: string) => countAnnotations(db, runId),
    /** One actor's decisions compared across variations, runs or scenarios (actorStrategy.ts). */
    actorStrategy: (actor: string, options: ActorStrategyOptions = {}) => actorStrategy(db, actor, options),
  };
}

// ------------------------------------------------------------------------------------------ runs

async function getRun(db: Kysely<IndexDatabase>, runId: string): Promise<Run | undefined> {
  const row = await db.selectFrom('runs').select([...RUN_COLUMNS, 'config']).where('id', '=', runId).executeTakeFirst();
  if (!row) return undefined;
  const folders = await folderQuery(db).where('run_id', '=', runId).orderBy('path').execute();
  return { ...toRunSummary(row, folders.map(toRunFolder)), config: parseJson(row.config, null) };
}

async function getRunByFolder(db: Kysely<IndexDatabase>, folderPath: string): Promise<Run | undefined> {
  const folder = await db.selectFrom('sl_folders').select('run_id').where('path', '=', folderPath).executeTakeFirst();
  return folder?.run_id ? getRun(db, folder.run_id) : undefined;
}

/** The guide's list_runs: newest first (by `created`), optionally one scenario. */
async function listRuns(db: Kysely<IndexDatabase>, options: { scenarioId?: string }): Promise<RunSummary[]> {
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

async function listFolders(db: Kysely<IndexDatabase>): Promise<RunFolder[]> {
  return (await folderQuery(db).orderBy('path').execute()).map(toRunFolder);
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
    .leftJoin('sl_files as origin_files', 'origin_files.id', 'sl_origins.file_id')
    .select(ORIGIN_COLUMNS)
    .select(['turns.id', 'turns.run_id', 'turns.turn_num', 'turns.timestamp', 'turns.world_state'])
    .where('turns.run_id', '=', runId)
    .orderBy('turns.turn_num')
    .orderBy('turns.id')
    .execute();
  return rows.map((r) => ({ id: r.id, runId: r.run_id, turnNum: r.turn_num, timestamp: r.timestamp, worldState: r.world_state, source: toSource(r) }));
}

// ------------------------------------------------------------------------------------- decisions

type DecisionFilter = { runId?: string; turnNum?: number; actor?: string; scenario?: string; ids?: readonly number[] };

/** The decisions a filter selects, joined to their turn and run (from the runs when a filter names them: see metricJoin). */
function decisionScope(db: Kysely<IndexDatabase>, filter: DecisionFilter) {
  let query =
    filter.scenario || filter.runId
      ? db.selectFrom('runs').crossJoin('turns').crossJoin('decisions').whereRef('turns.run_id', '=', 'runs.id').whereRef('decisions.turn_id', '=', 'turns.id')
      : db.selectFrom('decisions').innerJoin('turns', 'turns.id', 'decisions.turn_id').innerJoin('runs', 'runs.id', 'turns.run_id');
  if (filter.actor !== undefined) query = query.where('decisions.actor', '=', filter.actor);
  if (filter.runId) query = query.where('runs.id', '=', filter.runId);
  if (filter.turnNum !== undefined) query = query.where('turns.turn_num', '=', filter.turnNum);
  if (filter.scenario) query = query.where('runs.scenario_id', '=', filter.scenario);
  if (filter.ids) query = query.where('decisions.id', 'in', [...filter.ids]);
  return query;
}

/** The guide's order (turn number), made total by run and row id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function decisionOrder<Q extends { orderBy: (...args: any[]) => Q }>(query: Q): Q {
  return query.orderBy('turns.turn_num').orderBy('turns.run_id').orderBy('decisions.id');
}

async function listDecisions(db: Kysely<IndexDatabase>, filter: DecisionFilter): Promise<Decision[]> {
  const rows = await decisionOrder(
    decisionScope(db, filter)
      .leftJoin('sl_origins', (join) => join.onRef('sl_origins.row_id', '=', 'decisions.id').on('sl_origins.tbl', '=', 'decisions'))
    .leftJoin('sl_files as origin_files', 'origin_files.id', 'sl_origins.file_id')
      .select(ORIGIN_COLUMNS)
      .select(['decisions.id', 'turns.run_id', 'turns.turn_num', 'decisions.actor', 'decisions.goals', 'decisions.reasoning', 'decisions.action', 'decisions.timestamp']),
  ).execute();
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

/**
 * One page of decisions in the guide's order. The order is decided on the row ids alone, and the
 * texts (kilobytes per decision) are read for the page's rows only.
 */
async function listDecisionsPage(db: Kysely<IndexDatabase>, filter: DecisionFilter, page: { offset: number; limit: number }): Promise<Page<Decision>> {
  const { offset, limit } = pageBounds(page);
  const ids = await decisionOrder(decisionScope(db, filter).select(['decisions.id', TOTAL_ROWS])).limit(limit).offset(offset).execute();
  const rows = ids.length === 0 ? [] : await listDecisions(db, { ids: ids.map((r) => r.id) });
  const total = await totalOf(ids, () => decisionScope(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  return { offset, limit, total, rows };
}

/**
 * Counted in the same pass as a page's ids: the window sees every matching row before LIMIT
 * applies. A page past the end carries no row, hence no total: it counts on its own.
 */
const TOTAL_ROWS = sql<number>`count(*) over ()`.as('total');

async function totalOf(page: ReadonlyArray<{ total: number }>, count: () => Promise<{ n: number } | undefined>): Promise<number> {
  return Number(page.length > 0 ? page[0].total : ((await count())?.n ?? 0));
}

function pageBounds(page: { offset: number; limit: number }): { offset: number; limit: number } {
  return { offset: Math.max(0, Math.floor(page.offset)), limit: Math.max(1, Math.floor(page.limit)) };
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
    .leftJoin('sl_files as origin_files', 'origin_files.id', 'sl_origins.file_id')
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

/** query_metrics one page at a time, so a panel never pulls every record of a large workspace; ordered on ids as decisions are. */
async function queryMetricsPage(db: Kysely<IndexDatabase>, filters: MetricFilters, page: { offset: number; limit: number }): Promise<Page<Metric>> {
  const { offset, limit } = pageBounds(page);
  const ids = await metricScope(db, filters).select(['metrics.id', TOTAL_ROWS]).orderBy('metrics.timestamp').orderBy('metrics.id').limit(limit).offset(offset).execute();
  const rows = ids.length === 0 ? [] : await metricRecordQuery(db, {}).where('metrics.id', 'in', ids.map((r) => r.id)).execute();
  const total = await totalOf(ids, () => metricScope(db, filters).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  return { offset, limit, total, rows: rows.map(toMetric) };
}

function metricRecordQuery(db: Kysely<IndexDatabase>, filters: MetricFilters) {
  return metricScope(db, filters)
    .leftJoin('sl_origins', (join) => join.onRef('sl_origins.row_id', '=', 'metrics.id').on('sl_origins.tbl', '=', 'metrics'))
    .leftJoin('sl_files as origin_files', 'origin_files.id', 'sl_origins.file_id')
    .leftJoin('sl_metric_actors', 'sl_metric_actors.metric_id', 'metrics.id')
    .select(ORIGIN_COLUMNS)
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
  return q;
}

/** The guide's aggregate_metrics: avg/min/max/count over every matching row (all actors, all turns). */
async function aggregateMetrics(
  db: Kysely<IndexDatabase>,
  metricName: string,
  options: { scenario?: string; actor?: string; runIds?: readonly string[] },
): Promise<MetricAggregate> {
  const row = await metricScope(db, { ...options, metricName })
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
  const rows = await metricScope(db, { ...options, metricName })
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
  const rows = await metricScope(db, { ...options, metricName })
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

async function listMetricNames(db: Kysely<IndexDatabase>, options: { scenario?: string }): Promise<Array<{ name: string; scenarioId: string; count: number }>> {
  const query = metricScope(db, { scenario: options.scenario }).select(['metrics.name', 'runs.scenario_id', (eb) => eb.fn.countAll<number>().as('n')]);
  const rows = await query.groupBy(['metrics.name', 'runs.scenario_id']).orderBy('metrics.name').orderBy('runs.scenario_id').execute();
  return rows.map((r) => ({ name: r.name, scenarioId: r.scenario_id, count: Number(r.n) }));
}

/** Actors that have records of a metric (empty for whole-scenario metrics). */
async function listMetricActors(db: Kysely<IndexDatabase>, metricName: string, options: { scenario?: string }): Promise<string[]> {
  const rows = await metricScope(db, { metricName, scenario: options.scenario })
    .innerJoin('sl_metric_actors', 'sl_metric_actors.metric_id', 'metrics.id')
    .select('sl_metric_actors.actor')
    .distinct()
    .orderBy('sl_metric_actors.actor')
    .execute();
  return rows.map((r) => r.actor);
}

// ---------------------------------------------------------------------------------- statistics

/**
 * The guide's get_run_statistics, plus cost by actor and model, and tokens: the figures of the run
 * as Scenario Lab's tables hold it (every folder carrying the id merged). What people are shown goes
 * through runStatisticsPerFolder, which never merges folders.
 */
async function getRunStatistics(db: Kysely<IndexDatabase>, runId: string): Promise<RunStatistics | undefined> {
  return (await wholeRunStatistics(db, [runId]))[0];
}

/**
 * Statistics for each argument (a run id or a run folder path, see statisticsTargets), in argument
 * order: one entry for a run id carried by one folder, one entry per folder for a run id that
 * several folders carry (each with `folder` set), none for an argument that names nothing.
 */
async function runStatisticsPerFolder(db: Kysely<IndexDatabase>, keys: readonly string[]): Promise<RunStatistics[]> {
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
async function compareRuns(db: Kysely<IndexDatabase>, runIds: readonly string[]): Promise<RunComparison> {
  return { runs: await runStatisticsPerFolder(db, runIds) };
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
  'origin_files.path as origin_file',
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
