/**
 * Writes one run folder into a shared PostgreSQL index, in ONE transaction of its own, serialised
 * per folder: the transaction first takes an advisory lock on the folder's key (source + relative
 * path), then deletes what the folder held and inserts what it holds now. Two indexers writing the
 * same folder at once therefore replace it one after the other, never interleaved; indexers
 * writing different folders never wait for each other. Each commit is announced with NOTIFY on
 * CHANNEL (payload: the folder key), so that every connected window refreshes.
 *
 * Rows go in one statement per table (`unnest` of arrays), with ids taken from the tables'
 * sequences first: ids of concurrent writers may interleave, so a folder's rows are recorded as
 * one or more id ranges per table in sl_folder_rows.
 */
import type pg from 'pg';
import { postgresJsonText, pythonJson } from '../../db/encoding';
import { linePlaceSql } from '../../db/linePlace';
import { numberedParametersFor } from '../../db/numberedParameters';
import { SCOPE_SCENARIO_SYNC } from '../../db/schema';
import type { Problem, SourceLocation } from '../../format/records';
import type { AssembledFolder } from '../assembledFolder';
import { FOLDER_TABLES, ROW_TABLES, type RowTable } from '../indexTables';
import { uniqueProblems } from '../writeFolder';

/** The NOTIFY channel of a shared index: payload = the key of the folder that changed. */
export const CHANNEL = 'scenario_lab_index';

/** Ids in the order given → maximal runs of consecutive ids. */
export function idRanges(ids: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else ranges.push([id, id]);
  }
  return ranges;
}

/** The lock key of a folder: PostgreSQL's own 64-bit hash of its key. */
const LOCK_FOLDER = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/**
 * The lock key of a run id (another seed, so it never meets a folder's), taken before a folder's rows
 * are removed or written and held until commit. Folders that share a run id (parallel batch runs)
 * share its `runs` row, so two indexers writing two such folders at once would otherwise (1) rebuild
 * the row each from a snapshot without the other's folder, the later commit keeping a row that misses
 * one, and (2) fail: one drops the row when it sees no turns of the run while the other's turns are
 * not yet committed ("update or delete on table runs violates foreign key constraint
 * turns_run_id_fkey", seen in 6 of 17 runs of postgresConcurrent.test.ts; 0 of 8 with the lock).
 * With the run's lock the second writer waits, then reads the first's committed folder.
 */
const LOCK_RUN = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 1))';

async function lockRun(client: pg.ClientBase, runId: string | null): Promise<void> {
  if (runId !== null) await client.query(LOCK_RUN, [runId]);
}

/** `runs` row of a run id from the folders that carry it, as refreshRunRows() builds it for SQLite (docs/format.md#shared-run-ids). */
const UPSERT_RUN = `INSERT INTO runs (id, scenario_id, scenario_name, created, status, total_turns, total_cost, config)
  SELECT f.run_id, f.scenario_id, f.scenario_name,
         COALESCE((SELECT MIN(started_at) FROM sl_folders WHERE run_id = f.run_id), f.last_record_at, to_char(LOCALTIMESTAMP, 'YYYY-MM-DD HH24:MI:SS.US'))::timestamp,
         COALESCE(f.status, 'unknown'), COALESCE(f.last_turn, 0), COALESCE(f.total_cost, 0), f.config::json
  FROM sl_folders f WHERE f.run_id = $1
  ORDER BY f.last_record_at DESC NULLS LAST, f.path DESC LIMIT 1
  ON CONFLICT (id) DO UPDATE SET scenario_id = excluded.scenario_id, scenario_name = excluded.scenario_name, created = excluded.created,
    status = excluded.status, total_turns = excluded.total_turns, total_cost = excluded.total_cost, config = excluded.config`;

const LINE_PLACE_PG = linePlaceSql('postgres');

