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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startIndexWorker } from '../core/worker/indexClient';
import { queryLatencies } from './benchQueries';
import { engineBench } from './benchEngines';
import { coldChild, incremental, runColdInChild, WORKER_SCRIPT } from './benchIndexing';
import { formatProfiles, formatTable, tableRows, threadProfiles, type Results } from './benchReport';
import { ensureWorkspace, parseOptions, readEverything } from './benchWorkspace';

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
  const cold = runColdInChild(__filename, options.dir, dbFile, profileDir);
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
