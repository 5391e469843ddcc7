/**
 * `npm run samples -- --out <dir> [--runs N] [--turns T] [--actors A] [--scenarios K] [--seed S] [--batch R] [--jobs J] [--force]`
 *
 * Writes a deterministic Scenario Lab workspace (see src/tools/samples) to <dir>. Same arguments,
 * same bytes, whatever --jobs is: runs are split over worker threads by index, and every run is
 * a pure function of the options and its index. Writes are synchronous on purpose: ~100,000 small
 * files are written fastest without per-file promise overhead.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_SAMPLE_OPTIONS, generateSampleWorkspace, type SampleOptions, type Shard } from './samples/sampleWorkspace';

const USAGE = `usage: generate-samples --out <dir> [options]
  --runs N        run folders under output/ (default ${DEFAULT_SAMPLE_OPTIONS.runs})
  --turns T       turns per run (default ${DEFAULT_SAMPLE_OPTIONS.turns}; some runs stop earlier)
  --actors A      actors per scenario (default ${DEFAULT_SAMPLE_OPTIONS.actors})
  --scenarios K   scenario definitions (default ${DEFAULT_SAMPLE_OPTIONS.scenarios})
  --seed S        any string (default ${DEFAULT_SAMPLE_OPTIONS.seed})
  --batch [R]     also write experiments/model-comparison: 2 variations x R runs (default R = 2)
  --batch-variations V   variations of that batch (1 to 6, default 2)
  --batch-failures F     batch runs that fail (statuses cycle failed, cost_limit_exceeded, budget_exceeded)
  --jobs J        worker threads (default: available CPUs, at most 4); does not change the output
  --force         write into a non-empty directory (stale files of other runs are kept!)`;

interface CliArgs {
  out: string;
  force: boolean;
  jobs: number;
  options: Partial<SampleOptions>;
}

/** What one worker reports back. */
interface ShardResult {
  files: number;
  bytes: number;
  kinds: Record<string, number>;
}

interface ShardJob {
  root: string;
  options: Partial<SampleOptions>;
  shard: Shard;
}

function parseArgs(argv: string[]): CliArgs {
  const options: Partial<SampleOptions> = {};
  let out: string | undefined;
  let force = false;
  let jobs = Math.min(availableParallelism(), 4);
  const integer = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${flag} needs a non-negative integer`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--out': out = argv[++i]; break;
      case '--runs': options.runs = integer(flag, argv[++i]); break;
      case '--turns': options.turns = integer(flag, argv[++i]); break;
      case '--actors': options.actors = integer(flag, argv[++i]); break;
      case '--scenarios': options.scenarios = integer(flag, argv[++i]); break;
      case '--jobs': jobs = Math.max(1, integer(flag, argv[++i])); break;
      case '--seed':
        if (argv[i + 1] === undefined) throw new Error('--seed needs a value');
        options.seed = argv[++i];
        break;
      case '--batch':
        // The count is optional: `--batch` alone means two runs per variation.
        options.batchRunsPerVariation = /^\d+$/.test(argv[i + 1] ?? '') ? integer(flag, argv[++i]) : 2;
        break;
      case '--batch-variations': options.batchVariations = integer(flag, argv[++i]); break;
      case '--batch-failures': options.batchFailures = integer(flag, argv[++i]); break;
      case '--force': force = true; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!out) throw new Error('--out <dir> is required');
  return { out, force, jobs, options };
}

/** Generates one shard and writes its files with plain synchronous calls. */
function writeShard({ root, options, shard }: ShardJob): ShardResult {
  const madeDirs = new Set<string>();
  let bytes = 0;
  // One reused buffer: a fresh Buffer per file costs more in allocation and page faults than the write itself.
  let buffer = Buffer.allocUnsafe(1 << 20);
  const summary = generateSampleWorkspace(options, (relative, content) => {
    const file = path.join(root, relative);
    const dir = path.dirname(file);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true }); // tolerates a directory another worker just made
      madeDirs.add(dir);
    }
    if (buffer.length < content.length * 3) buffer = Buffer.allocUnsafe(content.length * 3);
    const length = buffer.write(content, 0, 'utf8');
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, buffer, 0, length);
    } finally {
      closeSync(fd);
    }
    bytes += length;
  }, shard);
  const kinds: Record<string, number> = {};
  for (const r of summary.runs) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  return { files: summary.files, bytes, kinds };
}

function runWorker(job: ShardJob): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`worker ${job.shard.index} exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const root = path.resolve(args.out);
  if (!args.force && existsSync(root) && readdirSync(root).length > 0) {
    console.error(`${root} is not empty; use an empty directory or --force`);
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const count = Math.max(1, Math.min(args.jobs, args.options.runs ?? DEFAULT_SAMPLE_OPTIONS.runs));
  const jobs = Array.from({ length: count }, (_, index): ShardJob => ({ root, options: args.options, shard: { index, count } }));
  const results = count === 1 ? [writeShard(jobs[0])] : await Promise.all(jobs.map(runWorker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const kinds = new Map<string, number>();
  for (const r of results) for (const [k, n] of Object.entries(r.kinds)) kinds.set(k, (kinds.get(k) ?? 0) + n);
  const files = results.reduce((s, r) => s + r.files, 0);
  const bytes = results.reduce((s, r) => s + r.bytes, 0);
  console.log(
    `wrote ${files} files (${(bytes / 1e6).toFixed(1)} MB) for ${[...kinds.values()].reduce((s, n) => s + n, 0)} runs ` +
      `(${[...kinds].sort().map(([k, n]) => `${n} ${k}`).join(', ')}) to ${root} in ${seconds.toFixed(1)} s with ${count} thread(s)`,
  );
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  parentPort!.postMessage(writeShard(workerData as ShardJob));
}
