/**
 * What the bench measures of the index itself: a cold index through the worker in a process of its
 * own (so its peak RSS is not the bench's), then, on the saved database, a warm re-check and
 * incremental changes (decision files changed one after another, a run added, a run deleted), each
 * checked against what the index answers. Every change to the workspace is undone afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startIndexWorker, type IndexClient } from '../core/worker/indexClient';
import { timed } from './benchQueries';
import { fileWriter, readManifest, rootsOf, writeManifest, type BenchOptions } from './benchWorkspace';
import { generateSampleWorkspace } from './samples/sampleWorkspace';

/** The longest the caller's event loop was blocked while `work` ran (ms, 1 ms resolution). */
async function withLoopMonitor<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; maxBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - started, maxBlockMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** The cold index (ms; RSS in MB, from process.resourceUsage; sizes in bytes) and its save. */
export interface ColdResult {
  ms: number;
  maxBlockMs: number;
  foldersIndexed: number;
  filesRead: number;
  bytesRead: number;
  problems: number;
  peakRssAfterIndexMb: number;
  saveMs: number;
  peakRssAfterSaveMb: number;
  dbBytes: number;
}

/** The index worker bundle, next to the bench bundle in dist/. */
export const WORKER_SCRIPT = path.join(__dirname, 'indexWorker.js');

/** Runs in its own process (`--cold`): a cold index through the worker into an empty database, then a save. */
export async function coldChild(dir: string, dbFile: string): Promise<ColdResult> {
  fs.rmSync(dbFile, { force: true });
  const client = startIndexWorker(WORKER_SCRIPT, dbFile);
  await client.opened;
  const indexed = await withLoopMonitor(() => client.index({ roots: rootsOf(dir) }));
  const peakRssAfterIndexMb = maxRssMb();
  const saved = await timed(() => client.save());
  const dbBytes = fs.statSync(dbFile).size;
  const peakRssAfterSaveMb = maxRssMb();
  await client.close();
  const r = indexed.result;
  return {
    ms: indexed.ms, maxBlockMs: indexed.maxBlockMs, foldersIndexed: r.foldersIndexed, filesRead: r.filesRead, bytesRead: r.bytesRead,
    problems: r.problems, peakRssAfterIndexMb, saveMs: saved.ms, peakRssAfterSaveMb, dbBytes,
  };
}

/**
 * Runs coldChild() in a child process: `script` (the bench bundle) with `--cold dir dbFile`, under
 * `--cpu-prof` into `profileDir` when given. Returns the child's last stdout line; throws when it fails.
 */
