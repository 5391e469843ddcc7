/**
 * The analytics calls the benchmarks time, and how: steady-state p50/p90 over `iterations` calls
 * after a first call, on any index that offers the analytics API and Kysely (the worker client,
 * the embedded index, the shared PostgreSQL index).
 */
import type { Kysely } from 'kysely';
import { performance } from 'node:perf_hooks';
import type { Analytics } from '../core/analytics/analytics';
import { RUNNING } from '../core/analytics/runProgress';
import type { IndexDatabase } from '../core/db/schema';

/** What the timed calls need of an index. */
export interface QueryTarget {
  analytics: Pick<Analytics, 'listMetricNames' | 'listActors' | 'listMetricRunIds' | 'listRuns' | 'listRunIds' | 'listRunNames' | 'listFolders' | 'folderActivity' | 'getRunStatistics' | 'compareRuns' | 'aggregateMetrics' | 'metricEvolution' | 'queryDecisionsForActorPage' | 'queryMetricsPage' | 'queryDecisionsForActor' | 'queryMetrics'>;
  kysely: Kysely<IndexDatabase>;
}

export interface Latency {
  name: string;
  rows: number;
  p50: number;
  p90: number;
  max: number;
}

export async function queryLatencies(client: QueryTarget, iterations: number): Promise<Latency[]> {
  const a = client.analytics;
  const [metric] = await a.listMetricNames();
  const [actor] = await a.listActors({ scenario: metric.scenarioId });
  const runIds = (await client.kysely.selectFrom('runs').select('id').orderBy('id').limit(10).execute()).map((r) => r.id);
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['listRuns', () => a.listRuns()],
    // What the views ask instead of every run with every field: the hover's ids, the trees' run names, the Runs tree's folders without a run.
    ['listRunIds (one scenario)', () => a.listRunIds({ scenarioId: metric.scenarioId })],
    ['listRunNames (one scenario)', () => a.listRunNames({ scenarioId: metric.scenarioId })],
    ['listFolders (without a run)', () => a.listFolders({ withoutRun: true })],
    // The Metrics view's runs of a metric in a scenario, before it reads the records of one page of them.
    ['listMetricRunIds (name+scenario)', () => a.listMetricRunIds(metric.name, { scenario: metric.scenarioId })],
    // The Runs tree's third call on every refresh: all folders, and the folders of `running` runs it asks for.
    ['folderActivity', () => a.folderActivity()],
    ['folderActivity (running runs)', () => a.folderActivity({ runStatus: RUNNING })],
    ['getRunStatistics', () => a.getRunStatistics(runIds[0])],
    ['compareRuns (10 runs)', () => a.compareRuns(runIds)],
    ['aggregateMetrics', () => a.aggregateMetrics(metric.name, { scenario: metric.scenarioId })],
    ['metricEvolution', () => a.metricEvolution(metric.name, { scenario: metric.scenarioId })],
    // The views and panels page these two (100 rows); the full lists are what the CLI and exports read.
    ['queryDecisionsForActorPage (first 100)', () => a.queryDecisionsForActorPage(actor.actor, { scenario: metric.scenarioId }, { offset: 0, limit: 100 })],
    ['queryMetricsPage (name+scenario, first 100)', () => a.queryMetricsPage({ metricName: metric.name, scenario: metric.scenarioId }, { offset: 0, limit: 100 })],
    ['queryDecisionsForActor (all)', () => a.queryDecisionsForActor(actor.actor, { scenario: metric.scenarioId })],
    ['queryMetrics (name+scenario, all)', () => a.queryMetrics({ metricName: metric.name, scenario: metric.scenarioId })],
  ];
  const out: Latency[] = [];
  for (const [name, call] of calls) out.push(await latencyOf(name, call, iterations));
  return out;
}

async function latencyOf(name: string, call: () => Promise<unknown>, iterations: number): Promise<Latency> {
  const first = await call(); // the first call prepares statements; the issue asks for steady-state latency
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) times.push((await timed(call)).ms);
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { name, rows: rowCount(first), p50: at(0.5), p90: at(0.9), max: times[times.length - 1] };
}

function rowCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const list = (result as { runs?: unknown[]; rows?: unknown[] } | undefined);
  const rows = list?.runs ?? list?.rows;
  return Array.isArray(rows) ? rows.length : 1;
}


export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
