/**
 * The bench's command line and its workspace: the options, the generated workspace reused while its
 * manifest matches (generating 100,000 files takes longer than everything measured), and the raw
 * read floor every index timing is compared with.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IndexRoot } from '../core/folderKeys';
import { generateSampleWorkspace, type SampleOptions } from './samples/sampleWorkspace';

export interface BenchOptions {
  sample: Pick<SampleOptions, 'runs' | 'turns' | 'actors'>;
  dir: string;
  out: string;
  iterations: number;
  /** Profile the cold index (each thread) and print where the time went. */
  profile: boolean;
}

const DEFAULT_SIZE = { runs: 1000, turns: 10, actors: 6 };
const SMALL_SIZE = { runs: 30, turns: 10, actors: 6 };

/** The word after `flag` in `argv` (`--runs 20` → '20'); undefined when the flag is absent. */
export function optionValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The options of `npm run bench -- …` (see bench.ts); throws on a count that is not a positive integer. */
export function parseOptions(argv: string[]): BenchOptions {
  const value = (flag: string) => optionValue(argv, flag);
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

/** Written next to the workspace: what it was generated from, and whether a bench left it modified. */
export interface Manifest {
  sample: BenchOptions['sample'];
  files: number;
  dirty: boolean;
}

function manifestPath(dir: string): string {
  return `${dir}.manifest.json`;
}

/** The manifest written next to `dir`, or undefined when there is none (or it is unreadable). */
export function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export function writeManifest(dir: string, manifest: Manifest): void {
  fs.writeFileSync(manifestPath(dir), JSON.stringify(manifest));
}

/** Reuses the workspace when it was generated from the same options and left clean; else regenerates it. */
export function ensureWorkspace(options: BenchOptions): { files: number; generatedMs: number | null } {
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
export function fileWriter(root: string, rename: (relative: string) => string | undefined = (r) => r): (relative: string, content: string) => void {
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

export interface ReadFloor {
  ms: number;
  files: number;
  bytes: number;
}

/** Plain Node, one thread: readdir + stat + readFileSync of every file, no parsing, no SQL. */
export function readEverything(dir: string): ReadFloor {
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

/** The generated workspace as the one index root. */
export function rootsOf(dir: string): IndexRoot[] {
  return [{ name: path.basename(dir), absPath: dir }];
}
