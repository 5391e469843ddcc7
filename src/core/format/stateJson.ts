/**
 * Run state files: V2 scenario-state.json (docs/format.md#state-file, no "version"), V2 scenario-state-v2.json (docs/format.md#state-file-v2,
 * "version" 2.x, metrics carry "actor") and V1 scenario-state.json (docs/format.md#v1-json, per-turn dicts keyed by
 * strings). Missing optional keys are normal (branches, resumes, older writers); only wrong types
 * are reported.
 */
import { readCostRecords } from './costsJson';
import { Fields, isObject, recordFields, report, type JsonObject, type ProblemSink } from './jsonFields';
import { baseName, brief, parseJsonText, scanJsonLines, type JsonLines } from './jsonText';
import { parseTurnKey, readMetricRecords, readV1MetricsByTurn } from './metricsJson';
import { MAX_TURN, type ActorState, type CommunicationRecord, type DecisionRecord, type Parsed, type SourceSpan, type StateFile, type V1State } from './records';

export type StateJson = { version: 'v2'; state: StateFile } | { version: 'v1'; state: V1State };

/** Keys only V1's state has (V2 writes "turn" and "run_id" instead). */
const V1_KEYS = ['current_turn', 'completed_turns', 'communication_manager_state', 'execution_metadata'];

export function parseStateJson(text: string, file: string): Parsed<StateJson> {
  const parsed = parseJsonText(text, file);
  const sink: ProblemSink = { file, problems: parsed.problems };
  const root = parsed.value;
  if (root === undefined) return { value: undefined, problems: sink.problems };
  if (!isObject(root)) {
    report(sink, 1, 'error', `${baseName(file)} should hold an object describing the run but holds something else`);
    return { value: undefined, problems: sink.problems };
  }
  const isV1 = !('run_id' in root) && !('turn' in root) && V1_KEYS.some((key) => key in root);
  const value: StateJson = isV1 ? { version: 'v1', state: readV1State(sink, text, root) } : { version: 'v2', state: readV2State(sink, text, root) };
  return { value, problems: sink.problems };
}

// ---------------------------------------------------------------- V2

function readV2State(sink: ProblemSink, text: string, root: JsonObject): StateFile {
  const lines = scanJsonLines(text, [
    ['world_state'], ['actors'], ['actors', '*', 'recent_decisions'], ['communications'], ['decisions'], ['metrics'], ['costs'],
  ]);
  const f = new Fields(sink, root, baseName(sink.file), 1);
  const version = f.string('version');
  if (version !== undefined && !version.startsWith('2.')) {
    report(sink, 1, 'info', `${baseName(sink.file)} has version "${brief(String(version))}"; only 2.x files are known`);
  }
  const missing: string[] = [];
  const need = <T>(key: string, fallback: T): T => {
    missing.push(key);
    return f.required(key, fallback);
  };
  const turn = f.turn('turn') ?? need('turn', 0);
  if (root.run_id === '') report(sink, 1, 'warning', `${baseName(sink.file)} has an empty "run_id"`);
  return {
    variant: 'version' in root ? 'state-v2' : 'state',
    version,
    scenarioId: f.string('scenario_id') ?? need('scenario_id', ''),
    scenarioName: f.string('scenario_name') ?? need('scenario_name', ''),
    // An empty run id names no run (a "" row would be one run for every such folder): as if absent.
    runId: (f.string('run_id') || undefined) ?? need('run_id', ''),
    status: f.string('status') ?? need('status', ''),
    scenarioConfig: root.scenario_config ?? null,
    turn,
    worldState: readWorldState(sink, f.object('world_state'), turn, lines),
    actors: readActors(sink, f.object('actors') ?? {}, lines),
    communications: (f.list('communications') ?? []).flatMap((item, index) => {
      const record = readCommunication(sink, item, `communication ${index + 1}`, lines.span(sink.file, ['communications', index]));
      return record ? [record] : [];
    }),
    decisions: Object.entries(f.object('decisions') ?? {}).flatMap(([actor, item]) => {
      const record = readDecision(sink, item, actor, `decision of "${actor}"`, lines.span(sink.file, ['decisions', actor]));
      return record ? [record] : [];
    }),
    metrics: readMetricRecords(sink, f.list('metrics') ?? [], lines, ['metrics']),
    costs: readCostRecords(sink, f.list('costs') ?? [], lines, ['costs']),
    startedAt: f.string('started_at'),
    completedAt: f.string('completed_at'),
    error: f.nullableString('error'),
    metadata: f.object('metadata') ?? {},
    totalCost: f.number('total_cost'),
    missing,
  };
}

