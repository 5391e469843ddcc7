/**
 * Decisions: a run's (one turn or all), one actor's (the guide's query_decisions_for_actor), paged,
 * and the actors with their decision counts. Part of the analytics facade (analytics.ts).
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { pageBounds, pageIds, parseJson, toSource, TOTAL_ROWS, withOrigin } from './originJoin';
import type { Decision, Page } from './types';

export type DecisionFilter = { runId?: string; turnNum?: number; actor?: string; scenario?: string; ids?: readonly number[] };

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

/**
 * The decision rows a filter selects, and the names of their id, turn number and run id columns: a
 * scenario's own table (sl_scenario_decisions, db/schemaScope.ts: one index in the list's order under
 * one actor, no join) when the filter names a scenario and neither a run nor ids (the join from
 * those is smaller), else decisionScope()'s join. Both select the same rows, for a paged list's order
 * and count; the records are read from decisions itself (listDecisions).
 */
function decisionSource(db: Kysely<IndexDatabase>, filter: DecisionFilter): DecisionSource {
  if (filter.scenario && !filter.runId && !filter.ids) {
    let query = db.selectFrom('sl_scenario_decisions').where('scenario_id', '=', filter.scenario);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.turnNum !== undefined) query = query.where('turn_num', '=', filter.turnNum);
    return { query, id: 'decision_id', turn: 'turn_num', run: 'run_id' };
  }
  return { query: decisionScope(db, filter), id: 'decisions.id', turn: 'turns.turn_num', run: 'turns.run_id' };
}

/** decisionSource()'s answer: the selected rows, and the qualified names of their id, turn number and run id. */
interface DecisionSource {
  // Two different table sets behind one shape (as metricQueries.ts's MetricSource): the names say what to read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query: SelectQueryBuilder<any, any, object>;
  id: string;
  turn: string;
  run: string;
}

/** The guide's order (turn number), made total by run and row id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function decisionOrder<Q extends { orderBy: (...args: any[]) => Q }>(query: Q): Q {
  return query.orderBy('turns.turn_num').orderBy('turns.run_id').orderBy('decisions.id');
}

/** Decisions a filter selects in the guide's order, goals parsed (empty when unreadable), with their sources. */
export async function listDecisions(db: Kysely<IndexDatabase>, filter: DecisionFilter): Promise<Decision[]> {
  const rows = await decisionOrder(
    decisionScope(db, filter)
      .$call((q) => withOrigin(q, 'decisions'))
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
export async function listDecisionsPage(db: Kysely<IndexDatabase>, filter: DecisionFilter, page: { offset: number; limit: number }): Promise<Page<Decision>> {
  const { offset, limit } = pageBounds(page);
  const from = decisionSource(db, filter);
  const { ids, total } = await pageIds(
    db,
    // The guide's order (decisionOrder), on the source's own columns.
    (withTotal) => from.query.select(`${from.id} as id`).$if(withTotal, (q) => q.select(TOTAL_ROWS)).orderBy(from.turn).orderBy(from.run).orderBy(from.id).limit(limit).offset(offset).execute(),
    () => from.query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  );
  const rows = ids.length === 0 ? [] : await listDecisions(db, { ids });
  return { offset, limit, total, rows };
}


/** Actors with their number of decisions per scenario, by actor then scenario (decisions ⋈ turns ⋈ runs). */
export async function listActors(db: Kysely<IndexDatabase>, options: { scenario?: string }): Promise<Array<{ actor: string; scenarioId: string; decisionCount: number }>> {
  let query = db
    .selectFrom('decisions')
    .innerJoin('turns', 'turns.id', 'decisions.turn_id')
    .innerJoin('runs', 'runs.id', 'turns.run_id')
    .select(['decisions.actor', 'runs.scenario_id', (eb) => eb.fn.countAll<number>().as('n')]);
  if (options.scenario) query = query.where('runs.scenario_id', '=', options.scenario);
  const rows = await query.groupBy(['decisions.actor', 'runs.scenario_id']).orderBy('decisions.actor').orderBy('runs.scenario_id').execute();
  return rows.map((r) => ({ actor: r.actor, scenarioId: r.scenario_id, decisionCount: Number(r.n) }));
}
