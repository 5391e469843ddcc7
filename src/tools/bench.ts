/**
 * `npm run bench -- [--small] [--runs N] [--turns T] [--actors A] [--dir DIR] [--out FILE] [--iterations K] [--profile]`
 *
 * Measures the index at batch scale (issue 3) on a generated workspace: the raw read floor, a cold
 * index through the worker (wall time, throughput, peak RSS, database size, the caller's event-loop
 * block), save and reopen, a warm re-check, incremental changes (five decision files one after
 * another, a new run, a deleted run), and the p50/p90 latency of each analytics call through
 * Kysely as the extension issues them (the lists the views page: first page and whole list). Prints a table and JSON, and
 * writes the JSON to --out (default .bench/bench-results.json, git-ignored).
 *
 * The workspace is deterministic (same options, same bytes), so it is generated once into --dir
 * (default: a folder in the temp dir named after the options) and reused while its manifest
 * matches: generating 100,000 files takes longer here than everything measured.
 *
 * The cold index runs in a child process of its own, so that its peak RSS is not the bench's.
 * With --profile that process runs under `--cpu-prof`: the bench then prints, per thread, the
 * functions with the most self time (profiles kept in .bench/profile/).
 * This is a script, not a test: nothing here is asserted, apart from the sanity checks that make a
 * timing meaningless when they fail (e.g. the changed text is what the index answers).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { IndexRoot } from '../core/folderKeys';
import { generateSampleWorkspace, type SampleOptions } from './samples/sampleWorkspace';
import { summariseCpuProfile, type ThreadProfile } from './cpuProfileSummary';
import { startIndexWorker, type IndexClient } from '../core/worker/indexClient';
import { queryLatencies, timed, type Latency } from './benchQueries';
import { engineBench } from './benchEngines';

// ------------------------------------------------------------------------------------ options

interface BenchOptions {
  sample: Pick<SampleOptions, 'runs' | 'turns' | 'actors'>;
  dir: string;
  out: string;
  iterations: number;
  /** Profile the cold index (each thread) and print where the time went. */
  profile: boolean;
}

const DEFAULT_SIZE = { runs: 1000, turns: 10, actors: 6 };
const SMALL_SIZE = { runs: 30, turns: 10, actors: 6 };

function parseOptions(argv: string[]): BenchOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const integer = (flag: string, fallback: number) => {
    const text = value(flag);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) throw new Error(`${flag} needs a positive integer`);
    return Number(text);
  };
  const base = argv.includes('--small') ? SMALL_SIZE : DEFAULT_SIZE;
  const sample = { runs: integer('--runs', base.runs), turns: integer('--turns', base.turns), actors: integer('--actors', base.actors) };
  const dir = value('--dir') ?? path.join(os.tmpdir(), `scenario-lab-bench-${sample.runs}x${sample.turns}x${sample.actors}`);
  return { sample, dir: path.resolve(dir), out: path.resolve(value('--out') ?? path.join('.bench', 'bench-results.json')), iterations: integer('--iterations', 30), profile: argv.includes('--profile') };
}

// ---------------------------------------------------------------------------------- workspace

/** Written next to the workspace: what it was generated from, and whether a bench left it modified. */
interface Manifest {
  sample: BenchOptions['sample'];
  files: number;
  dirty: boolean;
}

function manifestPath(dir: string): string {
  return `${dir}.manifest.json`;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function writeManifest(dir: string, manifest: Manifest): void {
  fs.writeFileSync(manifestPath(dir), JSON.stringify(manifest));
}

/** Reuses the workspace when it was generated from the same options and left clean; else regenerates it. */
function ensureWorkspace(options: BenchOptions): { files: number; generatedMs: number | null } {
  const manifest = readManifest(options.dir);
  if (manifest && !manifest.dirty && JSON.stringify(manifest.sample) === JSON.stringify(options.sample) && fs.existsSync(options.dir)) {
    return { files: manifest.files, generatedMs: null };
  }
  fs.rmSync(options.dir, { recursive: true, force: true });
  const started = performance.now();
  const summary = generateSampleWorkspace(options.sample, fileWriter(options.dir));
  writeManifest(options.dir, { sample: options.sample, files: summary.files, dirty: false });
  return { files: summary.files, generatedMs: performance.now() - started };
}

/** A FileSink that writes under `root`, creating each folder once. */
function fileWriter(root: string, rename: (relative: string) => string | undefined = (r) => r): (relative: string, content: string) => void {
  const made = new Set<string>();
  return (relative, content) => {
    const target = rename(relative);
    if (target === undefined) return;
    const file = path.join(root, ...target.split('/'));
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(file, content);
  };
}

// --------------------------------------------------------------------------------- read floor

interface ReadFloor {
  ms: number;
  files: number;
  bytes: number;
}

/** Plain Node, one thread: readdir + stat + readFileSync of every file, no parsing, no SQL. */
function readEverything(dir: string): ReadFloor {
  const started = performance.now();
  let files = 0;
  let bytes = 0;
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const abs = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) {
        fs.statSync(abs);
        bytes += fs.readFileSync(abs).byteLength;
        files++;
      }
    }
  };
  walk(dir);
  return { ms: performance.now() - started, files, bytes };
}