function readWorldState(sink: ProblemSink, worldState: JsonObject | undefined, turn: number, lines: JsonLines): StateFile['worldState'] {
  if (worldState === undefined) return undefined;
  const span = lines.span(sink.file, ['world_state', 'content']);
  const f = new Fields(sink, worldState, '"world_state"', span.startLine);
  return { turn: f.turn('turn') ?? turn, content: f.string('content') ?? '', timestamp: f.string('timestamp'), span };
}

function readActors(sink: ProblemSink, actors: JsonObject, lines: JsonLines): ActorState[] {
  const out: ActorState[] = [];
  for (const [key, item] of Object.entries(actors)) {
    const line = lines.span(sink.file, ['actors', key]).startLine;
    const f = recordFields(sink, item, `actor "${key}"`, line);
    if (f === undefined) continue;
    const recentDecisions = (f.list('recent_decisions') ?? []).flatMap((decision, index) => {
      const span = lines.span(sink.file, ['actors', key, 'recent_decisions', index]);
      const record = readDecision(sink, decision, key, `recent decision ${index + 1} of "${key}"`, span);
      return record ? [record] : [];
    });
    out.push({ name: f.string('name') ?? key, shortName: f.string('short_name'), model: f.string('model'), recentDecisions });
  }
  return out;
}

/** A V2 decision; `actorKey` (the dict key) stands in when the record lacks its own "actor". */
function readDecision(sink: ProblemSink, item: unknown, actorKey: string, where: string, span: SourceSpan): DecisionRecord | undefined {
  const f = recordFields(sink, item, where, span.startLine);
  if (f === undefined) return undefined;
  return {
    actor: f.string('actor') ?? actorKey,
    turn: f.turn('turn') ?? f.required('turn', 0),
    goals: f.stringList('goals') ?? [],
    reasoning: f.string('reasoning') ?? '',
    action: f.string('action') ?? '',
    timestamp: f.string('timestamp'),
    span,
  };
}

function readCommunication(sink: ProblemSink, item: unknown, where: string, span: SourceSpan): CommunicationRecord | undefined {
  const f = recordFields(sink, item, where, span.startLine);
  if (f === undefined) return undefined;
  return {
    id: f.string('id') ?? f.required('id', ''),
    turn: f.turn('turn') ?? f.required('turn', 0),
    type: f.string('type') ?? f.required('type', ''),
    sender: f.string('sender') ?? f.required('sender', ''),
    recipients: f.stringList('recipients') ?? [],
    content: f.string('content') ?? '',
    timestamp: f.string('timestamp') ?? f.required('timestamp', ''),
    span,
  };
}

// ---------------------------------------------------------------- V1

function readV1State(sink: ProblemSink, text: string, root: JsonObject): V1State {
  const lines = scanJsonLines(text, [
    ['world_state', 'states'],
    ['world_state', 'actor_decisions'],
    ['world_state', 'actor_decisions', '*'],
    ['actors'],
    ['communication_manager_state', 'channels'],
    ['communication_manager_state', 'channels', '*', 'messages'],
    ['metrics_tracker_state', 'metrics_by_turn'],
    ['metrics_tracker_state', 'metrics_by_turn', '*'],
  ]);
  const f = new Fields(sink, root, baseName(sink.file), 1);
  const worldState = f.object('world_state');
  const worldFields = worldState ? new Fields(sink, worldState, '"world_state"', 1) : undefined;
  const costs = f.object('cost_tracker_state');
  const costFields = costs ? new Fields(sink, costs, '"cost_tracker_state"', 1) : undefined;
  const execution = f.object('execution_metadata');
  const executionFields = execution ? new Fields(sink, execution, '"execution_metadata"', 1) : undefined;
  const metricsState = f.object('metrics_tracker_state');
  const byTurn = metricsState ? new Fields(sink, metricsState, '"metrics_tracker_state"', 1).object('metrics_by_turn') : undefined;
  return {
    scenarioName: f.string('scenario_name') ?? f.required('scenario_name', ''),
    scenarioPath: f.string('scenario_path'),
    status: f.string('status') ?? f.required('status', ''),
    haltReason: f.nullableString('halt_reason'),
    currentTurn: f.turn('current_turn') ?? f.required('current_turn', 0),
    totalTurns: f.turn('total_turns'),
    completedTurns: (f.list('completed_turns') ?? []).filter((turn): turn is number => Number.isInteger(turn) && (turn as number) <= MAX_TURN),
    states: readV1States(sink, worldFields?.object('states') ?? {}, lines),
    decisions: readV1Decisions(sink, worldFields?.object('actor_decisions') ?? {}, lines),
    actors: readV1Actors(sink, f.object('actors') ?? {}, lines),
    messages: readV1Messages(sink, f.object('communication_manager_state'), lines),
    metricsByTurn: readV1MetricsByTurn(sink, byTurn ?? {}, lines, ['metrics_tracker_state', 'metrics_by_turn']),
    totalCost: costFields?.number('total_cost'),
    totalTokens: costFields?.integer('total_tokens'),
    startedAt: executionFields?.string('started_at'),
    lastUpdated: executionFields?.string('last_updated'),
    span: lines.fileSpan(sink.file),
  };
}