/** Allocates `n` ids of a table's sequence. */
async function nextIds(client: pg.ClientBase, table: RowTable, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await client.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('${table}', 'id'))::int AS id FROM generate_series(1, $1)`, [n]);
  return rows.map((r) => r.id);
}

/**
 * Runs `work` in a transaction holding the folder's lock; rolls back on an error. Notifies on
 * commit unless `notify` is false (bookkeeping that every pass rewrites, which the views do not show).
 */
export async function inFolderTransaction<T>(client: pg.ClientBase, key: string, work: () => Promise<T>, notify = true): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(LOCK_FOLDER, [key]);
    const result = await work();
    if (notify) await client.query('SELECT pg_notify($1, $2)', [CHANNEL, key.slice(0, 7000)]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Deletes everything the folder contributed (inside the caller's transaction) and refreshes or
 * drops the `runs` row of the run id it carried. Returns that run id.
 */
export async function removeFolderPg(client: pg.ClientBase, key: string): Promise<string | null> {
  const found = (await client.query<{ id: number; run_id: string | null }>('SELECT id, run_id FROM sl_folders WHERE path = $1', [key])).rows[0];
  if (!found) return null;
  await lockRun(client, found.run_id);
  const ranges = (await client.query<{ tbl: RowTable; first_id: number; last_id: number }>('SELECT tbl, first_id, last_id FROM sl_folder_rows WHERE folder_id = $1', [found.id])).rows;
  for (const table of ROW_TABLES) {
    for (const r of ranges.filter((x) => x.tbl === table)) {
      const idColumn = table === 'communications' ? 'rowid' : 'id';
      if (table === 'metrics') {
        await client.query('DELETE FROM sl_metric_actors WHERE metric_id BETWEEN $1 AND $2', [r.first_id, r.last_id]);
        await client.query('DELETE FROM sl_scenario_metrics WHERE metric_id BETWEEN $1 AND $2', [r.first_id, r.last_id]);
      }
      if (table === 'decisions') await client.query('DELETE FROM sl_scenario_decisions WHERE decision_id BETWEEN $1 AND $2', [r.first_id, r.last_id]);
      await client.query(`DELETE FROM ${table} WHERE ${idColumn} BETWEEN $1 AND $2`, [r.first_id, r.last_id]);
      await client.query('DELETE FROM sl_origins WHERE tbl = $1 AND row_id BETWEEN $2 AND $3', [table, r.first_id, r.last_id]);
    }
  }
  for (const table of FOLDER_TABLES) await client.query(`DELETE FROM ${table} WHERE folder_id = $1`, [found.id]);
  await client.query('DELETE FROM sl_folders WHERE id = $1', [found.id]);
  if (found.run_id !== null) await refreshRunPg(client, found.run_id);
  return found.run_id;
}

/** SCOPE_SCENARIO_SYNC in PostgreSQL's parameter form. */
const SCOPE_SCENARIO_SYNC_PG = SCOPE_SCENARIO_SYNC.map((statement) => numberedParametersFor(statement, 'postgres'));

/**
 * The run row from the folders that still carry the id, or none when no folder (and so no row)
 * refers to it; the per-scenario rows of those folders then take the row's scenario.
 */
// The caller holds the run's lock: removeFolderPg and writeFolderPg take it before touching any row.
async function refreshRunPg(client: pg.ClientBase, runId: string): Promise<void> {
  const { rowCount } = await client.query(UPSERT_RUN, [runId]);
  if (rowCount === 0) await client.query('DELETE FROM runs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM turns WHERE run_id = $1) AND NOT EXISTS (SELECT 1 FROM costs WHERE run_id = $1)', [runId]);
  else for (const statement of SCOPE_SCENARIO_SYNC_PG) await client.query(statement, [runId]);
}

/** A folder that could not be stored keeps its problem under its key, without a folder row. */
export async function storeUnstoredFolderProblemPg(client: pg.ClientBase, key: string, problem: Problem | undefined): Promise<void> {
  await client.query('DELETE FROM sl_problems WHERE folder_id IS NULL AND file = $1', [key]);
  if (problem) await client.query('INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (NULL, $1, $2, $3, $4)', [key, problem.line, problem.severity, problem.message]);
}

interface OriginRows {
  tbl: string[];
  rowId: number[];
  fileId: Array<number | null>;
  start: Array<number | null>;
  end: Array<number | null>;
  focus: Array<number | null>;
}

/** Inserts the folder's rows (remove the old ones first, in the same transaction). */
export async function writeFolderPg(client: pg.ClientBase, rows: AssembledFolder): Promise<void> {
  const m = rows.meta;
  await lockRun(client, m.runId);
  const folderId = (await client.query<{ id: number }>(
    `INSERT INTO sl_folders (path, format, run_id, scenario_id, scenario_name, scenario_dir, status, last_turn, leftover_turn,
      planned_turns, first_persisted_turn, started_at, last_record_at, last_written_at, completed_at, error, total_cost, config, pending)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
    [rows.key, m.format, m.runId, m.scenarioId, m.scenarioName, m.scenarioDir, m.status, m.lastTurn, m.leftoverTurn,
      m.plannedTurns, m.firstPersistedTurn, m.startedAt, m.lastRecordAt, m.lastWrittenAt, m.completedAt, m.error, m.totalCost, m.config === null ? null : postgresJsonText(m.config), rows.pending ? 1 : 0],
  )).rows[0].id;
  const fileIds = new Map<string, number>();
  if (rows.files.length > 0) {
    const inserted = await client.query<{ id: number; path: string }>(
      `INSERT INTO sl_files (path, folder_id, size, mtime_ms, hash, kind)
       SELECT p, $2, s, t, h, k FROM unnest($1::text[], $3::bigint[], $4::float8[], $5::text[], $6::text[]) AS x(p, s, t, h, k)
       ON CONFLICT (path) DO UPDATE SET folder_id = excluded.folder_id, size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, kind = excluded.kind
       RETURNING id, path`,
      [rows.files.map((f) => f.key), folderId, rows.files.map((f) => f.size), rows.files.map((f) => f.mtimeMs), rows.files.map((f) => f.hash), rows.files.map((f) => f.kind)],
    );
    for (const r of inserted.rows) fileIds.set(r.path, r.id);
  }
  const problems = uniqueProblems(rows.problems);
  if (problems.length > 0) {
    await client.query(
      'INSERT INTO sl_problems (folder_id, file, line, severity, message) SELECT $1, f, l, s, m FROM unnest($2::text[], $3::int[], $4::text[], $5::text[]) AS x(f, l, s, m)',
      [folderId, problems.map((p) => p.file), problems.map((p) => p.line), problems.map((p) => p.severity), problems.map((p) => p.message)],
    );
  }
  if (m.runId !== null) await writeRunRows(client, rows, m.runId, folderId, fileIds);
  await writeAnnotations(client, rows, folderId);
}