// ------------------------------------------------------------------------------ event loop lag

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

// --------------------------------------------------------------------------- cold (child process)

interface ColdResult {
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

const WORKER_SCRIPT = path.join(__dirname, 'indexWorker.js');

/** Runs in its own process (`--cold`): a cold index through the worker into an empty database, then a save. */
async function coldChild(dir: string, dbFile: string): Promise<ColdResult> {
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

function runColdInChild(dir: string, dbFile: string, profileDir: string | undefined): ColdResult {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawnSync(process.execPath, [...process.execArgv, ...profiling, __filename, '--cold', dir, dbFile], {
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

interface IncrementalResult {
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

async function incremental(client: IndexClient, options: BenchOptions, reopenMs: number): Promise<IncrementalResult> {
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

// ------------------------------------------------------------------------------------- queries

// ------------------------------------------------------------------------------------ report

interface Results {
  machine: { cpus: number; node: string; platform: string };
  workspace: { dir: string; runs: number; turns: number; actors: number; files: number; bytes: number; generatedMs: number | null };
  readFloor: { ms: number; runsMs: number[] };
  cold: ColdResult & { filesPerSec: number; mbPerSec: number; ratioToFloor: number };
  incremental: IncrementalResult;
  queries: Latency[];
  /** With --profile: where each thread of the cold-index process spent its time (index and save). */
  profile?: Array<{ thread: string; totalMs: number; top: ThreadProfile['top'] }>;
}

interface Row {
  measure: string;
  value: string;
  target: string;
  verdict: string;
}

function tableRows(r: Results): Row[] {
  const mb = (bytes: number) => bytes / (1024 * 1024);
  const row = (measure: string, value: string, target = '', ok?: boolean): Row => ({ measure, value, target, verdict: ok === undefined ? '' : ok ? 'met' : 'MISSED' });
  const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
  const dbMb = mb(r.cold.dbBytes);
  const [changedFirst, ...changedLater] = r.incremental.changedFiles.ms;
  const peakRss = Math.max(r.cold.peakRssAfterIndexMb, r.cold.peakRssAfterSaveMb);
  const rows = [
    row('workspace', `${r.workspace.runs} runs x ${r.workspace.turns} turns x ${r.workspace.actors} actors, ${r.workspace.files} files, ${mb(r.workspace.bytes).toFixed(0)} MB`),
    row('read floor (readdir+stat+read, warm cache)', ms(r.readFloor.ms)),
    row('cold index (worker, empty DB)', ms(r.cold.ms)),
    row('  throughput', `${r.cold.filesPerSec.toFixed(0)} files/s, ${r.cold.mbPerSec.toFixed(1)} MB/s`),
    row('  ratio cold / read floor', `${r.cold.ratioToFloor.toFixed(2)} x`, '<= 2.0 x', r.cold.ratioToFloor <= 2),
    row('  peak RSS (index / incl. save)', `${r.cold.peakRssAfterIndexMb.toFixed(0)} / ${r.cold.peakRssAfterSaveMb.toFixed(0)} MB`, `<= 3 x DB = ${(3 * dbMb).toFixed(0)} MB`, peakRss <= 3 * dbMb),
    row('  database size', `${dbMb.toFixed(0)} MB`, '<= ~1 GB', dbMb <= 1024),
    row('  caller event-loop max block', ms(r.cold.maxBlockMs), '<= 50 ms', r.cold.maxBlockMs <= 50),
    row('save after cold index (export + atomic write)', ms(r.cold.saveMs)),
    row('reopen saved DB (worker start to open)', ms(r.incremental.reopenMs)),
    row('warm re-check, nothing changed', ms(r.incremental.warm.ms), '<= 2000 ms', r.incremental.warm.ms <= 2000),
    row('one decision file changed (+ query), first', ms(changedFirst), '<= 100 ms', changedFirst <= 100),
    row(`  the next ${changedLater.length}, each in another run: median / max`, `${ms(median(changedLater))} / ${ms(Math.max(...changedLater))}`, '<= 100 ms', Math.max(...changedLater) <= 100),
    row('one 10-turn run added (+ query)', ms(r.incremental.addedRun.ms), '<= 300 ms', r.incremental.addedRun.ms <= 300),
    row('one run deleted (+ query)', ms(r.incremental.deletedRun.ms)),
    row('save after incremental changes', ms(r.incremental.saveMs)),
  ];
  for (const q of r.queries) {
    rows.push(row(`query ${q.name} (${q.rows} rows)`, `p50 ${ms(q.p50)}, p90 ${ms(q.p90)}`, 'p90 <= 10 ms', q.p90 <= 10));
  }
  return rows;
}

/** One summary per thread of the profiled cold-index process, named by what ran on it. */
function threadProfiles(dir: string): NonNullable<Results['profile']> {
  const summaries = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summariseCpuProfile(path.join(dir, f)));
  const threadName = (p: ThreadProfile) =>
    p.functions.has('readAll') ? 'reader thread' : p.functions.has('indexRoots') ? 'index thread' : p.functions.has('coldChild') ? 'caller (main thread)' : 'other thread';
  return summaries.map((p) => ({ thread: threadName(p), totalMs: p.totalMs, top: p.top })).sort((a, b) => a.thread.localeCompare(b.thread));
}

function formatProfiles(profiles: NonNullable<Results['profile']>): string {
  const lines = ['', 'Cold index and save, CPU profile by thread (self time; profiling adds a few percent):'];
  for (const p of profiles) {
    lines.push(`  ${p.thread}: ${(p.totalMs / 1000).toFixed(1)} s sampled`);
    for (const t of p.top) lines.push(`    ${(t.ms / 1000).toFixed(2).padStart(6)} s ${(100 * t.share).toFixed(1).padStart(5)} %  ${t.name}`);
  }
  return lines.join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function formatTable(rows: Row[]): string {
  const headers: Row = { measure: 'measure', value: 'value', target: 'target', verdict: '' };
  const all = [headers, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row) => `| ${r.measure.padEnd(width('measure'))} | ${r.value.padEnd(width('value'))} | ${r.target.padEnd(width('target'))} | ${r.verdict.padEnd(width('verdict'))} |`;
  const rule = `|${['measure', 'value', 'target', 'verdict'].map((k) => '-'.repeat(width(k as keyof Row) + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------- main

function rootsOf(dir: string): IndexRoot[] {
  return [{ name: path.basename(dir), absPath: dir }];
}


function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  log(`workspace ${options.dir}`);
  const workspace = ensureWorkspace(options);
  if (workspace.generatedMs !== null) log(`generated ${workspace.files} files in ${(workspace.generatedMs / 1000).toFixed(1)} s`);
  readEverything(options.dir); // warm the page cache: every timing below is with the files cached
  const floorBefore = readEverything(options.dir);
  log(`read floor ${floorBefore.ms.toFixed(0)} ms (${floorBefore.files} files, ${(floorBefore.bytes / 1e6).toFixed(0)} MB)`);

  const dbFile = `${options.dir}.bench.db`;
  const profileDir = options.profile ? path.join(path.dirname(options.out), 'profile') : undefined;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const cold = runColdInChild(options.dir, dbFile, profileDir);
  log(`cold index ${cold.ms.toFixed(0)} ms, DB ${(cold.dbBytes / 1e6).toFixed(0)} MB`);
  // The machine is noisy (guide: up to 2x between runs): the floor is the faster of two reads around the cold index.
  const floorAfter = readEverything(options.dir);
  const floorMs = Math.min(floorBefore.ms, floorAfter.ms);

  const opening = performance.now();
  const client = startIndexWorker(WORKER_SCRIPT, dbFile);
  await client.opened;
  const reopenMs = performance.now() - opening;
  try {
    const inc = await incremental(client, options, reopenMs);
    log('incremental done; timing queries');
    const queries = await queryLatencies(client, options.iterations);
    const results: Results = {
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
      workspace: { dir: options.dir, ...options.sample, files: floorBefore.files, bytes: floorBefore.bytes, generatedMs: workspace.generatedMs },
      readFloor: { ms: floorMs, runsMs: [floorBefore.ms, floorAfter.ms] },
      cold: {
        ...cold,
        filesPerSec: floorBefore.files / (cold.ms / 1000),
        mbPerSec: floorBefore.bytes / 1e6 / (cold.ms / 1000),
        ratioToFloor: cold.ms / floorMs,
      },
      incremental: inc,
      queries,
    };
    if (profileDir) results.profile = threadProfiles(profileDir);
    console.log(formatTable(tableRows(results)));
    if (results.profile) console.log(formatProfiles(results.profile));
    console.log(JSON.stringify(results, null, 2));
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${options.out}`);
  } finally {
    await client.close();
  }
}

async function childMain(argv: string[]): Promise<void> {
  const i = argv.indexOf('--cold');
  console.log(JSON.stringify(await coldChild(argv[i + 1], argv[i + 2])));
}

const args = process.argv.slice(2);
(args.includes('--engine') ? engineBench(args) : args.includes('--cold') ? childMain(args) : main(args)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
