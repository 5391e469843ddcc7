/**
 * The bench's report: the results as JSON, the table of measures against the targets, and
 * the per-thread CPU profile summary of the cold index (with --profile).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Latency } from './benchQueries';
import type { ColdResult, IncrementalResult } from './benchIndexing';
import { summariseCpuProfile, type ThreadProfile } from './cpuProfileSummary';

/** Everything one bench run measured: printed as JSON and written to --out. */
export interface Results {
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

/** The table's rows: each measure, its value, its target and whether the target was met. */
export function tableRows(r: Results): Row[] {
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
export function threadProfiles(dir: string): NonNullable<Results['profile']> {
  const summaries = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summariseCpuProfile(path.join(dir, f)));
  const threadName = (p: ThreadProfile) =>
    p.functions.has('readAll') ? 'reader thread' : p.functions.has('indexRoots') ? 'index thread' : p.functions.has('coldChild') ? 'caller (main thread)' : 'other thread';
  return summaries.map((p) => ({ thread: threadName(p), totalMs: p.totalMs, top: p.top })).sort((a, b) => a.thread.localeCompare(b.thread));
}

/** The profiles as text: per thread, its sampled total and its functions with the most self time. */
export function formatProfiles(profiles: NonNullable<Results['profile']>): string {
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

/** The measures as a markdown table, with a verdict per target (met / MISSED). */
export function formatTable(rows: Row[]): string {
  const headers: Row = { measure: 'measure', value: 'value', target: 'target', verdict: '' };
  const all = [headers, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row) => `| ${r.measure.padEnd(width('measure'))} | ${r.value.padEnd(width('value'))} | ${r.target.padEnd(width('target'))} | ${r.verdict.padEnd(width('verdict'))} |`;
  const rule = `|${['measure', 'value', 'target', 'verdict'].map((k) => '-'.repeat(width(k as keyof Row) + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
