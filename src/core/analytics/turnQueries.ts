/** A run's turns with their world-state sources. Part of the analytics facade (analytics.ts). */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { toSource, withOrigin } from './originJoin';
import type { Turn } from './types';

/** A run's turns in turn order (row id breaks ties), each with the source of its world state. */
export async function listTurns(db: Kysely<IndexDatabase>, runId: string): Promise<Turn[]> {
  const rows = await db
    .selectFrom('turns')
    .$call((q) => withOrigin(q, 'turns'))
    .select(['turns.id', 'turns.run_id', 'turns.turn_num', 'turns.timestamp', 'turns.world_state'])
    .where('turns.run_id', '=', runId)
    .orderBy('turns.turn_num')
    .orderBy('turns.id')
    .execute();
  return rows.map((r) => ({ id: r.id, runId: r.run_id, turnNum: r.turn_num, timestamp: r.timestamp, worldState: r.world_state, source: toSource(r) }));
}
