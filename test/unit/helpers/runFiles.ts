/**
 * Builders of Scenario Lab run files and records, transcribed from the writers docs/format.md
 * describes, for tests that need a file the sample workspace does not have. Each builder returns
 * exactly what Scenario Lab would write for the values given; overrides change one field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One actor's decision of one turn. */
export interface DecisionValues {
  actor: string;
  turn: number;
  /** The goals list as Scenario Lab stores it (header lines, "- x" bullets, empty strings). */
  goals: string[];
  reasoning: string;
  action: string;
}

const DEFAULT_DECISION: DecisionValues = { actor: 'China', turn: 1, goals: ['Hold firm'], reasoning: 'Because.', action: 'Act.' };

/**
 * The persistence phase's `<slug>-NNN.md` (docs/format.md#decisions, layout b), from its Python
 * `"\n".join([...])`: one `- <entry>` line per goal, isoformat trailer, no final newline.
 */
export function persistenceDecision(values: Partial<DecisionValues> = {}, timestamp = '2025-11-24T09:48:35.886395'): string {
  const d = { ...DEFAULT_DECISION, ...values };
  return [`# ${d.actor} - Turn ${d.turn}`, '', '## Goals', ...d.goals.map((g) => `- ${g}`), '', '## Reasoning', d.reasoning, '', '## Action', d.action, '', `*Decision made at ${timestamp}*`].join('\n');
}

/** The decision phase's `<short_name>-NNN.md` (docs/format.md#decisions, layout a): the goals text is the list joined with newlines. */
export function decisionPhaseDecision(values: Partial<DecisionValues> = {}, timestamp = '2025-11-24 09:48:35'): string {
  const d = { ...DEFAULT_DECISION, ...values };
  return (
    `# ${d.actor} - Turn ${d.turn}\n\n*Decision made at ${timestamp}*\n\n## Goals\n\n${d.goals.join('\n')}\n\n` +
    `## Reasoning\n\n${d.reasoning}\n\n## Action\n\n${d.action}\n`
  );
}

/**
 * The world-update phase's formatted `world-state-{turn-1}.md` (docs/format.md#world-state): titled one
 * turn low, holding `situation`, the state after `turn`; the full LLM response quotes it in a fence.
 */
export function formattedWorldState(turn: number, situation: string, { keyChanges = '- A change', consequences = '- A consequence' } = {}): string {
  return (
    `# World State - Turn ${turn - 1}\n\n*Updated at 2025-11-24 09:49:14*\n\n## Current Situation\n\n${situation}\n\n` +
    `## Key Changes This Turn\n\n${keyChanges}\n\n## Consequences\n\n${consequences}\n\n---\n\n<details>\n` +
    `<summary>Full LLM Response</summary>\n\n\`\`\`\n**UPDATED STATE:**\n${situation}\n\`\`\`\n\n</details>\n`
  );
}

/** A metrics.json record (docs/format.md#metrics-file). */
export function aMetricRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'cooperation_level', value: 5, turn: 1, timestamp: '2025-11-24T09:49:02.621673', metadata: { actor: null, extraction_type: 'pattern' }, ...overrides };
}

/** A costs.json record (docs/format.md#costs-file). */
export function aCostRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { timestamp: '2025-11-24T09:48:17.777362', actor: 'China', phase: 'decision', model: 'deepseek/deepseek-chat', input_tokens: 626, output_tokens: 342, cost: 0.0001834, ...overrides };
}

/**
 * A V2 scenario-state.json (docs/format.md#state-file) of a run at `turn`, holding `decisions` as that
 * turn's decisions and as each actor's recent decisions.
 */
export function aStateFile(overrides: Record<string, unknown> = {}, decisions: DecisionValues[] = []): Record<string, unknown> {
  const turn = (overrides.turn as number | undefined) ?? 1;
  const asRecord = (d: DecisionValues) => ({ actor: d.actor, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action, timestamp: '2025-11-24T09:48:35.886395', metadata: {} });
  const actors = Object.fromEntries(
    [...new Set(decisions.map((d) => d.actor))].map((name) => [
      name,
      { name, short_name: name.toLowerCase().replace(/ /g, '-'), model: 'deepseek/deepseek-chat', current_goals: [], recent_decisions: decisions.filter((d) => d.actor === name).map(asRecord), private_information: '', metadata: {} },
    ]),
  );
  return {
    scenario_id: 'Test Scenario',
    scenario_name: 'Test Scenario',
    run_id: 'run-20251124-094755',
    status: 'running',
    scenario_config: { name: 'Test Scenario', turns: turn },
    turn,
    current_phase: 'persistence',
    world_state: { turn, content: `The world after turn ${turn}.`, timestamp: '2025-11-24T09:49:14.000001', metadata: {} },
    actors,
    communications: [],
    decisions: Object.fromEntries(decisions.filter((d) => d.turn === turn).map((d) => [d.actor, asRecord(d)])),
    metrics: [],
    costs: [],
    started_at: '2025-11-24T09:47:55.000001',
    completed_at: null,
    error: null,
    metadata: {},
    total_cost: 0,
    ...overrides,
  };
}

/**
 * Writes a V2 run folder as the persistence phase of its last turn leaves it: scenario-state.json,
 * one persistence-layout decision file per decision (named by the actor's slug), the world states of
 * every turn ("The world after turn k."), metrics.json and costs.json. Returns the folder.
 */
export function writeRunFolder(
  dir: string,
  { state = {}, decisions = [DEFAULT_DECISION], metrics = [], costs = [] }: { state?: Record<string, unknown>; decisions?: DecisionValues[]; metrics?: Array<Record<string, unknown>>; costs?: Array<Record<string, unknown>> } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  const turn = Math.max(1, ...decisions.map((d) => d.turn));
  const total = costs.reduce((sum, c) => sum + Number(c.cost ?? 0), 0);
  const stateFile = aStateFile({ turn, metrics, costs, total_cost: total, ...state }, decisions);
  for (const d of decisions) {
    fs.writeFileSync(path.join(dir, `${d.actor.toLowerCase().replace(/ /g, '-')}-${String(d.turn).padStart(3, '0')}.md`), persistenceDecision(d));
  }
  // The off-by-one of docs/format.md#world-state: formatted files of turns 1..N-1 one number low, the raw last one.
  for (let k = 1; k < turn; k++) fs.writeFileSync(path.join(dir, `world-state-${String(k - 1).padStart(3, '0')}.md`), formattedWorldState(k, `The world after turn ${k}.`));
  fs.writeFileSync(path.join(dir, `world-state-${String(turn).padStart(3, '0')}.md`), (stateFile.world_state as { content: string }).content);
  fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  fs.writeFileSync(path.join(dir, 'costs.json'), JSON.stringify({ total_cost: total, by_actor: {}, records: costs }, null, 2));
  fs.writeFileSync(path.join(dir, 'scenario-state.json'), JSON.stringify(stateFile, null, 2));
  return dir;
}