async function writeRunRows(client: pg.ClientBase, rows: AssembledFolder, runId: string, folderId: number, fileIds: Map<string, number>): Promise<void> {
  // The run row first: turns and costs refer to it.
  await refreshRunPg(client, runId);
  const origins: OriginRows = { tbl: [], rowId: [], fileId: [], start: [], end: [], focus: [] };
  const written = new Map<RowTable, number[]>();
  const record = (tbl: RowTable, id: number, origin: SourceLocation | undefined) => {
    written.set(tbl, [...(written.get(tbl) ?? []), id]);
    origins.tbl.push(tbl);
    origins.rowId.push(id);
    origins.fileId.push(origin ? (fileIds.get(origin.file) ?? null) : null);
    origins.start.push(origin?.startLine ?? null);
    origins.end.push(origin?.endLine ?? null);
    origins.focus.push(origin?.focusLine ?? null);
  };

  const turnIds = await nextIds(client, 'turns', rows.turns.length);
  rows.turns.forEach((t, i) => record('turns', turnIds[i], t.origin));
  await insertRows(client, 'turns (id, run_id, turn_num, timestamp, world_state)', ['int', 'text', 'int', 'timestamp', 'text'], [
    turnIds, rows.turns.map(() => runId), rows.turns.map((t) => t.turnNum), rows.turns.map((t) => t.timestamp), rows.turns.map((t) => t.worldState),
  ]);

  const decisions = rows.turns.flatMap((t, i) => t.decisions.map((d) => ({ d, turnId: turnIds[i], turnNum: t.turnNum })));
  const decisionIds = await nextIds(client, 'decisions', decisions.length);
  decisions.forEach(({ d }, i) => record('decisions', decisionIds[i], d.origin));
  await insertRows(client, 'decisions (id, turn_id, actor, goals, reasoning, action, timestamp)', ['int', 'int', 'text', 'json', 'text', 'text', 'timestamp'], [
    decisionIds, decisions.map((x) => x.turnId), decisions.map((x) => x.d.actor), decisions.map((x) => pythonJson(x.d.goals)),
    decisions.map((x) => x.d.reasoning), decisions.map((x) => x.d.action), decisions.map((x) => x.d.timestamp),
  ]);
  await insertScoped(client, 'sl_scenario_decisions (decision_id, scenario_id, run_id, turn_num, actor)', runId, ['int', 'int', 'text'], [
    decisionIds, decisions.map((x) => x.turnNum), decisions.map((x) => x.d.actor),
  ]);

  // A communication id a sibling folder of the same run already stored is kept once (docs/format.md#shared-run-ids).
  const communications = rows.turns.flatMap((t, i) => t.communications.map((c) => ({ c, turnId: turnIds[i] })));
  if (communications.length > 0) {
    const inserted = await client.query<{ rowid: number; id: string }>(
      `INSERT INTO communications (id, turn_id, type, sender, recipients, content, timestamp)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::json[], $6::text[], $7::timestamp[])
       ON CONFLICT (id) DO NOTHING RETURNING rowid::int AS rowid, id`,
      [communications.map((x) => x.c.id), communications.map((x) => x.turnId), communications.map((x) => x.c.type), communications.map((x) => x.c.sender),
        communications.map((x) => pythonJson(x.c.recipients)), communications.map((x) => x.c.content), communications.map((x) => x.c.timestamp)],
    );
    const byId = new Map(inserted.rows.map((r) => [r.id, r.rowid]));
    for (const { c } of communications) {
      const rowid = byId.get(c.id);
      if (rowid !== undefined && byId.delete(c.id)) record('communications', rowid, c.origin);
    }
  }

  const metrics = rows.turns.flatMap((t, i) => t.metrics.map((x) => ({ x, turnId: turnIds[i], turnNum: t.turnNum })));
  const metricIds = await nextIds(client, 'metrics', metrics.length);
  metrics.forEach(({ x }, i) => record('metrics', metricIds[i], x.origin));
  await insertRows(client, 'metrics (id, turn_id, name, value, actor, timestamp)', ['int', 'int', 'text', 'float8', 'text', 'timestamp'], [
    metricIds, metrics.map((r) => r.turnId), metrics.map((r) => r.x.name), metrics.map((r) => r.x.value), metrics.map((r) => r.x.actor), metrics.map((r) => r.x.timestamp),
  ]);
  const withActor = metrics.map((r, i) => ({ id: metricIds[i], actor: r.x.recordedActor })).filter((r) => r.actor !== null);
  await insertRows(client, 'sl_metric_actors (metric_id, actor)', ['int', 'text'], [withActor.map((r) => r.id), withActor.map((r) => r.actor)]);
  await insertScoped(client, 'sl_scenario_metrics (metric_id, scenario_id, run_id, turn_num, name, actor, value, timestamp)', runId, ['int', 'int', 'text', 'text', 'float8', 'timestamp'], [
    metricIds, metrics.map((r) => r.turnNum), metrics.map((r) => r.x.name), metrics.map((r) => r.x.recordedActor), metrics.map((r) => r.x.value), metrics.map((r) => r.x.timestamp),
  ]);

  const costIds = await nextIds(client, 'costs', rows.costs.length);
  rows.costs.forEach((c, i) => record('costs', costIds[i], c.origin));
  await insertRows(client, 'costs (id, run_id, timestamp, actor, phase, model, input_tokens, output_tokens, cost)', ['int', 'text', 'timestamp', 'text', 'text', 'text', 'int', 'int', 'float8'], [
    costIds, rows.costs.map(() => runId), rows.costs.map((c) => c.timestamp), rows.costs.map((c) => c.actor), rows.costs.map((c) => c.phase),
    rows.costs.map((c) => c.model), rows.costs.map((c) => c.inputTokens), rows.costs.map((c) => c.outputTokens), rows.costs.map((c) => c.cost),
  ]);

  await insertRows(client, 'sl_origins (tbl, row_id, file_id, start_line, end_line, focus_line)', ['text', 'int', 'int', 'int', 'int', 'int'], [
    origins.tbl, origins.rowId, origins.fileId, origins.start, origins.end, origins.focus,
  ]);
  const ranges = [...written].flatMap(([tbl, ids]) => idRanges(ids).map(([first, last]) => ({ tbl, first, last })));
  await insertRows(client, 'sl_folder_rows (folder_id, tbl, first_id, last_id)', ['int', 'text', 'int', 'int'], [
    ranges.map(() => folderId), ranges.map((r) => r.tbl), ranges.map((r) => r.first), ranges.map((r) => r.last),
  ]);
}

