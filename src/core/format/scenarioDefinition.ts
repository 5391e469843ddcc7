/**
 * Scenario definition YAML (docs/format.md#scenario-definitions): scenario.yaml, actors/*.yaml and metrics.yaml. The caller reads
 * the files and assembles a ScenarioDefinition (dir, actors, metrics) from these pieces.
 */
import { Document, LineCounter, parseDocument, isSeq, isMap, type Node } from 'yaml';
import { Fields, isObject, report, type ProblemSink } from './jsonFields';
import { baseName, brief } from './jsonText';
import type { ActorDefinition, MetricDefinition, Parsed, ScenarioDefinition, SourceSpan } from './records';
import { errorText } from '../text/errorText';

/** What scenario.yaml itself provides. */
export type ScenarioYaml = Omit<ScenarioDefinition, 'dir' | 'actors' | 'metrics'>;

export interface LoadedYaml {
  value: unknown;
  doc: Document;
  lines: LineCounter;
}

/**
 * Reads YAML the way Scenario Lab's PyYAML does: YAML 1.1 (`yes`/`no` are booleans) and
 * duplicate keys allowed (the last one wins). Undefined (with problems) when the text is not YAML.
 */
export function loadYaml(sink: ProblemSink, text: string): LoadedYaml | undefined {
  const name = baseName(sink.file);
  const lines = new LineCounter();
  try {
    const doc = parseDocument(text, { lineCounter: lines, version: '1.1', uniqueKeys: false, prettyErrors: false });
    for (const warning of doc.warnings) report(sink, lineOf(lines, warning.pos[0]), 'warning', `${name}: ${warning.message}`);
    if (doc.errors.length > 0) {
      // The yaml library quotes the offending token, which may be a whole line: cut it.
      for (const error of doc.errors) report(sink, lineOf(lines, error.pos[0]), 'error', `${name} is not valid YAML: ${error.message.replace(/"([^"]*)"/g, (_, token: string) => `"${brief(token)}"`)}`);
      return undefined;
    }
    return { value: doc.toJS(), doc, lines };
  } catch (error) {
    // toJS throws on alias bombs and the like; the file is unusable but must not stop indexing.
    report(sink, 1, 'error', `${name} could not be read: ${errorText(error)}`);
    return undefined;
  }
}

export function lineOf(lines: LineCounter, offset: number): number {
  return Math.max(1, lines.linePos(offset).line);
}

function fileSpan(sink: ProblemSink, lines: LineCounter, text: string): SourceSpan {
  return { file: sink.file, startLine: 1, endLine: Math.max(1, lineOf(lines, text.length)) };
}

/** Lines of a node; range[1] is where its value ends (often the start of the next line). */
function nodeSpan(file: string, lines: LineCounter, node: Node): SourceSpan {
  const [start, valueEnd] = node.range ?? [0, 0];
  return { file, startLine: lineOf(lines, start), endLine: lineOf(lines, Math.max(start, valueEnd - 1)) };
}

/** Loads a file whose top level must be a mapping, with a Fields reader over it. */
function loadMapping(sink: ProblemSink, text: string): { f: Fields; loaded: LoadedYaml } | undefined {
  const loaded = loadYaml(sink, text);
  if (loaded === undefined) return undefined;
  if (!isObject(loaded.value)) {
    report(sink, 1, 'error', `${baseName(sink.file)} should be a mapping of settings (key: value) but is not`);
    return undefined;
  }
  return { f: new Fields(sink, loaded.value, baseName(sink.file), 1), loaded };
}

export function parseScenarioYaml(text: string, file: string): Parsed<ScenarioYaml> {
  const sink: ProblemSink = { file, problems: [] };
  const mapping = loadMapping(sink, text);
  if (mapping === undefined) return { value: undefined, problems: sink.problems };
  const { f, loaded } = mapping;
  const length = f.object('scenario_length');
  return {
    value: {
      name: f.string('name') ?? f.required('name', ''),
      description: f.string('description'),
      // Prompts quote num_turns before turns (docs/format.md#turns); scenario_length is the validated form.
      plannedTurns: f.integer('num_turns') ?? f.integer('turns') ?? (length ? new Fields(sink, length, '"scenario_length"', 1).integer('turns') : undefined),
      turnDuration: f.string('turn_duration'),
      declaredActors: f.stringList('actors') ?? [],
      span: fileSpan(sink, loaded.lines, text),
    },
    problems: sink.problems,
  };
}

