/**
 * Deterministic sample-workspace generator: scenario definitions (docs/format.md#scenario-definitions), V2 run folders (docs/format.md#a-run-folder) and
 * optionally a batch experiment (docs/format.md#batches), all in the exact on-disk formats of Scenario Lab, derived
 * only from the options (no wall clock, no I/O). Files go to a FileSink one at a time, so a 100,000-file
 * workspace never has to sit in memory.
 */
import YAML from 'yaml';
import { ACTOR_POOL, METRICS, SYSTEM_PROMPT, THEMES, syntheticActor, type ActorSpec, type MetricSpec, type ScenarioTheme } from './catalog';
import { generateBatch } from './batch';
import { comparePython, microsAt, pad3, YAML_OPTIONS } from './python';
import { Random } from './random';
import { totalCost, writeRunFolder, type FileSink } from './render';
import { maxRunDurationUs, simulateRun } from './run';
import type { RunKind, RunRecord, ScenarioModel } from './runRecord';

export type { FileSink } from './render';

export interface SampleOptions {
  /** Normal runs under `output/`, spread round-robin over the scenarios. */
  runs: number;
  /** Turns of a run that is not stopped early. */
  turns: number;
  /** Actors per scenario. */
  actors: number;
  scenarios: number;
  seed: string;
  /** Runs per variation of the `experiments/model-comparison` batch; 0 = no batch. */
  batchRunsPerVariation: number;
  /** Variations (models of one actor) of the batch, 1 to 6. */
  batchVariations: number;
  /** Batch runs that fail: statuses cycle failed, cost_limit_exceeded, budget_exceeded (see samples/batch.ts). */
  batchFailures: number;
}

export const DEFAULT_SAMPLE_OPTIONS: Readonly<SampleOptions> = {
  runs: 20, turns: 10, actors: 6, scenarios: 3, seed: '1', batchRunsPerVariation: 0, batchVariations: 2, batchFailures: 0,
};

/** What the generator produced for one run folder, for tests and benchmarks to check against. */
export interface GeneratedRun {
  /** Workspace-relative folder. */
  path: string;
  runId: string;
  scenarioDir: string;
  scenarioName: string;
  kind: RunKind;
  status: string;
  /** `turn` of the state files. */
  lastTurn: number;
  /** Turn of the leftover files of an interrupted run. */
  partialTurn: number | undefined;
  actors: number;
  totalCost: number;
  /** Batch runs only: the status batch-state.json gives the run. */
  batchStatus?: string;
}

export interface SampleSummary {
  files: number;
  runs: GeneratedRun[];
}

/** Run kinds by run index: half finalized "completed", the rest the other on-disk situations. */
const KIND_CYCLE: readonly RunKind[] = [
  'completed', 'interrupted', 'halted', 'finished-running', 'completed',
  'completed', 'interrupted', 'completed', 'finished-running', 'completed',
];

/** Wall-clock start of the first run; everything later is a seeded increment from here. */
const BASE_TIME_US = microsAt(2025, 11, 24, 9, 0);

/** Which runs one caller generates: run i belongs to shard `i % count`. Shard 0 also writes scenarios and the batch. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Generates the workspace (or one shard of it) into `sink`. Every run is a pure function of the
 * options and its index (own PRNG stream, own time slot), so shards can run in parallel and
 * together give exactly the files of an unsharded call.
 */
