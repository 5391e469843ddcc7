/**
 * Turns a simulated run into the files Scenario Lab V2 leaves in a run folder (docs/format.md#a-run-folder),
 * byte for byte: markdown templates, the world-state off-by-one, the two decision formats
 * and the JSON files in Python's `json.dump(indent=2)` layout.
 */
import { worldUpdateResponse } from './content';
import type { Channel, Communication, CostRecord, Decision, MetricRecord, RunActor, RunRecord, TurnRecord } from './runRecord';
import { isoformat, markdownTime, pad3, py, PyJsonText, pyJson, pySlug } from './python';

/** Receives every generated file once: a `/`-separated path relative to the workspace, and its text. */
export type FileSink = (path: string, content: string) => void;

/** docs/format.md#decisions (layout a): `<short_name>-NNN.md`, written by the decision phase. */
export function decisionPhaseMarkdown(d: Decision): string {
  return (
    `# ${d.actor.spec.name} - Turn ${d.turn}\n\n*Decision made at ${markdownTime(d.timestamp)}*\n\n` +
    `## Goals\n\n${d.goalsText}\n\n## Reasoning\n\n${d.reasoning}\n\n## Action\n\n${d.action}\n`
  );
}

/** docs/format.md#decisions (layout b): `<slug>-NNN.md`, written by the persistence phase; goals rendered `- <entry>`, no final newline. */
export function persistenceMarkdown(d: Decision): string {
  return [
    `# ${d.actor.spec.name} - Turn ${d.turn}`, '', '## Goals', ...d.goals.map((g) => `- ${g}`), '',
    '## Reasoning', d.reasoning, '', '## Action', d.action, '', `*Decision made at ${isoformat(d.timestamp)}*`,
  ].join('\n');
}

/** docs/format.md#world-state formatted file: named `world-state-{t-1}`, titled `Turn {t-1}`, holding the state after turn t. */
export function formattedWorldState(turn: TurnRecord): string {
  const w = turn.world!;
  const bullets = (items: string[], none: string): string => (items.length === 0 ? none : items.map((x) => `- ${x}`).join('\n'));
  return (
    `# World State - Turn ${turn.turn - 1}\n\n*Updated at ${markdownTime(w.updatedAt)}*\n\n## Current Situation\n\n` +
    `${w.text.state}\n\n## Key Changes This Turn\n\n${bullets(w.text.keyChanges, 'No key changes identified')}\n\n` +
    `## Consequences\n\n${bullets(w.text.consequences, 'No consequences noted')}\n\n---\n\n<details>\n` +
    `<summary>Full LLM Response</summary>\n\n\`\`\`\n${worldUpdateResponse(w.text)}\n\`\`\`\n\n</details>\n`
  );
}

/** docs/format.md#communications channel file; messages in timestamp order. */
export function channelMarkdown(channel: Channel, turn: number, scenarioName: string): string {
  const title = channel.type === 'bilateral' ? 'Bilateral Negotiation' : 'Coalition Communication';
  let out =
    `# ${title} - Turn ${turn}\n\n**Scenario:** ${scenarioName}\n\n**Participants:** ${channel.participants.join(', ')}\n\n` +
    `**Generated:** ${markdownTime(channel.generatedAt)}\n\n---\n\n## Messages\n\n`;
  for (const m of channel.messages) out += `### ${m.sender}\n\n${m.content}\n\n---\n\n`;
  return out;
}

/** `bilateral-<P1>-<P2>-NNN.md`: names verbatim except `/` and `\` (docs/format.md#communications). */
export function channelFileName(channel: Channel, turn: number): string {
  return `${channel.type}-${channel.participants.map((p) => p.replace(/[/\\]/g, '-')).join('-')}-${pad3(turn)}.md`;
}

// ---------------------------------------------------------------- JSON records

function decisionJson(d: Decision): Record<string, unknown> {
  return { actor: d.actor.spec.name, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action, timestamp: isoformat(d.timestamp), metadata: {} };
}

function metricJson(m: MetricRecord): Record<string, unknown> {
  return { name: m.name, value: py(m.value), turn: m.turn, timestamp: isoformat(m.timestamp), metadata: m.metadata };
}

function costJson(c: CostRecord): Record<string, unknown> {
  return {
    timestamp: isoformat(c.timestamp), actor: c.actor, phase: c.phase, model: c.model,
    input_tokens: c.inputTokens, output_tokens: c.outputTokens, cost: py(c.cost),
  };
}

/** Python `sum()` in record order, so the float rounding matches Scenario Lab's. */
export function totalCost(run: RunRecord): number {
  return run.costs.reduce((sum, c) => sum + c.cost, 0);
}

function communicationJson(c: Communication): Record<string, unknown> {
  return { id: c.id, turn: c.turn, type: c.type, sender: c.sender, recipients: c.recipients, content: c.content, timestamp: isoformat(c.timestamp) };
}

/** Goals of the actor's latest decision that had any (an unstructured answer keeps the old ones). */
function currentGoals(run: RunRecord, actor: RunActor): string[] {
  for (let i = run.turns.length - 1; i >= 0; i--) {
    const d = run.turns[i].decisions.find((x) => x.actor === actor);
    if (d && d.goals.length > 0) return d.goals;
  }
  return actor.spec.goals;
}

