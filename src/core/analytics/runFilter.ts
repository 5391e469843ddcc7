/**
 * The guide's "efficient runs" question in general form: the run folders of a scenario or an
 * experiment whose final metric values meet thresholds (`cooperation_level>=0.7`) and whose cost
 * stays under a limit. Conditions are parsed into data (never into SQL text); metric names and
 * values reach the database only as bound parameters.
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { folderFinalValues } from './finalValues';

export type ComparisonOperator = '>=' | '<=' | '>' | '<' | '=' | '!=';

/** `metric OP number`, e.g. `{metric: 'cooperation_level', operator: '>=', value: 0.7}`. */
export interface MetricCondition {
  metric: string;
  operator: ComparisonOperator;
  value: number;
}

export interface RunFilter {
  /** Scenario name, id or scenario folder name. */
  scenario?: string;
  /** Experiment folder key (resolve a name with findExperiments first). */
  experiment?: string;
  /** All must hold for a folder's final values (a folder without the metric fails the condition). */
  conditions?: readonly MetricCondition[];
  /** Upper bound (inclusive) of the folder's total cost in USD (scenario-state.json total_cost). */
  maxCost?: number;
  /** Final values of this actor's records only. */
  actor?: string;
}

export interface FilteredRun {
  folder: string;
  runId: string | null;
  scenarioName: string | null;
  status: string | null;
  /** USD, from the folder's state file. */
  totalCost: number | null;
  experimentFolder: string | null;
  variationId: number | null;
  batchStatus: string | null;
  /** Final value of each metric named in the conditions (null when the folder has none). */
  metrics: Record<string, number | null>;
}

const CONDITION = /^\s*([^<>=!]+?)\s*(>=|<=|!=|==|=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses `name>=0.7` (operators >=, <=, >, <, =, ==, !=; the name is any text without them).
 * @throws Error with a readable message when the text is not such a condition.
 */
export function parseMetricCondition(text: string): MetricCondition {
  const match = CONDITION.exec(text);
  if (!match) throw new Error(`"${text}" is not a condition like cooperation_level>=0.7 (metric, one of >= <= > < = !=, a number)`);
  const operator = (match[2] === '==' ? '=' : match[2]) as ComparisonOperator;
  return { metric: match[1], operator, value: Number(match[3]) };
}

function holds(value: number | null | undefined, c: MetricCondition): boolean {
  if (value === null || value === undefined) return false;
  switch (c.operator) {
    case '>=': return value >= c.value;
    case '<=': return value <= c.value;
    case '>': return value > c.value;
    case '<': return value < c.value;
    case '=': return value === c.value;
    case '!=': return value !== c.value;
  }
}

/** Run folders (with a run id) in scope that meet every condition and the cost limit, by folder. */
export async function filterRuns(db: Kysely<IndexDatabase>, filter: RunFilter): Promise<FilteredRun[]> {
  let query = db
    .selectFrom('sl_folders as f')
    .leftJoin('sl_batch_runs as b', 'b.folder', 'f.path')
    .select(['f.path', 'f.run_id', 'f.scenario_name', 'f.status', 'f.total_cost', 'b.experiment', 'b.variation_id', 'b.status as batch_status'])
    .where('f.run_id', 'is not', null)
    .orderBy('f.path');
  if (filter.experiment !== undefined) query = query.where('b.experiment', '=', filter.experiment);
  if (filter.scenario !== undefined) {
    const scenario = filter.scenario;
    query = query.where((eb) => eb.or([eb('f.scenario_name', '=', scenario), eb('f.scenario_id', '=', scenario), eb('f.scenario_dir', '=', scenario)]));
  }
  if (filter.maxCost !== undefined) query = query.where('f.total_cost', '<=', filter.maxCost);
  const conditions = filter.conditions ?? [];
  const metrics = [...new Set(conditions.map((c) => c.metric))];
  const [folders, ...finals] = await Promise.all([
    query.execute(),
    ...metrics.map((m) => folderFinalValues(db, m, { actor: filter.actor, experiment: filter.experiment, scenario: filter.scenario })),
  ]);
  const valueOf = (metric: string, folder: string) => finals[metrics.indexOf(metric)].get(folder) ?? null;
  return folders
    .filter((f) => conditions.every((c) => holds(valueOf(c.metric, f.path), c)))
    .map((f) => ({
      folder: f.path,
      runId: f.run_id,
      scenarioName: f.scenario_name,
      status: f.status,
      totalCost: f.total_cost,
      experimentFolder: f.experiment ?? null,
      variationId: f.variation_id ?? null,
      batchStatus: f.batch_status ?? null,
      metrics: Object.fromEntries(metrics.map((m) => [m, valueOf(m, f.path)])),
    }));
}