export function generateSampleWorkspace(partial: Partial<SampleOptions>, sink: FileSink, shard: Shard = { index: 0, count: 1 }): SampleSummary {
  const options = { ...DEFAULT_SAMPLE_OPTIONS, ...partial };
  validate(options);
  if (!Number.isInteger(shard.count) || shard.count < 1 || shard.index < 0 || shard.index >= shard.count) throw new Error('bad shard');
  let files = 0;
  const count: FileSink = (path, content) => {
    files++;
    sink(path, content);
  };
  const definitionSink: FileSink = shard.index === 0 ? count : () => undefined;
  const root = new Random(`scenario-lab-samples/${options.seed}`);
  const scenarios = Array.from({ length: options.scenarios }, (_, i) => buildScenario(i, options, definitionSink));
  // Runs start one slot apart (plus jitter); a slot is longer than any run can take, so runs never overlap.
  const slot = maxRunDurationUs(options.turns, options.actors) + 15 * 60e6;
  const runs: GeneratedRun[] = [];
  for (let i = shard.index; i < options.runs; i += shard.count) {
    const rng = root.fork(`run/${i}`);
    const scenario = scenarios[i % scenarios.length];
    const folder = `output/${scenario.theme.dir}/run-${pad3(Math.floor(i / scenarios.length) + 1)}`;
    const startUs = BASE_TIME_US + i * slot + rng.int(0, 10 * 60e6);
    const record = simulateRun({ ...planKind(KIND_CYCLE[i % KIND_CYCLE.length], options, scenario, rng), startUs, modelOverrides: {}, rng });
    writeRunFolder(record, folder, count);
    runs.push(describe(record, folder));
  }
  if (options.batchRunsPerVariation > 0 && shard.index === 0) {
    const batch = { turns: options.turns, runsPerVariation: options.batchRunsPerVariation, variations: options.batchVariations, failures: options.batchFailures };
    const written = generateBatch(scenarios[0], batch, root.fork('batch'), BASE_TIME_US + options.runs * slot, count);
    runs.push(...written.map((w) => ({ ...describe(w.record, w.path), batchStatus: w.batchStatus })));
  }
  return { files, runs };
}

/** Convenience for tests: the whole workspace as a path -> content map. */
export function sampleWorkspaceFiles(options: Partial<SampleOptions>): { files: Map<string, string>; summary: SampleSummary } {
  const files = new Map<string, string>();
  const summary = generateSampleWorkspace(options, (path, content) => files.set(path, content));
  return { files, summary };
}

