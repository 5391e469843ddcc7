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
import { linkGuardFor } from '../../discover/discoverFolders';
import type { LinkGuard } from '../../discover/links';
import type { Problem, ScenarioDefinition } from '../../format/records';
import type { AssembledFolder } from '../assembledFolder';
import { emptyReport } from '../indexReport';
import { countRead, hasChanged, lastSegment, listCandidates, readChangedFolders, sameHashes, siblingListing, type IndexOptions, type IndexReport, type StoredFolder } from '../indexer';
import { bareFolder, writeFailure } from '../batchedWrites';
import { readJob, type ReadSettings } from '../readJobs';
import type { KnownFile } from '../readFolder';
import { readScenarioFolder } from '../readScenario';
import { indexBatchesPg } from './batchesPg';
import { CHANNEL, inFolderTransaction, removeFolderPg, storeUnstoredFolderProblemPg, writeFolderPg } from './writeFolderPg';

/** Folders written in one pass from which its end refreshes the planner's statistics. */
const ANALYZE_AFTER = 100;

/**
 * Indexes the roots (each with `source` set) into the database of `pool`. Errors of one folder
 * become a problem at that folder; a lost connection ends the pass with the error.
 */
export async function indexRootsPg(pool: pg.Pool, options: IndexOptions): Promise<IndexReport> {
  const started = Date.now();
  const source = options.roots[0]?.source;
  if (source === undefined || options.roots.some((r) => r.source !== source)) throw new Error('A shared index needs one source name for all roots.');
  const report = emptyReport();
  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const guard = linkGuardFor(options.roots, options);
  const { listings, scenarioListings, batchListings, discoveryProblems, scopeKeys } = await listCandidates(options, guard);
  const client = await pool.connect();
  try {
    const stored = await loadStoredFolders(client, source, scopeKeys);
    report.foldersSeen = listings.length;
    const scenarioNames = scenarioListings ? await writeScenarios(client, source, scenarioListings, discoveryProblems, guard, report) : await loadScenarioNames(client, source);
    const settings: ReadSettings = { read: options.read, scenarioNames: [...scenarioNames] };

    const changed = listings.filter((l) => hasChanged(l, stored.get(l.key)));
    report.foldersUnchanged = listings.length - changed.length;
    const present = new Set(listings.map((l) => l.key));
    const removed = [...stored.keys()].filter((key) => (scopeKeys === undefined || scopeKeys.has(key)) && !present.has(key));
    const removedRunIds = new Set<string>();
    for (const key of removed) {
      const runId = await inFolderTransaction(client, key, () => removeFolderPg(client, key));
      if (runId) removedRunIds.add(runId);
    }
    report.foldersRemoved = removed.length;

    const written = new Set<string>();
    const write = async (rows: AssembledFolder) => {
      written.add(rows.key);
      if (rows.pending) report.pendingFolders.push(rows.key);
      await writeIsolated(client, rows);
      report.foldersIndexed++;
      options.onProgress?.({ phase: 'write', done: report.foldersIndexed, total: changed.length });
    };
    for await (const rows of readChangedFolders(changed, stored, options, settings)) {
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
      await write(rows);
    }
    // A removed folder may have held the one stored copy of messages its siblings (same run id) share: rewrite those.
    if (removedRunIds.size > 0 && !report.cancelled) {
      const listingByKey = new Map(listings.map((l) => [l.key, l]));
      const siblings = await client.query<{ path: string }>(`SELECT path FROM sl_folders WHERE run_id = ANY($1::text[]) AND left(path, length($2)) = $2`, [[...removedRunIds], `${source}/`]);
      for (const { path } of siblings.rows) {
        const listing: FolderListing | undefined = listingByKey.get(path) ?? siblingListing(options.roots, path, guard);
        if (listing && !written.has(path)) await write(readJob({ listing, known: [] }, settings));
      }
    }
    // After a big pass the planner's statistics are stale until autovacuum gets to them (measured at
    // 1,000 runs: the metric page query 58 -> 32 ms p50 once analysed); refresh them now.
    if (report.foldersIndexed >= ANALYZE_AFTER) await client.query('ANALYZE turns, decisions, communications, metrics, costs, runs, sl_folders, sl_files, sl_origins, sl_metric_actors');
    // Batch problems are stored (folder-less) and counted below with every other one.
    if (!report.cancelled) await indexBatchesPg(client, source, { roots: options.roots, discovered: batchListings, changedFolders: options.onlyFolders });
    report.problems = Number((await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM sl_problems')).rows[0].n);
  } finally {
    client.release();
  }
  report.durationMs = Date.now() - started;
  return report;
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

async function loadStoredFolders(client: pg.ClientBase, source: string, keys: ReadonlySet<string> | undefined): Promise<Map<string, StoredFolder>> {
  const folders = new Map<string, StoredFolder>();
  const byId = new Map<number, StoredFolder>();
  const found = keys
    ? await client.query<{ id: number; path: string; run_id: string | null; pending: number }>('SELECT id, path, run_id, pending FROM sl_folders WHERE path = ANY($1::text[])', [[...keys]])
    : await client.query<{ id: number; path: string; run_id: string | null; pending: number }>('SELECT id, path, run_id, pending FROM sl_folders WHERE left(path, length($1)) = $1', [`${source}/`]);
  for (const r of found.rows) {
    const folder = { runId: r.run_id, pending: r.pending === 1, files: new Map<string, KnownFile>() };
    folders.set(r.path, folder);
    byId.set(r.id, folder);
  }
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
async function writeScenarios(client: pg.ClientBase, source: string, listings: FolderListing[], discoveryProblems: readonly Problem[], guard: LinkGuard, report: IndexReport): Promise<Map<string, string>> {
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
