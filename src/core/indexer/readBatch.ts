/**
 * Reads one batch output folder (docs/format.md#batches) into the rows of our experiment tables: the experiment,
 * its variations, every batch run (by folder name, with its batch status) and the cost entries.
 * Run folders themselves are indexed like any other run; these rows only tie them to their
 * experiment and variation, so parallel runs that share a run id still map folder by folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FolderListing } from '../discover/discoverFolders';
import { joinKey } from '../folderKeys';
import { parseBatchConfig, type BatchConfig, type BatchVariation } from '../format/batchConfig';
import { BATCH_FILES, parseBatchCosts, parseBatchRunName, parseBatchState, parseBatchSummary, type BatchCosts, type BatchState, type BatchSummary } from '../format/batchFiles';
import type { Parsed, Problem } from '../format/records';
import { decodeText } from '../format/text';

export interface ExperimentRow {
  /** Index key of the batch output folder (workspace-relative, `/`). */
  folder: string;
  experimentName: string;
  description: string | null;
  baseScenario: string | null;
  runsPerVariation: number;
  maxParallel: number | null;
  budgetLimit: number | null;
  costPerRunLimit: number | null;
  outputDir: string | null;
  startTime: string | null;
  endTime: string | null;
  /** JSON texts of the files as read (null when the file is missing or unreadable). */
  config: string | null;
  costSummary: string | null;
  summary: string | null;
  hasState: boolean;
}

export interface VariationRow {
  variationId: number;
  description: string | null;
  /** JSON text. */
  modifications: string | null;
  /** Where the description comes from: batch-state.json, the config's product, or only run folder names. */
  source: 'state' | 'config' | 'runs';
}

export interface BatchRunRow {
  /** Folder name under runs/, e.g. `var-001-run-002`. */
  name: string;
  variationId: number | null;
  runNumber: number | null;
  /** Index key of the run folder. */
  folder: string;
  hasFolder: boolean;
  /** Listed in batch-state.json `completed_runs`. */
  completed: boolean;
  /** Entries in `failed_runs` for this folder (a retried run can fail more than once). */
  failedCount: number;
  /** `success` when completed, else the last failure's status; null while the batch has not recorded it. */
  status: string | null;
  error: string | null;
}

export interface BatchCostRow {
  seq: number;
  runName: string;
  variationId: number | null;
  cost: number;
  success: boolean | null;
  timestamp: string | null;
}

export interface BatchRows {
  experiment: ExperimentRow;
  variations: VariationRow[];
  runs: BatchRunRow[];
  costs: BatchCostRow[];
  problems: Problem[];
  /** Keys of the batch files that exist (problems of the folder are stored against them). */
  fileKeys: string[];
}

/** Reads and assembles a batch folder; never throws on bad files (they become problems). */
export function readBatchFolder(listing: FolderListing): BatchRows {
  const problems: Problem[] = [];
  const read = <T>(name: string, parse: (text: string, file: string) => Parsed<T>): T | undefined => {
    if (!listing.files.some((f) => f.name === name)) return undefined;
    const key = joinKey(listing.key, name);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path.join(listing.absPath, name));
    } catch {
      return undefined; // removed since the listing: the next pass sees it gone
    }
    const parsed = parse(decodeText(bytes).text, key);
    problems.push(...parsed.problems);
    return parsed.value;
  };
  const config = read('batch-config.yaml', parseBatchConfig);
  const state = read('batch-state.json', parseBatchState);
  const costs = read('batch-costs.json', parseBatchCosts);
  const summary = read('batch-summary.json', parseBatchSummary);
  const folders = runFolderNames(listing.absPath);
  const rows = assembleBatch(listing.key, { config, state, costs, summary, folders });
  return { ...rows, problems, fileKeys: listing.files.filter((f) => BATCH_FILES.includes(f.name)).map((f) => f.key) };
}

export interface BatchInputs {
  config: BatchConfig | undefined;
  state: BatchState | undefined;
  costs: BatchCosts | undefined;
  summary: BatchSummary | undefined;
  /** Names of the folders under runs/. */
  folders: string[];
}

