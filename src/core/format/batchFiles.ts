/**
 * The JSON files a batch run writes beside `runs/` (docs/format.md#batches): batch-state.json (which runs
 * completed or failed, the variations), batch-costs.json (one cost entry per finished run) and
 * batch-summary.json. Batch files name runs by their folder (`var-001-run-002`), never by run id.
 */
import type { BatchVariation } from './batchConfig';
import { Fields, recordFields, report, type JsonObject, type ProblemSink } from './jsonFields';
import { baseName, parseJsonText, scanJsonLines, type JsonLines } from './jsonText';
import type { Parsed } from './records';

/** Batch run statuses of `failed_runs[].status`; a completed run is `success`. */
export type BatchRunStatus = 'success' | 'failed' | 'budget_exceeded' | 'cost_limit_exceeded' | (string & {});

export interface FailedBatchRun {
  /** Folder name, e.g. `var-002-run-001`. */
  runName: string;
  status: BatchRunStatus;
  error: string | null;
}

export interface BatchState {
  experimentName: string | undefined;
  /** Folder names; a Python set in the runner, so in no particular order. */
  completedRuns: string[];
  failedRuns: FailedBatchRun[];
  variations: BatchVariation[];
  startTime: string | null;
  endTime: string | null;
}

export interface BatchRunCost {
  runName: string;
  variationId: number | null;
  /** USD. */
  cost: number;
  success: boolean | null;
  timestamp: string | null;
}

export interface BatchCosts {
  summary: JsonObject | null;
  runCosts: BatchRunCost[];
}

export interface BatchSummary {
  experimentName: string | undefined;
  baseScenario: string | undefined;
  totalVariations: number | undefined;
  runsPerVariation: number | undefined;
  raw: JsonObject;
}

/** The files of a batch output folder; any one of them makes a folder a batch folder. */
export const BATCH_FILES: readonly string[] = ['batch-config.yaml', 'batch-state.json', 'batch-costs.json', 'batch-summary.json'];

export function isBatchFolder(files: readonly { name: string }[]): boolean {
  return files.some((f) => BATCH_FILES.includes(f.name));
}

/** `var-VVV-run-RRR`: the variation and run number of a batch run folder (3 digits, more from 1000 on). */
export function parseBatchRunName(name: string): { variationId: number; runNumber: number } | undefined {
  const match = /^var-(\d{3,})-run-(\d{3,})$/.exec(name);
  return match ? { variationId: Number(match[1]), runNumber: Number(match[2]) } : undefined;
}

export function parseBatchState(text: string, file: string): Parsed<BatchState> {
  return parseObject(text, file, ['failed_runs', 'variations'], (f, sink, lines) => ({
    experimentName: f.string('experiment_name'),
    completedRuns: f.stringList('completed_runs') ?? [],
    failedRuns: (f.list('failed_runs') ?? []).flatMap((item, i) => {
      const r = recordFields(sink, item, `failed run ${i + 1}`, lines.span(file, ['failed_runs', i]).startLine);
      const runName = r?.string('run_id') ?? r?.required('run_id', undefined);
      return r && runName !== undefined ? [{ runName, status: r.string('status') ?? 'failed', error: r.string('error') ?? null }] : [];
    }),
    variations: (f.list('variations') ?? []).flatMap((item, i) => {
      const v = recordFields(sink, item, `variation ${i + 1}`, lines.span(file, ['variations', i]).startLine);
      const variationId = v?.number('variation_id') ?? v?.required('variation_id', undefined);
      if (!v || variationId === undefined) return [];
      return [{ variationId, description: v.string('description') ?? null, modifications: v.obj.modifications ?? null }];
    }),
    startTime: f.string('start_time') ?? null,
    endTime: f.string('end_time') ?? null,
  }));
}

export function parseBatchCosts(text: string, file: string): Parsed<BatchCosts> {
  return parseObject(text, file, ['run_costs'], (f, sink, lines) => ({
    summary: f.object('summary') ?? null,
    runCosts: (f.list('run_costs') ?? []).flatMap((item, i) => {
      const r = recordFields(sink, item, `run cost ${i + 1}`, lines.span(file, ['run_costs', i]).startLine);
      const runName = r?.string('run_id') ?? r?.required('run_id', undefined);
      const cost = r?.number('cost') ?? r?.required('cost', undefined);
      if (!r || runName === undefined || cost === undefined) return [];
      if (Number.isNaN(cost)) {
        report(sink, r.line, 'warning', `run cost ${i + 1} has a cost of NaN; it is left out of the totals`);
        return [];
      }
      return [{ runName, variationId: r.number('variation_id') ?? null, cost, success: r.boolean('success') ?? null, timestamp: r.string('timestamp') ?? null }];
    }),
  }));
}

export function parseBatchSummary(text: string, file: string): Parsed<BatchSummary> {
  return parseObject(text, file, [], (f) => ({
    experimentName: f.string('experiment_name'),
    baseScenario: f.string('base_scenario'),
    totalVariations: f.number('total_variations'),
    runsPerVariation: f.number('runs_per_variation'),
    raw: f.obj,
  }));
}

/** A file whose top level is an object; `lists` are the arrays whose items problems point at. */
function parseObject<T>(text: string, file: string, lists: string[], read: (f: Fields, sink: ProblemSink, lines: JsonLines) => T): Parsed<T> {
  const parsed = parseJsonText(text, file);
  const sink: ProblemSink = { file, problems: [...parsed.problems] };
  if (parsed.value === undefined) return { value: undefined, problems: sink.problems };
  const f = recordFields(sink, parsed.value, baseName(file), 1);
  if (!f) return { value: undefined, problems: sink.problems };
  const value = read(f, sink, scanJsonLines(text, lists.map((l) => [l])));
  return { value, problems: sink.problems };
}