/** One multi-row INSERT from parallel arrays (`columns` is "table (col, ...)"); nothing for no rows. */
async function insertRows(client: pg.ClientBase, columns: string, types: readonly string[], values: ReadonlyArray<readonly unknown[]>): Promise<void> {
  if (values[0].length === 0) return;
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  await client.query(`INSERT INTO ${columns} SELECT * FROM unnest(${params})`, values as unknown[][]);
}

/**
 * Rows of a per-scenario table (db/schemaScope.ts; `columns` is "table (id, scenario_id, run_id, rest...)",
 * `types` and `values` the id's and the rest's): the scenario and run come from the run row, which
 * refreshRunPg() wrote first, so they are the run's even when folders sharing its id disagree.
 */
async function insertScoped(client: pg.ClientBase, columns: string, runId: string, types: readonly string[], values: ReadonlyArray<readonly unknown[]>): Promise<void> {
  if (values[0].length === 0) return;
  const names = types.map((_, i) => `c${i}`);
  const params = types.map((t, i) => `$${i + 2}::${t}[]`).join(', ');
  const rest = names.slice(1).map((n) => `x.${n}`).join(', ');
  await client.query(`INSERT INTO ${columns} SELECT x.c0, r.scenario_id, r.id, ${rest} FROM unnest(${params}) AS x(${names.join(', ')}) JOIN runs r ON r.id = $1`, [runId, ...values]);
}

