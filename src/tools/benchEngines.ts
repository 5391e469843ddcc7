/**
 * `npm run bench -- --engine postgres [--runs N] [--turns T] [--actors A] [--iterations K] [--pg-url URL] [--no-sqlite]`
 *
 * The two engines side by side on one generated workspace: cold index (wall time and the peak
 * RSS of the indexing process, threads included, from GNU time), warm re-check, one changed
 * decision file (re-indexed as the watcher does; on PostgreSQL also the time until another
 * connection LISTENing on the index hears of it), the size of the index, and p50/p90 of every
 * analytics call the main bench times. PostgreSQL is the server at --pg-url (or
 * SCENARIO_LAB_TEST_PG_URL), else a throwaway cluster from scripts/postgres/start.sh, stopped at
 * the end. sql.js runs too unless --no-sqlite (it cannot hold much past 12,000 such runs).
 * Prints a markdown table (the README quotes it) and writes JSON to .bench/engines-<runs>.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { CHANNEL } from '../core/indexer/postgres/writeFolderPg';
import { openConnectedScenarioIndex } from '../core/scenarioIndex';
import { openSharedIndex } from '../core/sharedIndex';
import { queryLatencies, type Latency } from './benchQueries';
import { optionValue, rootsOf } from './benchWorkspace';

type Engine = 'sqlite' | 'postgres';

interface EngineResult {
  engine: Engine;
  coldMs: number;
  coldPeakRssMb: number;
  warmMs: number;
  changedFileMs: number;
  /** PostgreSQL: from the file write until another connection hears the NOTIFY of the folder. */
  changedVisibleMs?: number;
  sizeMb: number;
  queries: Latency[];
}

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(__dirname, 'cli.js');

function log(message: string): void {
  process.stderr.write(`[bench engines] ${message}\n`);
}

/** Runs the CLI's index under GNU time: wall ms, peak RSS (MB) and the CLI's JSON report. */
function timedIndex(dir: string, db: string): { ms: number; peakRssMb: number; report: { durationMs: number; foldersIndexed: number } } {
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, CLI, 'index', dir, '--db', db, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`index failed: ${child.stderr}`);
  const rss = /maxrss=(\d+)/.exec(child.stderr);
  return { ms, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, report: JSON.parse(child.stdout) };
}

/** A decision file of a completed run (the first in path order), to change. */
function decisionFile(dir: string): string {
  const runs = path.join(dir, 'output');
  for (const scenario of fs.readdirSync(runs).sort()) {
    for (const run of fs.readdirSync(path.join(runs, scenario)).sort()) {
      const folder = path.join(runs, scenario, run);
      // An actor's decision file (`<actor>-NNN.md`), not a world state, message or summary file.
      const file = fs.readdirSync(folder).sort().find((f) => /^(?!world-state|bilateral|coalition|public|summary)[^ ]+-\d{3}\.md$/.test(f));
      if (file) return path.join(folder, file);
    }
  }
  throw new Error(`no decision file under ${runs}`);
}

