/**
 * Run statistics per run folder. Scenario Lab's tables merge every folder that carries a run id into
 * one run (its parallel batches give two folders the same id): `runs` keeps one folder's total cost
 * while `turns`, `decisions` and `costs` hold both folders' rows. Figures that mix the two (8 turns of
 * two 4-turn runs, a negative "not itemised" cost) describe no run, so when a run id names several
 * folders the figures come from our own per-folder tables: `sl_folders` (the folder's status and
 * total cost) and `sl_folder_rows` (the id ranges of the rows each folder wrote).
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';

/** What a statistics argument names: a whole run, or one run folder (`folderId`) of a shared run id. */
export interface StatisticsTarget {
  runId: string;
  /** The run folder (sl_folders.path) the figures are of; null when the run has no folder row. */
  folder: string | null;
  /** Set when the figures must be restricted to this folder's rows (the run id names several folders). */
  folderId: number | null;
}

/**
 * Resolves each argument — a run id, or a run folder's path as the index stores it (relative to
 * the indexed folder) or any path ending with it — to the targets it names, in argument order:
 * a run id carried by one folder is one whole-run target; a run id carried by N folders is N folder
 * targets (in path order); a folder path is its folder alone (whole-run when it is the run's only
 * folder). An argument that names nothing resolves to an empty list.
 */
export async function statisticsTargets(db: Kysely<IndexDatabase>, keys: readonly string[]): Promise<StatisticsTarget[][]> {
  if (keys.length === 0) return [];
  // Only the folders the keys can name are read (a folder path names the folder whose path ends it
  // at a '/'), then every folder of their run ids: never every folder of the index.
  const suffixes = [...new Set(keys.flatMap((key) => pathSuffixes(trimSlashes(key))))];
  const [named, runs] = await Promise.all([
    db.selectFrom('sl_folders').select(['id', 'path', 'run_id']).where('run_id', 'is not', null).where('path', 'in', suffixes).orderBy('path').execute(),
    db.selectFrom('runs').select('id').where('id', 'in', [...new Set(keys)]).execute(),
  ]);
  const knownRuns = new Set(runs.map((r) => r.id));
  const runIds = [...new Set([...knownRuns, ...named.map((f) => f.run_id!)])];
  const folders = runIds.length === 0 ? [] : await db.selectFrom('sl_folders').select(['id', 'path', 'run_id']).where('run_id', 'in', runIds).orderBy('path').execute();
  const byRun = new Map<string, Array<{ id: number; path: string }>>();
  for (const f of folders) byRun.set(f.run_id!, [...(byRun.get(f.run_id!) ?? []), { id: f.id, path: f.path }]);
  const target = (runId: string, f: { id: number; path: string }): StatisticsTarget => ({
    runId,
    folder: f.path,
    folderId: (byRun.get(runId)?.length ?? 0) > 1 ? f.id : null,
  });
  return keys.map((key) => {
    if (knownRuns.has(key)) {
      const own = byRun.get(key) ?? [];
      return own.length > 1 ? own.map((f) => target(key, f)) : [{ runId: key, folder: own[0]?.path ?? null, folderId: null }];
    }
    const wanted = trimSlashes(key);
    const folder = named.find((f) => wanted === f.path || wanted.endsWith(`/${f.path}`));
    return folder ? [target(folder.run_id!, folder)] : [];
  });
}

/** `a/b/c` → `a/b/c`, `b/c`, `c`: the folder paths a path can end with. */
function pathSuffixes(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(i).join('/'));
}

/** Per-folder figures of the folder targets: counts of the rows the folder wrote, its costs and its own total. */
export async function folderFigures(db: Kysely<IndexDatabase>, folderIds: readonly number[]) {
  if (folderIds.length === 0) return { folders: [], costs: [] };
  const ids = [...new Set(folderIds)];
  // A row belongs to the folder whose id range for its table holds it (one writeFolder() inserts them in a row).
  const turnsOf = (folderId: number) =>
    db
      .selectFrom('turns')
      .innerJoin('sl_folder_rows as fr', (join) => join.on('fr.tbl', '=', 'turns').on('fr.folder_id', '=', folderId).onRef('turns.id', '>=', 'fr.first_id').onRef('turns.id', '<=', 'fr.last_id'))
      .select('turns.id');
  const perTurn = (folderId: number, table: 'decisions' | 'communications' | 'metrics') =>
    db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(`${table}.turn_id`, 'in', turnsOf(folderId));
  const folders = await Promise.all(
    ids.map(async (folderId) => {
      const [row, turns, decisions, communications, metrics] = await Promise.all([
        db.selectFrom('sl_folders').select(['id', 'path', 'scenario_name', 'status', 'total_cost']).where('id', '=', folderId).executeTakeFirstOrThrow(),
        db.selectFrom('turns').select((eb) => eb.fn.countAll<number>().as('n')).where('turns.id', 'in', turnsOf(folderId)).executeTakeFirstOrThrow(),
        perTurn(folderId, 'decisions').executeTakeFirstOrThrow(),
        perTurn(folderId, 'communications').executeTakeFirstOrThrow(),
        perTurn(folderId, 'metrics').executeTakeFirstOrThrow(),
      ]);
      return { ...row, turns: Number(turns.n), decisions: Number(decisions.n), communications: Number(communications.n), metrics: Number(metrics.n) };
    }),
  );
  const costs = await db
    .selectFrom('costs')
    .innerJoin('sl_folder_rows as fr', (join) => join.on('fr.tbl', '=', 'costs').onRef('costs.id', '>=', 'fr.first_id').onRef('costs.id', '<=', 'fr.last_id'))
    .select([
      'fr.folder_id', 'costs.phase', 'costs.actor', 'costs.model',
      (eb) => eb.fn.sum<number>('costs.cost').as('total'),
      (eb) => eb.fn.sum<number>('costs.input_tokens').as('input'),
      (eb) => eb.fn.sum<number>('costs.output_tokens').as('output'),
    ])
    .where('fr.folder_id', 'in', ids)
    .groupBy(['fr.folder_id', 'costs.phase', 'costs.actor', 'costs.model'])
    .execute();
  return { folders, costs };
}

function trimSlashes(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '');
}