/** After the folder's turns and decisions, so each annotation is linked to the one its lines fall in. */
async function writeAnnotations(client: pg.ClientBase, rows: AssembledFolder, folderId: number): Promise<void> {
  for (const { annotation: a, fileKey, startLine, endLine, outdated } of rows.annotations) {
    const place = (await client.query<{ turn_num: number | null; decision_id: number | null; actor: string | null }>(LINE_PLACE_PG, [folderId, fileKey, startLine])).rows[0];
    const first = a.comments[0];
    await client.query(
      `INSERT INTO sl_annotations (folder_id, id, run_id, file, start_line, end_line, outdated, quote, label, rating, resolved,
        turn_num, decision_id, actor, author, body, comments, comment_count, created, updated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (folder_id, id) DO UPDATE SET run_id = excluded.run_id, file = excluded.file, start_line = excluded.start_line, end_line = excluded.end_line,
         outdated = excluded.outdated, quote = excluded.quote, label = excluded.label, rating = excluded.rating, resolved = excluded.resolved,
         turn_num = excluded.turn_num, decision_id = excluded.decision_id, actor = excluded.actor, author = excluded.author, body = excluded.body,
         comments = excluded.comments, comment_count = excluded.comment_count, created = excluded.created, updated = excluded.updated`,
      [folderId, a.id, rows.meta.runId, fileKey, startLine, endLine, outdated ? 1 : 0, a.quote.join('\n'), a.label, a.rating, a.resolved ? 1 : 0,
        place?.turn_num ?? null, place?.decision_id ?? null, place?.actor ?? null, first?.author ?? null, first?.body ?? null, JSON.stringify(a.comments), a.comments.length, a.created, a.updated],
    );
  }
}
