/**
 * The shapes of one simulated V2 run (run.ts simulates it; render.ts and batch.ts write it out):
 * its plan, and what each phase recorded. Times are microseconds of naive local time on the run's
 * virtual clock.
 */
import type { ActorSpec, MetricSpec, ScenarioTheme } from './catalog';
import type { WorldText } from './content';
import type { Random } from './random';

/** A scenario as the runs see it (one `scenarios/<dir>` folder). */
export interface ScenarioModel {
  theme: ScenarioTheme;
  /** In actor-file order (files are `<short_name>.yaml`), which is the decision order. */
  actors: ActorSpec[];
  /** `turns:` of scenario.yaml, quoted by the prompts; runs may be longer or shorter. */
  declaredTurns: number;
  /** Empty when the scenario has no metrics.yaml. */
  metrics: MetricSpec[];
  /** scenario.yaml after validation, as stored in `scenario_config` (docs/format.md#scenario-file). */
  config: Record<string, unknown>;
}

/**
 * completed / halted: terminal status persisted with the last turn ("finalized" runs);
 * finished-running: upstream behaviour, all turns done but status still `running`;
 * interrupted: an API error in turn N+1 left that turn's communication and decision-phase files.
 */
export type RunKind = 'completed' | 'halted' | 'finished-running' | 'interrupted';

export interface RunPlan {
  scenario: ScenarioModel;
  kind: RunKind;
  /** Last persisted turn N. */
  lastTurn: number;
  /** interrupted: how many actors decided in turn N+1 before the failure (all = world update failed). */
  partialDeciders: number;
  startUs: number;
  /** Actor short_name -> model, from a batch `actor_model` variation. */
  modelOverrides: Record<string, string>;
  rng: Random;
}

export interface RunActor {
  spec: ActorSpec;
  model: string;
}

export interface Decision {
  actor: RunActor;
  turn: number;
  goalsText: string;
  goals: string[];
  reasoning: string;
  action: string;
  timestamp: number;
}

export type CommunicationType = 'bilateral' | 'coalition' | 'public';

export interface Communication {
  id: string;
  turn: number;
  type: CommunicationType;
  sender: string;
  recipients: string[];
  content: string;
  timestamp: number;
}

/** One `bilateral-…` / `coalition-…` markdown file: all messages of one participant set in a turn. */
export interface Channel {
  type: 'bilateral' | 'coalition';
  participants: string[];
  messages: Communication[];
  generatedAt: number;
}

export interface CostRecord {
  timestamp: number;
  actor: string | null;
  phase: 'communication' | 'decision' | 'world_update' | 'qa_validation';
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  /** Only scenario-state.json writes it. */
  metadata: Record<string, string>;
}

export interface MetricRecord {
  name: string;
  value: number;
  turn: number;
  timestamp: number;
  /** MetricRecord.actor: set only for manual metrics (docs/format.md#metrics-file). */
  actor: string | null;
  metadata: Record<string, unknown>;
}

export interface WorldUpdate {
  text: WorldText;
  /** world_state.timestamp of the state files. */
  timestamp: number;
  /** "*Updated at …*" of the formatted file. */
  updatedAt: number;
}

export interface TurnRecord {
  turn: number;
  communications: Communication[];
  channels: Channel[];
  decisions: Decision[];
  /** Absent for the interrupted turn. */
  world: WorldUpdate | undefined;
}

export interface RunRecord {
  plan: RunPlan;
  runId: string;
  actors: RunActor[];
  /** Persisted turns 1..N. */
  turns: TurnRecord[];
  /** interrupted runs: the failed turn N+1 (files only, not in any JSON). */
  partial: TurnRecord | undefined;
  /** Records of the persisted turns, in creation order. */
  costs: CostRecord[];
  metrics: MetricRecord[];
  status: 'running' | 'completed' | 'halted';
  error: string | null;
  startedAt: number;
  completedAt: number | null;
  /** Clock value when the run stopped (the next run starts later). */
  endUs: number;
}