async function benchEngine(engine: Engine, dir: string, db: string, iterations: number): Promise<EngineResult> {
  if (engine === 'sqlite') fs.rmSync(db, { force: true });
  else await resetDatabase(db);
  log(`${engine}: cold index`);
  const cold = timedIndex(dir, db);
  log(`${engine}: cold ${cold.ms.toFixed(0)} ms, peak ${cold.peakRssMb.toFixed(0)} MB; warm re-check`);
  const warm = timedIndex(dir, db);
  const file = decisionFile(dir);
  const original = fs.readFileSync(file);
  const roots = rootsOf(dir);
  try {
    if (engine === 'sqlite') {
      const index = await openConnectedScenarioIndex(db);
      try {
        fs.writeFileSync(file, `${original.toString('utf8')}\nBENCH ${Date.now()}\n`);
        const started = performance.now();
        await index.index({ roots, onlyFolders: [path.dirname(file)] });
        await index.save();
        const changedFileMs = performance.now() - started;
        const queries = await queryLatencies(index, iterations);
        return { engine, coldMs: cold.ms, coldPeakRssMb: cold.peakRssMb, warmMs: warm.ms, changedFileMs, sizeMb: fs.statSync(db).size / 1e6, queries };
      } finally {
        await index.close();
      }
    }
    const index = await openSharedIndex(db);
    const listener = new pg.Client({ connectionString: db });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${CHANNEL}`);
      const heard = new Promise<number>((resolve) => listener.once('notification', () => resolve(performance.now())));
      const started = performance.now();
      fs.writeFileSync(file, `${original.toString('utf8')}\nBENCH ${Date.now()}\n`);
      await index.index({ roots, onlyFolders: [path.dirname(file)] });
      const changedFileMs = performance.now() - started;
      const changedVisibleMs = (await heard) - started;
      const queries = await queryLatencies(index, iterations);
      return { engine, coldMs: cold.ms, coldPeakRssMb: cold.peakRssMb, warmMs: warm.ms, changedFileMs, changedVisibleMs, sizeMb: (await index.sizeBytes()) / 1e6, queries };
    } finally {
      await listener.end();
      await index.close();
    }
  } finally {
    fs.writeFileSync(file, original);
  }
}

async function resetDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

function table(results: EngineResult[], runs: number): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
  const head = `| ${runs.toLocaleString('en')} runs | ${results.map((r) => (r.engine === 'sqlite' ? 'sql.js (embedded)' : 'PostgreSQL 15')).join(' | ')} |`;
  const rule = `|---|${results.map(() => '---').join('|')}|`;
  const row = (name: string, cell: (r: EngineResult) => string) => `| ${name} | ${results.map(cell).join(' | ')} |`;
  const rows = [
    row('cold index', (r) => ms(r.coldMs)),
    row('peak memory of the indexer', (r) => `${r.coldPeakRssMb.toFixed(0)} MB`),
    row('index size', (r) => `${r.sizeMb.toFixed(0)} MB`),
    row('warm re-check (CLI, nothing changed)', (r) => ms(r.warmMs)),
    row('one changed file re-indexed', (r) => ms(r.changedFileMs)),
    row('… heard by another window (NOTIFY)', (r) => ms(r.changedVisibleMs)),
    ...results[0].queries.map((q, i) => row(`${q.name} p50 / p90`, (r) => `${ms(r.queries[i].p50)} / ${ms(r.queries[i].p90)}`)),
  ];
  return [head, rule, ...rows].join('\n');
}

export async function engineBench(argv: string[]): Promise<void> {
  const runs = Number(optionValue(argv, '--runs') ?? 1000);
  const turns = Number(optionValue(argv, '--turns') ?? 10);
  const actors = Number(optionValue(argv, '--actors') ?? 6);
  const iterations = Number(optionValue(argv, '--iterations') ?? 20);
  const dir = path.resolve(optionValue(argv, '--dir') ?? path.join(os.tmpdir(), `scenario-lab-engines-${runs}x${turns}x${actors}`));
  if (!fs.existsSync(path.join(dir, 'output'))) {
    log(`generating ${runs} runs into ${dir}`);
    const generated = spawnSync(process.execPath, [path.join(__dirname, 'generate-samples.js'), '--out', dir, '--runs', String(runs), '--turns', String(turns), '--actors', String(actors), '--force'], { stdio: 'inherit' });
    if (generated.status !== 0) throw new Error('generating the workspace failed');
  }
  let url = optionValue(argv, '--pg-url') ?? process.env.SCENARIO_LAB_TEST_PG_URL;
  let cluster: string | undefined;
  if (!url) {
    const started = spawnSync('bash', [path.join(REPO, 'scripts', 'postgres', 'start.sh')], { encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`could not start PostgreSQL: ${started.stderr}`);
    url = /SCENARIO_LAB_TEST_PG_URL=(\S+)/.exec(started.stdout)![1];
    cluster = /SCENARIO_LAB_PG_DIR=(\S+)/.exec(started.stdout)![1];
  }
  try {
    const results: EngineResult[] = [];
    if (!argv.includes('--no-sqlite')) results.push(await benchEngine('sqlite', dir, `${dir}.engines.db`, iterations));
    results.push(await benchEngine('postgres', dir, url, iterations));
    console.log(table(results, runs));
    fs.mkdirSync('.bench', { recursive: true });
    fs.writeFileSync(path.join('.bench', `engines-${runs}.json`), `${JSON.stringify({ runs, turns, actors, cpus: os.cpus().length, results }, null, 2)}\n`);
  } finally {
    if (cluster) spawnSync('bash', [path.join(REPO, 'scripts', 'postgres', 'stop.sh'), cluster], { stdio: 'inherit' });
  }
}