function readV1States(sink: ProblemSink, states: JsonObject, lines: JsonLines): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, content] of Object.entries(states)) {
    const turn = parseTurnKey(key);
    if (turn !== undefined && typeof content === 'string') out.set(turn, content);
    else report(sink, lines.span(sink.file, ['world_state', 'states', key]).startLine, 'warning', `world state "${key}" is not a turn number with text; skipped`);
  }
  return out;
}

function readV1Decisions(sink: ProblemSink, byTurn: JsonObject, lines: JsonLines): V1State['decisions'] {
  const out: V1State['decisions'] = [];
  for (const [turnKey, actors] of Object.entries(byTurn)) {
    const turn = parseTurnKey(turnKey);
    if (turn === undefined || !isObject(actors)) {
      report(sink, lines.span(sink.file, ['world_state', 'actor_decisions', turnKey]).startLine, 'warning', `decisions of turn "${turnKey}" are not a turn number with an object; skipped`);
      continue;
    }
    for (const [actor, decision] of Object.entries(actors)) {
      const span = lines.span(sink.file, ['world_state', 'actor_decisions', turnKey, actor]);
        const d = recordFields(sink, decision, `decision of "${actor}" in turn ${turn}`, span.startLine);
      if (d === undefined) continue;
      out.push({
        turn,
        actor,
        goals: d.string('goals') ?? '',
        reasoning: d.string('reasoning') ?? '',
        action: d.string('action') ?? '',
        tokens: d.integer('tokens_used'),
        span,
      });
    }
  }
  return out;
}

/** V1 "actors" is keyed by short name and calls the model "llm_model". */
function readV1Actors(sink: ProblemSink, actors: JsonObject, lines: JsonLines): V1State['actors'] {
  const out: V1State['actors'] = [];
  for (const [key, item] of Object.entries(actors)) {
    const line = lines.span(sink.file, ['actors', key]).startLine;
    const a = recordFields(sink, item, `actor "${key}"`, line);
    if (a === undefined) continue;
    out.push({ name: a.string('name') ?? key, shortName: a.string('short_name') ?? key, model: a.string('llm_model') ?? a.string('model') });
  }
  return out;
}

/** One entry per message of every channel (V1 channel ids are per channel, not per message). */
function readV1Messages(sink: ProblemSink, manager: JsonObject | undefined, lines: JsonLines): V1State['messages'] {
  const out: V1State['messages'] = [];
  const channels = manager ? new Fields(sink, manager, '"communication_manager_state"', 1).object('channels') ?? {} : {};
  for (const [channelId, channel] of Object.entries(channels)) {
    const line = lines.span(sink.file, ['communication_manager_state', 'channels', channelId]).startLine;
    const c = recordFields(sink, channel, `channel "${channelId}"`, line);
    if (c === undefined) continue;
    const channelType = c.string('channel_type') ?? '';
    const turn = c.turn('turn') ?? c.required('turn', 0);
    const participants = c.stringList('participants') ?? [];
    (c.list('messages') ?? []).forEach((message, index) => {
      const span = lines.span(sink.file, ['communication_manager_state', 'channels', channelId, 'messages', index]);
      const where = `message ${index + 1} of channel "${channelId}"`;
        const m = recordFields(sink, message, where, span.startLine);
      if (m === undefined) return;
      out.push({
        channelId,
        channelType,
        turn,
        participants,
        sender: m.string('sender') ?? m.required('sender', ''),
        content: m.string('content') ?? '',
        timestamp: m.string('timestamp'),
        span,
      });
    });
  }
  return out;
}