/**
 * The four JSON files of a persisted turn. The parts they share (metric and cost records) are
 * encoded once and embedded re-indented, which matters at 100,000-file scale.
 */
function writeJsonFiles(run: RunRecord, last: TurnRecord, folder: string, sink: FileSink): void {
  const scenario = run.plan.scenario;
  const metricsText = pyJson(run.metrics.map(metricJson));
  const costRecords = run.costs.map(costJson);
  const costRecordsText = new PyJsonText(pyJson(costRecords));
  const total = py(totalCost(run));
  const communications = run.turns.flatMap((t) => t.communications.map(communicationJson));
  const byActor: Record<string, unknown> = {};
  for (const a of run.actors) {
    byActor[a.spec.name] = py(run.costs.reduce((sum, c) => (c.actor === a.spec.name ? sum + c.cost : sum), 0));
  }
  sink(`${folder}/metrics.json`, metricsText);
  sink(`${folder}/costs.json`, pyJson({ total_cost: total, by_actor: byActor, records: costRecordsText }));

  // scenario-state.json (docs/format.md#state-file), keys in ScenarioState.to_dict() order.
  const actors: Record<string, unknown> = {};
  for (const a of run.actors) {
    const own = run.turns.slice(-5).flatMap((t) => t.decisions.filter((d) => d.actor === a));
    actors[a.spec.name] = {
      name: a.spec.name, short_name: a.spec.shortName, model: a.model, current_goals: currentGoals(run, a),
      recent_decisions: own.map(decisionJson), private_information: '', metadata: {},
    };
  }
  sink(`${folder}/scenario-state.json`, pyJson({
    scenario_id: scenario.theme.name, scenario_name: scenario.theme.name, run_id: run.runId, status: run.status,
    scenario_config: scenario.config, turn: last.turn, current_phase: 'persistence',
    world_state: { turn: last.turn, content: last.world!.text.state, timestamp: isoformat(last.world!.timestamp), metadata: {} },
    actors,
    communications: communications.map((c) => ({ ...c, metadata: {} })),
    decisions: Object.fromEntries(last.decisions.map((d) => [d.actor.spec.name, decisionJson(d)])),
    metrics: new PyJsonText(metricsText),
    costs: costRecords.map((c, i) => ({ ...c, metadata: run.costs[i].metadata })),
    started_at: isoformat(run.startedAt),
    completed_at: run.completedAt === null ? null : isoformat(run.completedAt),
    error: run.error, metadata: {}, total_cost: total,
  }));

  // scenario-state-v2.json (docs/format.md#state-file-v2): metrics carry `actor`, records carry no metadata.
  const actorsV2: Record<string, unknown> = {};
  for (const a of run.actors) {
    actorsV2[a.spec.name] = { name: a.spec.name, short_name: a.spec.shortName, model: a.model, current_goals: currentGoals(run, a), private_information: '' };
  }
  sink(`${folder}/scenario-state-v2.json`, pyJson({
    version: '2.0', scenario_id: scenario.theme.name, scenario_name: scenario.theme.name, run_id: run.runId,
    turn: last.turn, status: run.status, scenario_config: scenario.config,
    world_state: { turn: last.turn, content: last.world!.text.state },
    actors: actorsV2,
    decisions: Object.fromEntries(last.decisions.map((d) => [
      d.actor.spec.name, { actor: d.actor.spec.name, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action },
    ])),
    communications,
    costs: costRecordsText,
    metrics: run.metrics.map((m) => ({ turn: m.turn, name: m.name, value: py(m.value), actor: m.actor, timestamp: isoformat(m.timestamp) })),
    metadata: {},
  }));
}

// ---------------------------------------------------------------- the folder

/** Writes every file of the run folder `folder` (workspace-relative). The run must have ≥ 1 persisted turn. */
export function writeRunFolder(run: RunRecord, folder: string, sink: FileSink): void {
  const scenarioName = run.plan.scenario.theme.name;
  const writeChannels = (t: TurnRecord): void => {
    for (const ch of t.channels) sink(`${folder}/${channelFileName(ch, t.turn)}`, channelMarkdown(ch, t.turn, scenarioName));
  };
  for (const t of run.turns) {
    writeChannels(t);
    for (const d of t.decisions) {
      const slug = pySlug(d.actor.spec.name);
      // When short_name == slug the persistence file overwrites the decision-phase one: write only the survivor.
      if (d.actor.spec.shortName !== slug) sink(`${folder}/${d.actor.spec.shortName}-${pad3(t.turn)}.md`, decisionPhaseMarkdown(d));
      sink(`${folder}/${slug}-${pad3(t.turn)}.md`, persistenceMarkdown(d));
    }
    sink(`${folder}/world-state-${pad3(t.turn - 1)}.md`, formattedWorldState(t));
  }
  const last = run.turns[run.turns.length - 1];
  sink(`${folder}/world-state-${pad3(last.turn)}.md`, last.world!.text.state);
  if (run.partial) {
    writeChannels(run.partial);
    for (const d of run.partial.decisions) sink(`${folder}/${d.actor.spec.shortName}-${pad3(d.turn)}.md`, decisionPhaseMarkdown(d));
  }
  writeJsonFiles(run, last, folder, sink);
}