export function runColdInChild(script: string, dir: string, dbFile: string, profileDir: string | undefined): ColdResult {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawnSync(process.execPath, [...process.execArgv, ...profiling, script, '--cold', dir, dbFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`the cold-index process failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ColdResult;
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // kilobytes on every platform
}

// ------------------------------------------------------------------ reopen, warm, incremental

const CHANGED_FILES = 5;

/** The measures on the reopened index (ms; maxBlockMs: the caller's longest event-loop block). */
export interface IncrementalResult {
  reopenMs: number;
  warm: { ms: number; maxBlockMs: number; foldersUnchanged: number; filesRead: number };
  /** Decision files changed one after another, each in another run: the first meets code the JIT has not compiled yet. */
  changedFiles: { ms: number[]; maxBlockMs: number };
  addedRun: { ms: number; maxBlockMs: number };
  deletedRun: { ms: number; maxBlockMs: number };
  saveMs: number;
}

interface Sample {
  runId: string;
  folder: string;
}

/**
 * The warm re-check and the incremental changes on an opened index of `options.dir` (reopenMs is
 * carried into the result). Marks the workspace's manifest dirty while it changes files, and undoes
 * every change (and the mark) before it returns or throws.
 */
export async function incremental(client: IndexClient, options: BenchOptions, reopenMs: number): Promise<IncrementalResult> {
  const roots = rootsOf(options.dir);
  const warm = await withLoopMonitor(() => client.index({ roots }));
  const [deleteRun, ...changeRuns] = await completedRuns(client, 1 + CHANGED_FILES);
  const manifest = readManifest(options.dir)!;
  writeManifest(options.dir, { ...manifest, dirty: true });
  const undo: Array<() => void> = [];
  try {
    const changed: Array<{ ms: number; maxBlockMs: number }> = [];
    for (const run of changeRuns) changed.push(await changeOneDecision(client, options.dir, run, undo));
    const changedFiles = { ms: changed.map((c) => c.ms), maxBlockMs: Math.max(...changed.map((c) => c.maxBlockMs)) };
    const addedRun = await addOneRun(client, options, undo);
    const deletedRun = await deleteOneRun(client, options.dir, deleteRun, undo);
    const saved = await timed(() => client.save());
    return {
      reopenMs,
      warm: { ms: warm.ms, maxBlockMs: warm.maxBlockMs, foldersUnchanged: warm.result.foldersUnchanged, filesRead: warm.result.filesRead },
      changedFiles,
      addedRun,
      deletedRun,
      saveMs: saved.ms,
    };
  } finally {
    for (const step of undo.reverse()) step();
    writeManifest(options.dir, manifest);
  }
}

async function completedRuns(client: IndexClient, count: number): Promise<Sample[]> {
  const rows = await client.kysely
    .selectFrom('runs')
    .innerJoin('sl_folders', 'sl_folders.run_id', 'runs.id')
    .select(['runs.id', 'sl_folders.path'])
    .where('runs.status', '=', 'completed')
    .orderBy('runs.id')
    .limit(count)
    .execute();
  if (rows.length < count) throw new Error(`the workspace has fewer than ${count} completed runs`);
  return rows.map((r) => ({ runId: r.id, folder: r.path }));
}

/** Inserts a marker line at the top of one decision's Action; the index must answer with it. */
async function changeOneDecision(client: IndexClient, dir: string, run: Sample, undo: Array<() => void>): Promise<{ ms: number; maxBlockMs: number }> {
  const origin = (await client.analytics.listDecisions(run.runId)).find((d) => d.source);
  if (!origin?.source) throw new Error(`run ${run.runId} has no decision with a source file`);
  const file = path.join(dir, ...origin.source.file.split('/'));
  const original = fs.readFileSync(file);
  const marker = `BENCH MARKER ${Date.now()}`;
  const changed = original.toString('utf8').replace(/## Action\n(\n?)/, `## Action\n$1${marker}\n`);
  if (!changed.includes(marker)) throw new Error(`${file} has no Action section`);
  undo.push(() => fs.writeFileSync(file, original));
  fs.writeFileSync(file, changed);
  const measured = await withLoopMonitor(async () => {
    await client.index({ roots: rootsOf(dir), onlyFolders: [path.dirname(file)] });
    return client.analytics.listDecisions(run.runId, origin.turnNum);
  });
  const decision = measured.result.find((d) => d.actor === origin.actor);
  if (!decision?.action.startsWith(marker)) throw new Error('the changed decision is not what the index answers');
  return { ms: measured.ms, maxBlockMs: measured.maxBlockMs };
}

/** Copies a freshly generated completed run (its own run id) into the workspace; the index must count its turns. */
async function addOneRun(client: IndexClient, options: BenchOptions, undo: Array<() => void>): Promise<{ ms: number; maxBlockMs: number }> {
  const known = new Set((await client.kysely.selectFrom('runs').select('id').execute()).map((r) => r.id));
  const folder = path.join(options.dir, 'output', 'bench-added', 'run-001');
  undo.push(() => fs.rmSync(path.dirname(folder), { recursive: true, force: true }));
  const runId = writeNewRun(options, folder, known);
  const measured = await withLoopMonitor(async () => {
    await client.index({ roots: rootsOf(options.dir), onlyFolders: [folder] });
    return client.analytics.getRunStatistics(runId);
  });
  if (measured.result?.turnCount !== options.sample.turns) throw new Error(`the added run has ${measured.result?.turnCount} turns in the index`);
  return { ms: measured.ms, maxBlockMs: measured.maxBlockMs };
}

/** Generates a one-run workspace with a seed whose run id is new, and writes only its run folder. */
function writeNewRun(options: BenchOptions, folder: string, known: Set<string>): string {
  for (let attempt = 1; attempt < 20; attempt++) {
    const seed = `bench-added-${attempt}`;
    const { runs } = generateSampleWorkspace({ ...options.sample, runs: 1, seed }, () => undefined);
    if (known.has(runs[0].runId) || runs[0].status !== 'completed') continue;
    const prefix = `${runs[0].path}/`;
    generateSampleWorkspace({ ...options.sample, runs: 1, seed }, fileWriter(folder, (r) => (r.startsWith(prefix) ? r.slice(prefix.length) : undefined)));
    return runs[0].runId;
  }
  throw new Error('no seed gave a completed run with a new run id');
}

/** Moves a run folder out of the workspace; the index must forget its run. */
async function deleteOneRun(client: IndexClient, dir: string, run: Sample, undo: Array<() => void>): Promise<{ ms: number; maxBlockMs: number }> {
  const folder = path.join(dir, ...run.folder.split('/'));
  const aside = `${dir}.deleted-run`;
  fs.rmSync(aside, { recursive: true, force: true });
  fs.renameSync(folder, aside);
  undo.push(() => fs.renameSync(aside, folder));
  const measured = await withLoopMonitor(async () => {
    await client.index({ roots: rootsOf(dir), onlyFolders: [folder] });
    return client.analytics.getRun(run.runId);
  });
  if (measured.result !== undefined) throw new Error('the deleted run is still in the index');
  return { ms: measured.ms, maxBlockMs: measured.maxBlockMs };
}
