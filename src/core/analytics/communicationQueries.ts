/** A run's messages (communications) with their sources. Part of the analytics facade (analytics.ts). */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { parseJson, toSource, withOrigin } from './originJoin';
import type { Communication } from './types';

/** A run's messages, all turns or one, in turn then time order. */
export async function listCommunications(db: Kysely<IndexDatabase>, runId: string, turnNum?: number): Promise<Communication[]> {
  let query = db
    .selectFrom('communications')
    .innerJoin('turns', 'turns.id', 'communications.turn_id')
    .$call((q) => withOrigin(q, 'communications'))
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
