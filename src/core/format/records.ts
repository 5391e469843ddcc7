/**
 * Plain records that the format parsers return. Every record that comes from a file carries a
 * SourceSpan so the UI can jump to it and hovers/annotations can map a line back to data.
 * Parsers never throw on bad input: they return what they could read plus a list of problems.
 */

/** A place in a file: `file` is relative to the indexing root with `/` separators; lines are 1-based, inclusive. */
export interface SourceSpan {
  file: string;
  startLine: number;
  endLine: number;
}

/** A span plus the line a "go to source" should put the cursor on (a decision's Action heading, a message's sender line). */
export interface SourceLocation extends SourceSpan {
  focusLine: number;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something a person should know about a file that could not be read completely. */
export interface Problem {
  file: string;
  /** 1-based line the problem is at (1 when the whole file is concerned). */
  line: number;
  severity: ProblemSeverity;
  message: string;
}

export interface Parsed<T> {
  /** Undefined when nothing usable could be read. */
  value: T | undefined;
  problems: Problem[];
}

// ---------------------------------------------------------------- world state markdown (docs/format.md#world-state, #v1-world-state)

/** V2 world-update file: named `world-state-{t-1}.md`, holds the state after turn t (title says t-1). */
export interface FormattedWorldState {
  kind: 'v2-formatted';
  /** The turn number in the title (one lower than the turn whose state the file holds). */
  titleTurn: number;
  updatedAt: string | undefined;
  /** Text between "## Current Situation" and "## Key Changes This Turn": the world state after turn titleTurn + 1. */
  currentSituation: string;
  currentSituationSpan: SourceSpan;
  keyChanges: string[];
  consequences: string[];
  span: SourceSpan;
}

/** V2 persistence file: `world-state-{t}.md` with only the raw state text after turn t. */
export interface RawWorldState {
  kind: 'v2-raw';
  text: string;
  span: SourceSpan;
}

/** V1 world state: `world-state-{t}.md` holds the state after turn t (000 = initial state). */
export interface V1WorldState {
  kind: 'v1';
  turn: number;
  scenarioName: string | undefined;
  generatedAt: string | undefined;
  currentSituation: string;
  currentSituationSpan: SourceSpan;
  /** "Actions Taken This Turn" entries (absent in turn 0). */
  actions: Array<{ actor: string; text: string; span: SourceSpan }>;
  span: SourceSpan;
}

export type WorldStateDoc = FormattedWorldState | RawWorldState | V1WorldState;

// ---------------------------------------------------------------- decision markdown (docs/format.md#decisions, #v1-decisions)

export type DecisionFormat = 'decision-phase' | 'persistence' | 'v1';

export interface DecisionDoc {
  format: DecisionFormat;
  /** Actor display name, from the title line (never from the file name). */
  actor: string;
  turn: number;
  /** V2: the goals list exactly as Scenario Lab stores it (header lines, "- x" bullets, empty strings). V1: [goalsText] split into lines. */
  goals: string[];
  reasoning: string;
  action: string;
  /** Decision timestamp as written in the file (markdown or isoformat), undefined when absent. */
  timestamp: string | undefined;
  span: SourceSpan;
  goalsSpan: SourceSpan | undefined;
  reasoningSpan: SourceSpan | undefined;
  actionSpan: SourceSpan | undefined;
  /**
   * Persistence layout: a hash of the text from `## Goals` to the `*Decision made at …*` trailer,
   * to tell whether the file is exactly what the writer makes of given values (persistenceBodyHash()).
   */
  bodyHash?: string;
}

// ---------------------------------------------------------------- communication markdown (docs/format.md#communications)

export interface CommunicationMessage {
  sender: string;
  content: string;
  span: SourceSpan;
}

export interface CommunicationDoc {
  channel: 'bilateral' | 'coalition';
  turn: number;
  scenarioName: string | undefined;
  participants: string[];
  generatedAt: string | undefined;
  messages: CommunicationMessage[];
  span: SourceSpan;
}

// ---------------------------------------------------------------- JSON files (docs/format.md#metrics-file to #state-file-v2)

export interface MetricRecord {
  name: string;
  value: number;
  turn: number;
  timestamp: string;
  /** MetricRecord.actor: only scenario-state-v2.json writes it; null/undefined elsewhere. */
  actor: string | null;
  /** metadata.actor (actor-specific extracted metrics), when present. */
  metadataActor: string | null;
  span: SourceSpan;
}

export interface CostRecord {
  timestamp: string;
  actor: string | null;
  phase: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  span: SourceSpan;
}

export interface CostsFile {
  totalCost: number | undefined;
  byActor: Record<string, number>;
  records: CostRecord[];
}

export interface CommunicationRecord {
  id: string;
  turn: number;
  type: string;
  sender: string;
  recipients: string[];
  content: string;
  timestamp: string;
  span: SourceSpan;
}

export interface DecisionRecord {
  actor: string;
  turn: number;
  goals: string[];
  reasoning: string;
  action: string;
  timestamp: string | undefined;
  span: SourceSpan;
}

export interface ActorState {
  name: string;
  shortName: string | undefined;
  model: string | undefined;
  recentDecisions: DecisionRecord[];
}

/** scenario-state.json (V2, `version` absent) or scenario-state-v2.json (`version` "2.x"). */
export interface StateFile {
  variant: 'state' | 'state-v2';
  version: string | undefined;
  scenarioId: string;
  scenarioName: string;
  runId: string;
  status: string;
  scenarioConfig: unknown;
  turn: number;
  worldState: { turn: number; content: string; timestamp: string | undefined; span: SourceSpan } | undefined;
  actors: ActorState[];
  communications: CommunicationRecord[];
  /** Decisions of the last turn only. */
  decisions: DecisionRecord[];
  metrics: MetricRecord[];
  costs: CostRecord[];
  startedAt: string | undefined;
  completedAt: string | undefined;
  error: string | null;
  metadata: Record<string, unknown>;
  totalCost: number | undefined;
  /**
   * Required keys ("run_id", "scenario_id", "scenario_name", "status", "turn") that were absent or
   * of the wrong type: their fields above then hold an empty stand-in that must not be stored as a fact.
   */
  missing: string[];
}

// ---------------------------------------------------------------- V1 JSON (docs/format.md#v1-json)

export interface V1State {
  scenarioName: string;
  scenarioPath: string | undefined;
  status: string;
  haltReason: string | null;
  currentTurn: number;
  totalTurns: number | undefined;
  completedTurns: number[];
  /** World state text after turn k (0 = initial). */
  states: Map<number, string>;
  decisions: Array<{ turn: number; actor: string; goals: string; reasoning: string; action: string; tokens: number | undefined; span: SourceSpan }>;
  actors: Array<{ name: string; shortName: string | undefined; model: string | undefined }>;
  /** One entry per message of every channel. */
  messages: Array<{ channelId: string; channelType: string; turn: number; participants: string[]; sender: string; content: string; timestamp: string | undefined; span: SourceSpan }>;
  metricsByTurn: Array<{ turn: number; name: string; value: number; span: SourceSpan }>;
  totalCost: number | undefined;
  totalTokens: number | undefined;
  startedAt: string | undefined;
  lastUpdated: string | undefined;
  span: SourceSpan;
}

export interface V1Costs {
  actorCosts: Array<{ actor: string; model: string | undefined; turn: number; tokens: number; cost: number; span: SourceSpan }>;
  worldStateCosts: Array<{ turn: number; tokens: number; cost: number; span: SourceSpan }>;
  totalCost: number | undefined;
  totalTokens: number | undefined;
  startTime: string | undefined;
}

export interface V1Metrics {
  metricsByTurn: Array<{ turn: number; name: string; value: number; span: SourceSpan }>;
}

// ---------------------------------------------------------------- scenario definition (docs/format.md#scenario-definitions)

export interface ActorDefinition {
  name: string;
  shortName: string;
  model: string;
  span: SourceSpan;
}

export interface MetricDefinition {
  name: string;
  description: string | undefined;
  type: 'continuous' | 'categorical' | 'boolean' | string;
  unit: string | undefined;
  range: [number, number] | undefined;
  categories: string[] | undefined;
  extractionType: string | undefined;
  /** Regex source for pattern extraction (applied case-insensitively, last match wins). */
  pattern: string | undefined;
  keywords: string[] | undefined;
  actorSpecific: boolean;
  warningThreshold: number | undefined;
  criticalThreshold: number | undefined;
  span: SourceSpan;
}

export interface ScenarioDefinition {
  /** Folder holding scenario.yaml, relative to the root. */
  dir: string;
  name: string;
  description: string | undefined;
  plannedTurns: number | undefined;
  turnDuration: string | undefined;
  declaredActors: string[];
  actors: ActorDefinition[];
  metrics: MetricDefinition[];
  span: SourceSpan;
}

/**
 * The highest turn number the indexer believes (from a state file, a record or a file name).
 * Scenario Lab runs have tens of turns; a larger number is a damaged value, and believing it
 * would make a row for every turn up to it.
 */
export const MAX_TURN = 10_000;