function validate(o: SampleOptions): void {
  const minimum = { runs: 0, turns: 1, actors: 1, scenarios: 1, batchRunsPerVariation: 0, batchVariations: 1, batchFailures: 0 };
  for (const [name, min] of Object.entries(minimum)) {
    const value = o[name as keyof typeof minimum];
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got ${value})`);
  }
}

/** Halted and interrupted runs stop in the second half; they need at least two turns. */
function planKind(kind: RunKind, o: SampleOptions, scenario: ScenarioModel, rng: Random): { scenario: ScenarioModel; kind: RunKind; lastTurn: number; partialDeciders: number } {
  if ((kind === 'halted' || kind === 'interrupted') && o.turns >= 2) {
    return { scenario, kind, lastTurn: rng.int(Math.ceil(o.turns / 2), o.turns - 1), partialDeciders: rng.int(1, scenario.actors.length) };
  }
  return { scenario, kind: kind === 'halted' || kind === 'interrupted' ? 'completed' : kind, lastTurn: o.turns, partialDeciders: 0 };
}

function describe(run: RunRecord, path: string): GeneratedRun {
  const scenario = run.plan.scenario;
  return {
    path, runId: run.runId, scenarioDir: scenario.theme.dir, scenarioName: scenario.theme.name,
    kind: run.plan.kind, status: run.status, lastTurn: run.plan.lastTurn, partialTurn: run.partial?.turn,
    actors: run.actors.length, totalCost: totalCost(run),
  };
}

// ---------------------------------------------------------------- scenario definitions (docs/format.md#scenario-definitions)

/** Themes repeat with a numeric suffix when more scenarios than themes are requested. */
function themeFor(index: number): ScenarioTheme {
  const base = THEMES[index % THEMES.length];
  const round = Math.floor(index / THEMES.length);
  return round === 0 ? base : { ...base, dir: `${base.dir}-${round + 1}`, name: `${base.name} (${round + 1})` };
}

/** A rotating window over the actor pool, so each scenario mixes short_name == slug and != slug actors. */
function castFor(index: number, count: number): ActorSpec[] {
  const cast = Array.from({ length: count }, (_, k) =>
    k < ACTOR_POOL.length ? ACTOR_POOL[(index * 3 + k) % ACTOR_POOL.length] : syntheticActor(k - ACTOR_POOL.length + 1),
  );
  // Scenario Lab loads actors/*.yaml in sorted file-name order; files are named <short_name>.yaml.
  return cast.sort((a, b) => comparePython(`${a.shortName}.yaml`, `${b.shortName}.yaml`));
}

function buildScenario(index: number, o: SampleOptions, sink: FileSink): ScenarioModel {
  const theme = themeFor(index);
  const actors = castFor(index, o.actors);
  // Every other scenario declares a length that differs from what the runs do (docs/format.md#turns).
  const declaredTurns = index % 2 === 0 ? o.turns : 4;
  // Every fourth scenario has no metrics.yaml, so its runs have `metrics.json` == [].
  const metrics: MetricSpec[] = index % 4 === 3 ? [] : [...METRICS];
  const shortNames = actors.map((a) => a.shortName);
  const dir = `scenarios/${theme.dir}`;

  sink(`${dir}/scenario.yaml`, YAML.stringify({
    name: theme.name, description: theme.description, system_prompt: SYSTEM_PROMPT,
    initial_world_state: theme.initialWorldState, turns: declaredTurns, turn_duration: theme.turnDuration,
    world_state_model: 'openai/gpt-4o-mini', enable_bilateral_communication: true, enable_coalition_formation: true,
    enable_public_statements: theme.enablePublicStatements, context_window_size: 3, actors: shortNames,
  }, YAML_OPTIONS));
  for (const a of actors) {
    sink(`${dir}/actors/${a.shortName}.yaml`, YAML.stringify({
      name: a.name, short_name: a.shortName, llm_model: a.model, description: a.description, goals: a.goals,
    }, YAML_OPTIONS));
  }
  if (metrics.length > 0) {
    sink(`${dir}/metrics.yaml`, '# Metrics definitions (Scenario Lab V2 format)\n' + metricsYaml(metrics));
  }
  if (theme.validation) {
    sink(`${dir}/validation-rules.yaml`, YAML.stringify({
      validation_model: 'openai/gpt-4o-mini',
      checks: {
        actor_decision_consistency: { enabled: true, severity: 'medium' },
        world_state_coherence: { enabled: true, severity: 'high' },
        information_access_consistency: { enabled: false, severity: 'medium' },
      },
      run_after_each_turn: true, generate_turn_reports: true, halt_on_critical: false,
    }, YAML_OPTIONS));
  }

  // scenario_config = scenario.yaml after validation: declared fields in model order, defaults filled in.
  const config = {
    name: theme.name, initial_world_state: theme.initialWorldState, turn_duration: theme.turnDuration, actors: shortNames,
    turns: declaredTurns, scenario_length: { type: 'fixed', turns: declaredTurns }, world_state_model: 'openai/gpt-4o-mini',
    system_prompt: SYSTEM_PROMPT, description: theme.description, context_window_size: 3,
    enable_bilateral_communication: true, enable_coalition_formation: true, enable_public_statements: theme.enablePublicStatements,
    max_communications_per_turn: 2, enable_black_swans: false, allow_actor_reflection: false, parallel_action_resolution: false,
  };
  return { theme, actors, declaredTurns, metrics, config };
}

/** Ranges and category lists in flow style (`range: [0, 10]`), as hand-written Scenario Lab files have them. */
function metricsYaml(metrics: MetricSpec[]): string {
  const doc = new YAML.Document({ metrics, export_format: 'json' });
  YAML.visit(doc, {
    Pair(_, pair) {
      if (YAML.isScalar(pair.key) && (pair.key.value === 'range' || pair.key.value === 'categories') && YAML.isSeq(pair.value)) {
        pair.value.flow = true;
      }
    },
  });
  return doc.toString(YAML_OPTIONS);
}
