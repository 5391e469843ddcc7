/**
 * costs.json: V2 `{total_cost, by_actor, records}` (docs/format.md#costs-file); V1 `CostTracker.get_summary()` with
 * per-actor token totals and no phases (docs/format.md#v1-json). The record reader also serves the state files.
 */
import { Fields, isObject, recordFields, report, type ProblemSink } from './jsonFields';
import { baseName, parseJsonText, scanJsonLines, type JsonLines, type JsonPath } from './jsonText';
import type { CostRecord, CostsFile, Parsed, SourceSpan, V1Costs } from './records';

export type CostsJson = ({ version: 'v2' } & CostsFile) | ({ version: 'v1' } & V1Costs);

/** Keys only the V1 summary has; V2 always writes "records". */
const V1_KEYS = ['costs_by_actor', 'world_state_costs', 'totals', 'scenario_execution'];

export function parseCostsJson(text: string, file: string): Parsed<CostsJson> {
  const parsed = parseJsonText(text, file);
  const sink: ProblemSink = { file, problems: parsed.problems };
  const root = parsed.value;
  const name = baseName(file);
  if (root === undefined) return { value: undefined, problems: sink.problems };
  if (!isObject(root)) {
    report(sink, 1, 'error', `${name} should hold an object with cost records but holds something else`);
    return { value: undefined, problems: sink.problems };
  }
  if (!('records' in root) && V1_KEYS.some((key) => key in root)) {
    return { value: { version: 'v1', ...readV1Costs(sink, text, root) }, problems: sink.problems };
  }
  const lines = scanJsonLines(text, [['records']]);
  const f = new Fields(sink, root, name, 1);
  const byActor: Record<string, number> = {};
  for (const [actor, cost] of Object.entries(f.object('by_actor') ?? {})) {
    if (typeof cost === 'number' && !Number.isNaN(cost)) byActor[actor] = cost;
    else report(sink, 1, 'warning', `cost of "${actor}" in "by_actor" is not a number; ignored`);
  }
  return {
    value: {
      version: 'v2',
      totalCost: f.number('total_cost'),
      byActor,
      records: readCostRecords(sink, f.list('records') ?? f.required('records', []), lines, ['records']),
    },
    problems: sink.problems,
  };
}

/** The cost records of the list at `path` (costs.json "records" or a state file's "costs"). */
export function readCostRecords(sink: ProblemSink, list: unknown[], lines: JsonLines, path: JsonPath): CostRecord[] {
  const records: CostRecord[] = [];
  list.forEach((item, index) => {
    const record = readCostRecord(sink, item, `cost record ${index + 1}`, lines.span(sink.file, [...path, index]));
    if (record !== undefined) records.push(record);
  });
  return records;
}

function readCostRecord(sink: ProblemSink, item: unknown, where: string, span: SourceSpan): CostRecord | undefined {
  const f = recordFields(sink, item, where, span.startLine);
  if (f === undefined) return undefined;
  // A NaN cost is no amount at all: the record is skipped rather than stored as an invented 0.
  const cost = f.number('cost', 'the record is skipped');
  if (cost === undefined && typeof f.obj.cost === 'number') return undefined;
  if (cost === undefined) {
    // Nor is a record without a usable cost: an invented 0 would be a charge nobody recorded.
    report(sink, span.startLine, 'warning', `${where} has no usable "cost"; the record is skipped`);
    return undefined;
  }
  return {
    timestamp: f.string('timestamp') ?? f.required('timestamp', ''),
    actor: f.nullableString('actor'),
    phase: f.string('phase') ?? f.required('phase', ''),
    model: f.string('model') ?? f.required('model', ''),
    inputTokens: f.integer('input_tokens') ?? 0,
    outputTokens: f.integer('output_tokens') ?? 0,
    cost,
    span,
  };
}

function readV1Costs(sink: ProblemSink, text: string, root: Record<string, unknown>): V1Costs {
  const lines = scanJsonLines(text, [['costs_by_actor'], ['costs_by_actor', '*', 'turns'], ['world_state_costs']]);
  const f = new Fields(sink, root, baseName(sink.file), 1);
  const actorCosts: V1Costs['actorCosts'] = [];
  for (const [actor, entry] of Object.entries(f.object('costs_by_actor') ?? {})) {
    const line = lines.span(sink.file, ['costs_by_actor', actor]).startLine;
    if (!isObject(entry)) {
      report(sink, line, 'warning', `costs of "${actor}" are not an object; skipped`);
      continue;
    }
    const actorFields = new Fields(sink, entry, `costs of "${actor}"`, line);
    const model = actorFields.string('model');
    (actorFields.list('turns') ?? []).forEach((turn, index) => {
      const entryCost = readV1TurnCost(sink, turn, `turn entry ${index + 1} of "${actor}"`, lines.span(sink.file, ['costs_by_actor', actor, 'turns', index]));
      if (entryCost !== undefined) actorCosts.push({ actor, model, ...entryCost });
    });
  }
  const worldStateCosts: V1Costs['worldStateCosts'] = [];
  (f.list('world_state_costs') ?? []).forEach((turn, index) => {
    const entryCost = readV1TurnCost(sink, turn, `world state cost ${index + 1}`, lines.span(sink.file, ['world_state_costs', index]));
    if (entryCost !== undefined) worldStateCosts.push(entryCost);
  });
  const totals = f.object('totals');
  const totalFields = totals ? new Fields(sink, totals, '"totals"', 1) : undefined;
  const execution = f.object('scenario_execution');
  return {
    actorCosts,
    worldStateCosts,
    totalCost: totalFields?.number('total_cost_usd'),
    totalTokens: totalFields?.integer('total_tokens'),
    startTime: execution ? new Fields(sink, execution, '"scenario_execution"', 1).string('start_time') : undefined,
  };
}

/** V1 `{turn, tokens, cost}` entries (actor and world-state costs have the same shape). */
function readV1TurnCost(sink: ProblemSink, item: unknown, where: string, span: SourceSpan): { turn: number; tokens: number; cost: number; span: SourceSpan } | undefined {
  const f = recordFields(sink, item, where, span.startLine);
  if (f === undefined) return undefined;
  const cost = f.number('cost', 'the entry is skipped');
  if (cost === undefined && typeof f.obj.cost === 'number') return undefined;
  return {
    turn: f.turn('turn') ?? f.required('turn', 0),
    tokens: f.integer('tokens') ?? 0,
    cost: cost ?? f.required('cost', 0),
    span,
  };
}
