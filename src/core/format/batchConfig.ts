/**
 * A batch experiment's configuration (`batch-config.yaml`, docs/format.md#batches) and the variations Scenario
 * Lab's ParameterVariator derives from it: the Cartesian product of the value lists, numbered
 * from 1, with the same descriptions and modifications the batch runner stores in
 * batch-state.json. Used when batch-state.json is missing or lists fewer variations.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { Fields, isObject, report, type JsonObject, type ProblemSink } from './jsonFields';
import { baseName } from './jsonText';
import { pythonStr } from './pythonRepr';
import type { Parsed } from './records';
import { loadYaml } from './scenarioDefinition';

/** One variation of a batch: its number, description and the changes it applies to the base scenario. */
export interface BatchVariation {
  variationId: number;
  /** `us=gpt-4o, temperature=0.5`; null when no batch file describes the variation. */
  description: string | null;
  /** `{actor_models: {...}, scenario_overrides: {...}}` as stored by Scenario Lab (any JSON). */
  modifications: unknown;
}

export interface BatchConfig {
  experimentName: string | undefined;
  description: string | undefined;
  baseScenario: string | undefined;
  outputDir: string | undefined;
  /** Scenario Lab's default when absent: 1. */
  runsPerVariation: number;
  maxParallel: number;
  budgetLimit: number | null;
  costPerRunLimit: number | null;
  /** The Cartesian product of the configured dimensions (one "Base configuration" when there are none). */
  variations: BatchVariation[];
  /** The whole configuration as loaded. */
  raw: JsonObject;
}

/** One axis of the product: an actor's model or a scenario parameter, with its values as YAML nodes. */
interface Dimension {
  type: 'actor_model' | 'scenario_parameter';
  /** Actor short_name or parameter name. */
  target: string;
  values: Array<{ value: unknown; text: string }>;
}

export function parseBatchConfig(text: string, file: string): Parsed<BatchConfig> {
  const sink: ProblemSink = { file, problems: [] };
  const loaded = loadYaml(sink, text);
  if (loaded === undefined) return { value: undefined, problems: sink.problems };
  if (!isObject(loaded.value)) {
    report(sink, 1, 'error', `${baseName(file)} should be a mapping of settings (key: value) but is not`);
    return { value: undefined, problems: sink.problems };
  }
  const f = new Fields(sink, loaded.value, baseName(file), 1);
  const root = loaded.doc.contents;
  const variationsNode = isMap(root) ? (root.get('variations', true) as Node | undefined) : undefined;
  return {
    value: {
      experimentName: f.string('experiment_name'),
      description: f.string('description'),
      baseScenario: f.string('base_scenario'),
      outputDir: f.string('output_dir'),
      runsPerVariation: positiveInteger(f, 'runs_per_variation'),
      maxParallel: positiveInteger(f, 'max_parallel'),
      budgetLimit: f.number('budget_limit') ?? null,
      costPerRunLimit: f.number('cost_per_run_limit') ?? null,
      variations: cartesianProduct(dimensions(sink, variationsNode)),
      raw: loaded.value,
    },
    problems: sink.problems,
  };
}

function positiveInteger(f: Fields, key: string): number {
  const value = f.number(key);
  if (value === undefined) return 1;
  if (Number.isInteger(value) && value >= 1) return value;
  f.invalid(key, 'a whole number of at least 1', value);
  return 1;
}

/**
 * The list form (`- type: actor_model`, `actor`, `values`) or the dict form
 * (`actor_models: {us: [...]}`), as the batch runner normalises them; unknown types are skipped
 * like Scenario Lab skips them.
 */
function dimensions(sink: ProblemSink, node: Node | undefined): Dimension[] {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (isMap(node)) {
    const models = node.get('actor_models', true) as Node | undefined;
    if (!isMap(models)) return [];
    return models.items.map((pair) => ({ type: 'actor_model' as const, target: scalarText(pair.key as Node), values: valuesOf(pair.value as Node) }));
  }
  if (!isSeq(node)) {
    report(sink, 1, 'warning', `"variations" of ${baseName(sink.file)} should be a list; no variations are derived from it`);
    return [];
  }
  const found: Dimension[] = [];
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const type = scalarValue(item.get('type', true) as Node | undefined);
    const values = valuesOf(item.get('values', true) as Node | undefined);
    if (type === 'actor_model') found.push({ type, target: scalarText(item.get('actor', true) as Node | undefined), values });
    else if (type === 'scenario_parameter') found.push({ type, target: scalarText(item.get('parameter', true) as Node | undefined), values });
  }
  return found;
}

/** Each value with Python's `str()` of it (a YAML `1.0` is a float in Python and prints so). */
function valuesOf(node: Node | undefined): Dimension['values'] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => {
    const value = isScalar(item) ? item.value : (item as Node | null)?.toJSON() ?? null;
    return { value, text: pythonStr(value, isScalar(item) && typeof item.value === 'number' && isFloatSource(item.source)) };
  });
}

function isFloatSource(source: unknown): boolean {
  return typeof source === 'string' && !/^[-+]?0x/i.test(source) && /[.eE]|inf|nan/i.test(source);
}

function scalarValue(node: Node | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

function scalarText(node: Node | undefined): string {
  return isScalar(node) ? pythonStr(node.value) : 'None';
}

/** ParameterVariator.generate_variations(): `itertools.product` order, ids from 1. */
function cartesianProduct(dims: Dimension[]): BatchVariation[] {
  if (dims.length === 0) return [{ variationId: 1, description: 'Base configuration', modifications: {} }];
  let combinations: Array<Dimension['values']> = [[]];
  for (const dim of dims) combinations = combinations.flatMap((prefix) => dim.values.map((v) => [...prefix, v]));
  return combinations.map((combination, index) => {
    const actorModels: Record<string, unknown> = {};
    const overrides: Record<string, unknown> = {};
    const parts = combination.map((v, i) => {
      const dim = dims[i];
      if (dim.type === 'actor_model') {
        actorModels[dim.target] = v.value;
        // "openai/gpt-4o" is described by its last segment.
        return `${dim.target}=${v.text.includes('/') ? v.text.split('/').pop() : v.text}`;
      }
      overrides[dim.target] = v.value;
      return `${dim.target}=${v.text}`;
    });
    return { variationId: index + 1, description: parts.join(', '), modifications: { actor_models: actorModels, scenario_overrides: overrides } };
  });
}
