/**
 * The questions a hover in a run's markdown asks the index. Filters by run go through
 * `turn_id IN (SELECT id FROM turns WHERE run_id = ?)`: with a join, sql.js's planner starts
 * from the metric or actor index and reads every run's rows (100 ms instead of 0.3 ms at 1,000 runs). Each answer is one or two indexed
 * queries; the extension caches `runFileContext` and `scenarioMetricSummary` until the index
 * changes, so a hover costs `linePlace` + `runMetricSeries` (or `actorDecision`).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { engineOf } from '../db/engineOf';
import { linePlaceSql } from '../db/linePlace';
import type { IndexDatabase } from '../db/schema';
import type { MetricDefinition, ScenarioDefinition } from '../format/records';
import { toSource, withOrigin } from './originJoin';
import type { SourceLocation } from './types';

export interface RunFileContext {
  folderId: number;
  folderKey: string;
  format: string;
  runId: string | null;
  scenarioId: string | null;
  /** metrics.yaml of the run's scenario; empty when the definition is not indexed. */
  metrics: MetricDefinition[];
  /** Actors with a decision in this run. */
  actors: string[];
}

export interface LinePlace {
  turnNum: number | null;
  decisionId: number | null;
  actor: string | null;
}

export interface MetricPoint {
  turnNum: number;
  actor: string | null;
  value: number;
}

export interface MetricSummary {
  runCount: number;
  overall: { avg: number | null; min: number | null; max: number | null; count: number };
  byTurn: Map<number, { avg: number; min: number; max: number; count: number }>;
}

/** The run folder a markdown file belongs to (its parent folder), or undefined when that is not an indexed run folder. */
export async function runFileContext(db: Kysely<IndexDatabase>, fileKey: string): Promise<RunFileContext | undefined> {
  const folderKey = fileKey.includes('/') ? fileKey.slice(0, fileKey.lastIndexOf('/')) : '';
  const folder = await db
    .selectFrom('sl_folders')
    .leftJoin('runs', 'runs.id', 'sl_folders.run_id')
    .select(['sl_folders.id', 'sl_folders.format', 'sl_folders.run_id', 'sl_folders.scenario_name', 'sl_folders.scenario_dir', 'runs.scenario_id'])
    .where('sl_folders.path', '=', folderKey)
    .executeTakeFirst();
  if (!folder) return undefined;
  const chosen = await scenarioDefinitionOf(db, folder.scenario_name, folder.scenario_dir);
  const actors = folder.run_id
    ? await db
        .selectFrom('decisions')
        .select('actor')
        .distinct()
        .where('turn_id', 'in', (eb) => eb.selectFrom('turns').select('id').where('run_id', '=', folder.run_id))
        .orderBy('actor')
        .execute()
    : [];
  return {
    folderId: folder.id,
    folderKey,
    format: folder.format,
    runId: folder.run_id,
    scenarioId: folder.scenario_id ?? folder.scenario_name,
    metrics: chosen ? (JSON.parse(chosen.definition) as ScenarioDefinition).metrics : [],
    actors: actors.map((a) => a.actor),
  };
}

/**
 * The scenario definition of a run: by the scenario name the run recorded; when two scenario
 * folders share that name, the one named like the run's output folder (`output/<dir>/run-NNN`).
 * A run may record a name its scenario.yaml no longer has (renamed since, or edited by hand): then
 * the run's own scenario folder decides, so its metrics still have definitions.
 */
async function scenarioDefinitionOf(db: Kysely<IndexDatabase>, name: string | null, dir: string | null): Promise<{ dir: string; definition: string } | undefined> {
  const byName = name ? await db.selectFrom('sl_scenarios').select(['dir', 'definition']).where('name', '=', name).execute() : [];
  const inDir = (d: { dir: string }) => dir !== null && d.dir.split('/').pop() === dir;
  const chosen = byName.find(inDir) ?? byName[0];
  if (chosen || dir === null) return chosen;
  // Few scenario definitions exist (one per scenario folder), so reading their dirs is cheap.
  const all = await db.selectFrom('sl_scenarios').select(['dir', 'definition']).execute();
  return all.find(inDir);
}

