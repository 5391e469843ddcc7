/** Temp directories and sample rows shared by the database tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../../../src/core/db/schema';

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sl-db-test-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** One run with `turns` turns and one metric per turn. */
export async function insertRun(db: Kysely<IndexDatabase>, runId: string, turns = 2): Promise<void> {
  await db
    .insertInto('runs')
    .values({
      id: runId,
      scenario_id: 'trade-war',
      scenario_name: 'Trade War',
      created: '2025-11-24 09:49:23.278162',
      status: 'completed',
      total_turns: turns,
      total_cost: 0.25,
      config: '{"turns": 2}',
    })
    .execute();
  for (let turn = 1; turn <= turns; turn++) {
    const { insertId } = await db
      .insertInto('turns')
      .values({ run_id: runId, turn_num: turn, timestamp: '2025-11-24 09:50:00.000000', world_state: `state ${turn}` })
      .executeTakeFirstOrThrow();
    await db
      .insertInto('metrics')
      .values({ turn_id: Number(insertId), name: 'tariff', value: turn * 1.5, actor: 'US', timestamp: '2025-11-24 09:50:00.000000' })
      .execute();
  }
}
