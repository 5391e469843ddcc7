/**
 * An index pass into a shared PostgreSQL index. Finds and reads folders like the embedded pass
 * (indexer.ts: same discovery, change detection and readers), but writes each changed folder in a
 * transaction of its own, as soon as it is read (writeFolderPg.ts): memory holds one folder at a
 * time whatever the size of the database, and other indexers and windows see each folder as soon
 * as it is committed. A pass only ever touches the folders of its own source (the key prefix
 * its roots carry): other people's folders in the same database are theirs.
 */
import type pg from 'pg';
import type { FolderListing } from '../../discover/discoverFolders';
import { linkGuardFor, walkRunFolders } from '../../discover/discoverFolders';
import type { LinkGuard } from '../../discover/links';
import type { Problem, ScenarioDefinition } from '../../format/records';
import type { AssembledFolder } from '../assembledFolder';
import { emptyReport } from '../indexReport';
import { countRead, hasChanged, lastSegment, listCandidates, readChangedFolders, sameHashes, siblingListing, type IndexOptions, type IndexReport, type StoredFolder } from '../indexer';
import { addPassKeys, endPassKeys, goneKeys, startPassKeys } from './passKeysPg';
import { bareFolder, writeFailure } from '../batchedWrites';
import { readJob, type ReadSettings } from '../readJobs';
import type { KnownFile } from '../readFolder';
import { readScenarioFolder } from '../readScenario';
import { indexBatchesPg } from './batchesPg';
import { CHANNEL, inFolderTransaction, removeFolderPg, storeUnstoredFolderProblemPg, writeFolderPg } from './writeFolderPg';

/** Folders written in one pass from which its end refreshes the planner's statistics. */
const ANALYZE_AFTER = 100;

/**
 * Run folders a full pass lists, compares, reads and writes at a time: what bounds its memory
 * (their listings, their stored files, and the reader thread's copy of both: tens of MB for
 * 115-file folders) whatever the number of runs.
 */
export const CHUNK_FOLDERS = 100;

/** What the steps of one pass share. */
interface Pass {
  client: pg.ClientBase;
  source: string;
  options: IndexOptions;
  guard: LinkGuard;
  report: IndexReport;
  settings: ReadSettings;
  /** Run folders the pass expects to check (progress total). */
  total: number;
}

/**
 * Indexes the roots (each with `source` set) into the database of `pool`. Errors of one folder
 * become a problem at that folder; a lost connection ends the pass with the error.
 *
 * A full pass streams: a first walk only names files (a readdir per folder) to find the scenario
 * definitions every run read needs, batch folders and how many run folders there are; the second
 * walk lists the run folders with their sizes and mtimes and hands them on CHUNK_FOLDERS at a
 * time (stored files loaded for that chunk only, changed folders read and written one by one);
 * the keys it met go to a temporary table, against which stored folders no longer there are
 * found at the end. Memory therefore holds one chunk, not the workspace.
 */