export function parseActorYaml(text: string, file: string): Parsed<ActorDefinition> {
  const sink: ProblemSink = { file, problems: [] };
  const mapping = loadMapping(sink, text);
  if (mapping === undefined) return { value: undefined, problems: sink.problems };
  const { f, loaded } = mapping;
  const name = f.string('name');
  if (name === undefined) {
    // The display name is the actor's key everywhere; without it the file describes nobody.
    report(sink, 1, 'error', `${baseName(file)} has no actor "name"`);
    return { value: undefined, problems: sink.problems };
  }
  return {
    value: {
      name,
      shortName: f.string('short_name') ?? f.required('short_name', ''),
      // Scenario Lab's default when neither llm_model nor its alias model is given.
      model: f.string('llm_model') ?? f.string('model') ?? 'openai/gpt-4o-mini',
      span: fileSpan(sink, loaded.lines, text),
    },
    problems: sink.problems,
  };
}

const EXTRACTION_TYPES = new Set(['llm', 'keyword', 'pattern', 'manual']);

/**
 * V2 metrics.yaml: a `metrics` list (docs/format.md#metric-definitions). V1's dict form and intermediate shapes cannot be
 * mapped onto V2 records, so they give no definitions and one info problem.
 */
export function parseMetricsYaml(text: string, file: string): Parsed<MetricDefinition[]> {
  const sink: ProblemSink = { file, problems: [] };
  const loaded = loadYaml(sink, text);
  if (loaded === undefined) return { value: undefined, problems: sink.problems };
  if (loaded.value === null || loaded.value === undefined) return { value: [], problems: sink.problems };
  const list = isObject(loaded.value) ? loaded.value.metrics : undefined;
  const node = loaded.doc.get('metrics', true);
  if (!Array.isArray(list) || !isSeq(node) || !list.every(isV2MetricShape)) {
    const line = node && isMap(node) ? nodeSpan(file, loaded.lines, node).startLine : 1;
    report(sink, line, 'info', `${baseName(file)}: metric definitions in an older format are not used`);
    return { value: [], problems: sink.problems };
  }
  const metrics: MetricDefinition[] = [];
  list.forEach((item: Record<string, unknown>, index) => {
    const itemNode = node.items[index];
    const span = isMap(itemNode) || isSeq(itemNode) ? nodeSpan(file, loaded.lines, itemNode) : { file, startLine: 1, endLine: 1 };
    const metric = readMetricDefinition(sink, item, index, span);
    if (metric !== undefined) metrics.push(metric);
  });
  return { value: metrics, problems: sink.problems };
}

function isV2MetricShape(item: unknown): item is Record<string, unknown> {
  return isObject(item) && isObject(item.extraction) && EXTRACTION_TYPES.has(item.extraction.type as string);
}

function readMetricDefinition(sink: ProblemSink, item: Record<string, unknown>, index: number, span: SourceSpan): MetricDefinition | undefined {
  const f = new Fields(sink, item, `metric ${index + 1}`, span.startLine);
  const name = f.string('name') ?? f.required('name', undefined);
  if (name === undefined) return undefined;
  const extraction = new Fields(sink, f.object('extraction') ?? {}, `extraction of "${name}"`, span.startLine);
  return {
    name,
    description: f.string('description'),
    type: f.string('type') ?? f.required('type', 'continuous'),
    unit: f.string('unit'),
    range: readRange(f),
    categories: f.stringList('categories'),
    extractionType: extraction.string('type'),
    // Kept verbatim: a Python regex, applied case-insensitively, last match wins.
    pattern: extraction.string('pattern'),
    keywords: extraction.stringList('keywords'),
    actorSpecific: f.boolean('actor_specific') ?? false,
    warningThreshold: f.number('warning_threshold'),
    criticalThreshold: f.number('critical_threshold'),
    span,
  };
}

function readRange(f: Fields): [number, number] | undefined {
  const range = f.list('range');
  if (range === undefined) return undefined;
  const [low, high] = range;
  if (range.length === 2 && typeof low === 'number' && typeof high === 'number') return [low, high];
  return f.invalid('range', 'two numbers', range);
}