export async function linePlace(db: Kysely<IndexDatabase>, folderId: number, fileKey: string, line: number): Promise<LinePlace | undefined> {
  const result = await db.executeQuery<{ turn_num: number | null; decision_id: number | null; actor: string | null }>(
    CompiledQuery.raw(linePlaceSql(engineOf(db)), [folderId, fileKey, line]),
  );
  const row = result.rows[0];
  return row ? { turnNum: row.turn_num, decisionId: row.decision_id, actor: row.actor } : undefined;
}

/** Every record of one metric in one run, in turn order (uses ix_turns_run_id and sl_ix_metrics_name_turn). */
export async function runMetricSeries(db: Kysely<IndexDatabase>, runId: string, metric: string): Promise<MetricPoint[]> {
  const rows = await db
    .selectFrom('metrics')
    .innerJoin('turns', 'turns.id', 'metrics.turn_id')
    // The actor the files record (Scenario Lab's metrics.actor is NULL for extracted per-actor metrics).
    .leftJoin('sl_metric_actors', 'sl_metric_actors.metric_id', 'metrics.id')
    .select(['turns.turn_num', 'sl_metric_actors.actor', 'metrics.value'])
    .where('metrics.turn_id', 'in', (eb) => eb.selectFrom('turns').select('id').where('run_id', '=', runId))
    .where('metrics.name', '=', metric)
    .orderBy('turns.turn_num')
    .orderBy('metrics.id')
    .execute();
  return rows.map((r) => ({ turnNum: r.turn_num, actor: r.actor, value: r.value }));
}

/** The metric across every run of the scenario: per turn and overall. */
export async function scenarioMetricSummary(db: Kysely<IndexDatabase>, scenarioId: string, metric: string): Promise<MetricSummary> {
  const rows = await db
    .selectFrom('metrics')
    .innerJoin('turns', 'turns.id', 'metrics.turn_id')
    .select((eb) => [
      'turns.turn_num',
      eb.fn.avg<number>('metrics.value').as('avg'),
      eb.fn.min<number>('metrics.value').as('min'),
      eb.fn.max<number>('metrics.value').as('max'),
      eb.fn.sum<number>('metrics.value').as('sum'),
      eb.fn.countAll<number>().as('count'),
      eb.fn.count<number>('turns.run_id').distinct().as('runs'),
    ])
    .where('metrics.name', '=', metric)
    .where('turns.run_id', 'in', (eb) => eb.selectFrom('runs').select('runs.id').where('runs.scenario_id', '=', scenarioId))
    .groupBy('turns.turn_num')
    .execute();
  const count = rows.reduce((n, r) => n + Number(r.count), 0);
  const sum = rows.reduce((n, r) => n + Number(r.sum), 0);
  return {
    // Turn 1 exists in every run that recorded the metric at all, so its run count is the scenario's.
    runCount: rows.reduce((n, r) => Math.max(n, Number(r.runs)), 0),
    overall: {
      avg: count > 0 ? sum / count : null,
      min: rows.length > 0 ? Math.min(...rows.map((r) => r.min)) : null,
      max: rows.length > 0 ? Math.max(...rows.map((r) => r.max)) : null,
      count,
    },
    byTurn: new Map(rows.map((r) => [r.turn_num, { avg: r.avg, min: r.min, max: r.max, count: Number(r.count) }])),
  };
}

export async function actorDecision(
  db: Kysely<IndexDatabase>,
  runId: string,
  turnNum: number,
  actor: string,
): Promise<{ action: string; source: SourceLocation | undefined } | undefined> {
  const row = await db
    .selectFrom('decisions')
    .$call((q) => withOrigin(q, 'decisions'))
    .select('decisions.action')
    .where('decisions.turn_id', 'in', (eb) => eb.selectFrom('turns').select('id').where('run_id', '=', runId).where('turn_num', '=', turnNum))
    .where('decisions.actor', '=', actor)
    .executeTakeFirst();
  if (!row) return undefined;
  return { action: row.action ?? '', source: toSource(row) };
}