/** The rows of one experiment from whatever batch files exist (a running batch may have only its config). */
export function assembleBatch(folder: string, inputs: BatchInputs): Omit<BatchRows, 'problems' | 'fileKeys'> {
  const { config, state, costs, summary } = inputs;
  const costSummary = costs?.summary ?? null;
  const experiment: ExperimentRow = {
    folder,
    experimentName: state?.experimentName ?? config?.experimentName ?? summary?.experimentName ?? folder.split('/').pop() ?? folder,
    description: config?.description ?? null,
    baseScenario: config?.baseScenario ?? summary?.baseScenario ?? null,
    runsPerVariation: config ? config.runsPerVariation : (summary?.runsPerVariation ?? 1),
    maxParallel: config?.maxParallel ?? null,
    budgetLimit: config ? config.budgetLimit : numberOrNull(costSummary?.budget_limit),
    costPerRunLimit: config ? config.costPerRunLimit : numberOrNull(costSummary?.cost_per_run_limit),
    outputDir: config?.outputDir ?? null,
    startTime: state?.startTime ?? null,
    endTime: state?.endTime ?? null,
    config: config ? JSON.stringify(config.raw) : null,
    costSummary: costSummary ? JSON.stringify(costSummary) : null,
    summary: summary ? JSON.stringify(summary.raw) : null,
    hasState: state !== undefined,
  };
  const runs = batchRuns(folder, inputs);
  const costRows: BatchCostRow[] = (costs?.runCosts ?? []).map((c, seq) => ({
    seq,
    runName: c.runName,
    variationId: c.variationId ?? parseBatchRunName(c.runName)?.variationId ?? null,
    cost: c.cost,
    success: c.success,
    timestamp: c.timestamp,
  }));
  const referenced = [...runs.map((r) => r.variationId), ...costRows.map((c) => c.variationId)].filter((id): id is number => id !== null);
  return { experiment, variations: variations(state, config, referenced), runs, costs: costRows };
}

/**
 * batch-state.json's variations; the config's product fills in those it lacks (no state yet, or a
 * state saved with fewer); ids only seen in run folder names or costs get no description.
 */
function variations(state: BatchState | undefined, config: BatchConfig | undefined, referenced: number[]): VariationRow[] {
  const byId = new Map<number, VariationRow>();
  const add = (v: BatchVariation, source: VariationRow['source']) => {
    if (!byId.has(v.variationId)) byId.set(v.variationId, { variationId: v.variationId, description: v.description, modifications: v.modifications === null ? null : JSON.stringify(v.modifications), source });
  };
  for (const v of state?.variations ?? []) add(v, 'state');
  for (const v of config?.variations ?? []) add(v, 'config');
  for (const id of referenced) add({ variationId: id, description: null, modifications: null }, 'runs');
  return [...byId.values()].sort((a, b) => a.variationId - b.variationId);
}

/** Every run the batch files or the runs/ folder mention, by folder name. */
function batchRuns(folder: string, { state, costs, folders }: BatchInputs): BatchRunRow[] {
  const completed = new Set(state?.completedRuns ?? []);
  const onDisk = new Set(folders);
  const names = new Set([...completed, ...(state?.failedRuns ?? []).map((f) => f.runName), ...(costs?.runCosts ?? []).map((c) => c.runName), ...folders]);
  return [...names].sort().map((name) => {
    const failures = (state?.failedRuns ?? []).filter((f) => f.runName === name);
    const last = failures[failures.length - 1];
    const parsed = parseBatchRunName(name);
    const isCompleted = completed.has(name);
    return {
      name,
      variationId: parsed?.variationId ?? costs?.runCosts.find((c) => c.runName === name)?.variationId ?? null,
      runNumber: parsed?.runNumber ?? null,
      folder: joinKey(folder, `runs/${name}`),
      hasFolder: onDisk.has(name),
      completed: isCompleted,
      failedCount: failures.length,
      status: isCompleted ? 'success' : (last?.status ?? null),
      error: last?.error ?? null,
    };
  });
}

/** Sub-folders of runs/ (a run folder exists before its first file, and a budget-stopped run stays empty). */
function runFolderNames(batchDir: string): string[] {
  try {
    return fs
      .readdirSync(path.join(batchDir, 'runs'), { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