export async function indexRootsPg(pool: pg.Pool, options: IndexOptions): Promise<IndexReport> {
  const started = Date.now();
  const source = options.roots[0]?.source;
  if (source === undefined || options.roots.some((r) => r.source !== source)) throw new Error('A shared index needs one source name for all roots.');
  const report = emptyReport();
  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const guard = linkGuardFor(options.roots, options);
  const client = await pool.connect();
  try {
    const pass: Pass = { client, source, options, guard, report, settings: { read: options.read, scenarioNames: [] }, total: 0 };
    const batchListings = options.onlyFolders ? await watcherPass(pass) : await fullPass(pass);
    // After a big pass the planner's statistics are stale until autovacuum gets to them (measured at
    // 1,000 runs: the metric page query 58 -> 32 ms p50 once analysed), and so is the visibility map
    // of the tables the analytics read from indexes alone (db/schemaPostgres.ts): until VACUUM
    // marks their pages all-visible, an index-only scan reads the table row of each entry anyway.
    if (report.foldersIndexed >= ANALYZE_AFTER) {
      await client.query('VACUUM (ANALYZE) turns, decisions, metrics, runs, sl_scenario_metrics, sl_scenario_decisions');
      await client.query('ANALYZE communications, costs, sl_folders, sl_files, sl_origins, sl_metric_actors');
    }
    // Batch problems are stored (folder-less) and counted below with every other one.
    if (!report.cancelled) await indexBatchesPg(client, source, { roots: options.roots, discovered: batchListings, changedFolders: options.onlyFolders });
    report.problems = Number((await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM sl_problems')).rows[0].n);
  } finally {
    client.release();
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Every run folder under the roots, streamed (see indexRootsPg); returns the batch folders found. */
async function fullPass(pass: Pass): Promise<FolderListing[]> {
  const { client, source, options, guard, report } = pass;
  const named = walkRunFolders(options.roots, options, false);
  let next = named.next();
  for (; !next.done; next = named.next()) {
    if (++pass.total % CHUNK_FOLDERS !== 0) continue;
    options.onProgress?.({ phase: 'discover', done: pass.total, total: 0 });
    // The walk is synchronous (guides/sqljs-performance.md §4): let the caller's other work in between.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.isCancelled?.()) {
      report.cancelled = true;
      return [];
    }
  }
  const found = next.value;
  const scenarioNames = await writeScenarios(client, source, found.scenarioFolders, found.problems, guard, report);
  pass.settings = { read: options.read, scenarioNames: [...scenarioNames] };
  await startPassKeys(client);
  try {
    let chunk: FolderListing[] = [];
    for (const listing of walkRunFolders(options.roots, options)) {
      report.foldersSeen++;
      chunk.push(listing);
      if (chunk.length < CHUNK_FOLDERS) continue;
      await indexChunk(pass, chunk);
      chunk = [];
      if (report.cancelled) break;
    }
    if (!report.cancelled) await indexChunk(pass, chunk);
    // Stored folders the walk did not meet are gone; a cancelled pass has not met them all.
    if (!report.cancelled) {
      const removedRunIds = new Set<string>();
      for await (const keys of goneKeys(client, source)) await removeFolders(pass, keys, removedRunIds);
      await rewriteSiblings(pass, removedRunIds);
    }
  } finally {
    await endPassKeys(client);
  }
  return found.batchFolders;
}

/** The folders a watcher named (listCandidates): their keys are the pass's scope. */
async function watcherPass(pass: Pass): Promise<undefined> {
  const { client, options, guard, report } = pass;
  const { listings, scopeKeys } = await listCandidates(options, guard);
  pass.settings = { read: options.read, scenarioNames: [...(await loadScenarioNames(client, pass.source))] };
  pass.total = listings.length;
  report.foldersSeen = listings.length;
  await indexChunk(pass, listings);
  if (report.cancelled) return undefined;
  const present = new Set(listings.map((l) => l.key));
  const stored = await client.query<{ path: string }>('SELECT path FROM sl_folders WHERE path = ANY($1::text[])', [[...(scopeKeys ?? [])]]);
  const removedRunIds = new Set<string>();
  await removeFolders(pass, stored.rows.map((r) => r.path).filter((key) => !present.has(key)), removedRunIds);
  await rewriteSiblings(pass, removedRunIds);
  return undefined;
}

/**
 * Compares the listed folders with what the index holds of them, reads the changed ones (on the
 * reader thread when there are enough) and writes each in a transaction of its own.
 */
async function indexChunk(pass: Pass, listings: readonly FolderListing[]): Promise<void> {
  const { client, options, report } = pass;
  if (listings.length === 0) return;
  if (!options.onlyFolders) await addPassKeys(client, listings.map((l) => l.key));
  const stored = await loadStoredFolders(client, listings.map((l) => l.key));
  const changed = listings.filter((l) => hasChanged(l, stored.get(l.key)));
  report.foldersUnchanged += listings.length - changed.length;
  progress(pass);
  for await (const rows of readChangedFolders(changed, stored, options, pass.settings)) {
    if (options.isCancelled?.()) {
      report.cancelled = true;
      break;
    }
    const before = stored.get(rows.key);
    if (sameHashes(rows.files, before) && !before?.pending && !rows.pending) {
      await touchFiles(client, rows.files);
      report.foldersUnchanged++;
      continue;
    }
    countRead(report, rows);
    await writeOne(pass, rows);
  }
  if (options.isCancelled?.()) report.cancelled = true;
}

async function writeOne(pass: Pass, rows: AssembledFolder): Promise<void> {
  if (rows.pending) pass.report.pendingFolders.push(rows.key);
  await writeIsolated(pass.client, rows);
  pass.report.foldersIndexed++;
  progress(pass);
}

/** Folders checked (written or found unchanged) of the folders the pass expects. */
function progress({ options, report, total }: Pass): void {
  const done = report.foldersIndexed + report.foldersUnchanged;
  options.onProgress?.({ phase: 'write', done, total: Math.max(total, done) });
}

async function removeFolders(pass: Pass, keys: readonly string[], removedRunIds: Set<string>): Promise<void> {
  for (const key of keys) {
    const runId = await inFolderTransaction(pass.client, key, () => removeFolderPg(pass.client, key));
    if (runId) removedRunIds.add(runId);
  }
  pass.report.foldersRemoved += keys.length;
}

/**
 * A removed folder may have held the one stored copy of messages its siblings (same run id) share
 * (a sibling written earlier in the pass found them stored and skipped them): rewrite the siblings.
 */
async function rewriteSiblings(pass: Pass, removedRunIds: ReadonlySet<string>): Promise<void> {
  if (removedRunIds.size === 0) return;
  const { client, source, options, guard } = pass;
  const siblings = await client.query<{ path: string }>(`SELECT path FROM sl_folders WHERE run_id = ANY($1::text[]) AND left(path, length($2)) = $2`, [[...removedRunIds], `${source}/`]);
  for (const { path } of siblings.rows) {
    const listing: FolderListing | undefined = siblingListing(options.roots, path, guard);
    if (listing) await writeOne(pass, readJob({ listing, known: [] }, pass.settings));
  }
}

/**
 * Replaces the folder in its own transaction. Should PostgreSQL refuse a row (e.g. a NUL character,
 * which its text type cannot hold), the folder is stored as its files and problems only, with a
 * problem naming the error; should even that fail, the problem is kept without a folder.
 */
async function writeIsolated(client: pg.ClientBase, rows: AssembledFolder): Promise<void> {
  const attempt = async (r: AssembledFolder) => {
    try {
      await inFolderTransaction(client, r.key, async () => {
        await storeUnstoredFolderProblemPg(client, r.key, undefined);
        await removeFolderPg(client, r.key);
        await writeFolderPg(client, r);
      });
      return undefined;
    } catch (error) {
      return error ?? 'unknown error';
    }
  };
  const failure = await attempt(rows);
  if (failure === undefined) return;
  const problem = writeFailure(rows, failure);
  if ((await attempt(bareFolder(rows, problem))) === undefined) return;
  await inFolderTransaction(client, rows.key, () => storeUnstoredFolderProblemPg(client, rows.key, problem));
}

/** The stored folders with these keys (each starts with the pass's source), each with its files. */
async function loadStoredFolders(client: pg.ClientBase, keys: readonly string[]): Promise<Map<string, StoredFolder>> {
  const folders = new Map<string, StoredFolder>();
  const byId = new Map<number, StoredFolder>();
  const found = await client.query<{ id: number; path: string; run_id: string | null; pending: number }>(
    'SELECT id, path, run_id, pending FROM sl_folders WHERE path = ANY($1::text[])', [keys],
  );
  for (const r of found.rows) {
    const folder = { runId: r.run_id, pending: r.pending === 1, files: new Map<string, KnownFile>() };
    folders.set(r.path, folder);
    byId.set(r.id, folder);
  }
  if (byId.size === 0) return folders;
  const files = await client.query<{ folder_id: number; path: string; size: number; mtime_ms: number; hash: string }>(
    'SELECT folder_id, path, size, mtime_ms, hash FROM sl_files WHERE folder_id = ANY($1::int[])', [[...byId.keys()]],
  );
  for (const f of files.rows) byId.get(f.folder_id)?.files.set(f.path, { size: Number(f.size), mtimeMs: f.mtime_ms, hash: f.hash });
  return folders;
}

async function touchFiles(client: pg.ClientBase, files: ReadonlyArray<{ key: string; size: number; mtimeMs: number }>): Promise<void> {
  await client.query(
    'UPDATE sl_files SET size = x.s, mtime_ms = x.t FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS x(p, s, t) WHERE sl_files.path = x.p',
    [files.map((f) => f.key), files.map((f) => f.size), files.map((f) => f.mtimeMs)],
  );
}

/** This source's scenario definitions and folder-less problems, replaced in one transaction. */
async function writeScenarios(client: pg.ClientBase, source: string, listings: readonly FolderListing[], discoveryProblems: readonly Problem[], guard: LinkGuard, report: IndexReport): Promise<Map<string, string>> {
  const definitions: ScenarioDefinition[] = [];
  const problems = listings.flatMap((listing) => {
    const { definition, problems } = readScenarioFolder(listing, guard);
    if (definition) definitions.push(definition);
    return problems;
  });
  problems.push(...discoveryProblems);
  const prefix = `${source}/`;
  await inFolderTransaction(client, prefix, async () => {
    await client.query('DELETE FROM sl_scenarios WHERE left(dir, length($1)) = $1', [prefix]);
    await client.query('DELETE FROM sl_problems WHERE folder_id IS NULL AND left(file, length($1)) = $1', [prefix]);
    await client.query(
      'INSERT INTO sl_scenarios (dir, name, definition) SELECT * FROM unnest($1::text[], $2::text[], $3::json[]) ON CONFLICT (dir) DO UPDATE SET name = excluded.name, definition = excluded.definition',
      [definitions.map((d) => d.dir), definitions.map((d) => d.name), definitions.map((d) => JSON.stringify(d))],
    );
    await client.query(
      'INSERT INTO sl_problems (folder_id, file, line, severity, message) SELECT NULL, * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])',
      [problems.map((p) => p.file), problems.map((p) => p.line), problems.map((p) => p.severity), problems.map((p) => p.message)],
    );
  }, false);
  report.scenarios = definitions.length;
  return new Map(definitions.map((d) => [lastSegment(d.dir), d.name]));
}

async function loadScenarioNames(client: pg.ClientBase, source: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ dir: string; name: string }>('SELECT dir, name FROM sl_scenarios WHERE left(dir, length($1)) = $1', [`${source}/`]);
  return new Map(rows.map((r) => [lastSegment(r.dir), r.name]));
}

export { CHANNEL };
