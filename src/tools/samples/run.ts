/**
 * Simulates one V2 run in memory, phase by phase and in the order of docs/format.md#write-order:
 * communication -> decision (+ actor metrics) -> world_update (+ world metrics, QA cost) ->
 * persistence. A virtual clock (microseconds of naive local time) advances with every step, so
 * the timestamps in the files are ordered like Scenario Lab's and depend only on the seed.
 */
import { llmCost, NEGOTIATION_STAGES, type MetricSpec } from './catalog';
import { bilateralOpening, bilateralReply, coalitionOpening, coalitionReply, decisionText, publicStatement, worldStateText, type Cast } from './content';
import { matchKeywords, matchPattern, metricValue } from './extraction';
import { comparePython, compactTime, runIdTime } from './python';
import type { Random } from './random';
import type {
  Channel, Communication, CommunicationType, CostRecord, Decision, MetricRecord, RunActor, RunPlan, RunRecord, TurnRecord, WorldUpdate,
} from './runRecord';

const QA_MODEL = 'openai/gpt-4o-mini';
const WORLD_MODEL = 'openai/gpt-4o-mini';

/** Mutable per-run simulation state: the clock and the values the metric phrases carry. */
class Simulation {
  now: number;
  readonly costs: CostRecord[] = [];
  readonly metrics: MetricRecord[] = [];
  private readonly trust = new Map<string, number>();
  private cooperation: number;
  private costBillions: number;

  constructor(
    readonly plan: RunPlan,
    readonly actors: RunActor[],
    readonly r: Random,
  ) {
    this.now = plan.startUs;
    this.cooperation = r.int(6, 12) / 2;
    this.costBillions = r.int(30, 60) / 10;
    for (const a of actors) this.trust.set(a.spec.name, r.int(6, 14) / 2);
  }

  /** Advance the clock by a random number of milliseconds (microsecond resolution). */
  tick(minMs: number, maxMs: number): number {
    this.now += this.r.int(minMs * 1000, maxMs * 1000);
    return this.now;
  }

  /** `persisted` is false for the interrupted turn, whose costs and metrics never reach a file. */
  turn(turn: number, persisted: boolean, deciders: number): TurnRecord {
    const { communications, channels } = this.communicationPhase(turn, persisted);
    const decisions = this.actors.slice(0, deciders).map((a) => this.decide(a, turn, persisted));
    if (!persisted) return { turn, communications, channels, decisions, world: undefined };
    this.extractActorMetrics(decisions, turn);
    const world = this.worldUpdate(turn);
    this.tick(20, 80); // persistence phase
    return { turn, communications, channels, decisions, world };
  }

  private communicationPhase(turn: number, persisted: boolean): { communications: Communication[]; channels: Channel[] } {
    const { r, actors } = this;
    const theme = this.plan.scenario.theme;
    const names = actors.map((a) => a.spec.name);
    const communications: Communication[] = [];
    const add = (type: CommunicationType, sender: RunActor, recipients: string[], content: string): void => {
      const timestamp = this.tick(2500, 9000);
      const id = `${type}-${turn}-${compactTime(timestamp - r.int(5000, 40000))}`;
      communications.push({ id, turn, type, sender: sender.spec.name, recipients, content, timestamp });
      const at = this.tick(15, 60);
      if (persisted) this.addCost(at, sender.spec.name, 'communication', sender.model, r.int(1800, 2600), r.int(45, 110));
    };
    const channelCount = actors.length < 2 ? 0 : r.int(0, 2);
    for (let i = 0; i < channelCount; i++) {
      if (actors.length >= 3 && r.chance(0.35)) {
        const members = r.sample(actors, r.int(3, Math.min(4, actors.length)));
        members.forEach((m, k) => {
          const others = members.filter((o) => o !== m).map((o) => o.spec.name);
          add('coalition', m, others, k === 0 ? coalitionOpening(r, theme, members.length) : coalitionReply(r));
        });
      } else {
        const [a, b] = r.sample(actors, 2);
        add('bilateral', a, [b.spec.name], bilateralOpening(r, theme));
        if (r.chance(0.8)) add('bilateral', b, [a.spec.name], bilateralReply(r));
      }
    }
    if (theme.enablePublicStatements && r.chance(0.3)) {
      const sender = r.pick(actors);
      add('public', sender, names.filter((n) => n !== sender.spec.name), publicStatement(r, theme, sender.spec.name));
    }
    return { communications, channels: this.exportChannels(communications) };
  }

  /** Groups the turn's private messages by participant set (docs/format.md#communications); public ones get no file. */
  private exportChannels(communications: Communication[]): Channel[] {
    const byKey = new Map<string, Channel>();
    for (const c of communications) {
      if (c.type === 'public') continue;
      const participants = [...new Set([c.sender, ...c.recipients])].sort(comparePython);
      const key = `${c.type}\u0000${participants.join('\u0000')}`;
      let channel = byKey.get(key);
      if (!channel) {
        channel = { type: c.type, participants, messages: [], generatedAt: 0 };
        byKey.set(key, channel);
      }
      channel.messages.push(c);
    }
    for (const channel of byKey.values()) channel.generatedAt = this.tick(3, 12);
    return [...byKey.values()];
  }

  private decide(actor: RunActor, turn: number, persisted: boolean): Decision {
    const { r, plan } = this;
    const timestamp = this.tick(8000, 25000);
    const cast: Cast = {
      theme: plan.scenario.theme,
      actor: actor.spec,
      others: this.actors.filter((a) => a !== actor).map((a) => a.spec.name),
      turn,
      declaredTurns: plan.scenario.declaredTurns,
    };
    if (cast.others.length === 0) cast.others = ['the chair'];
    // Rarely the LLM ignores the requested sections: everything parses as empty (sample run-002).
    const unstructured = turn > 1 && r.chance(1 / 150);
    const trust = this.walkTrust(actor.spec.name);
    const text = unstructured
      ? { goalsText: '', reasoning: '', action: '' }
      : decisionText(r, cast, {
          trust: halfStep(trust),
          actionTrust: r.chance(0.2) ? halfStep(clampHalf(trust + (r.chance(0.5) ? 0.5 : -0.5))) : undefined,
          fundingMillions: r.int(5, 120),
        });
    if (persisted) {
      const inputTokens = r.int(600, 900) + 40 * turn;
      const outputTokens = Math.round((text.reasoning.length + text.action.length) / 4.2) + r.int(20, 80);
      this.addCost(timestamp + r.int(3000, 8000), actor.spec.name, 'decision', actor.model, inputTokens, outputTokens);
    }
    return {
      actor, turn, timestamp,
      goalsText: text.goalsText,
      goals: text.goalsText === '' ? [] : text.goalsText.split('\n'),
      reasoning: text.reasoning,
      action: text.action,
    };
  }

  /** Actor-specific metrics: per actor, extracted from the reasoning, then from the action; then the manual ones. */
  private extractActorMetrics(decisions: Decision[], turn: number): void {
    const defs = this.plan.scenario.metrics.filter((m) => m.actor_specific);
    const extracted = defs.filter((m) => m.extraction.type === 'pattern');
    for (const d of decisions) {
      for (const text of [d.reasoning, d.action]) {
        for (const m of extracted) this.patternRecord(m, text, turn, d.actor.spec.name);
      }
    }
    for (const m of defs.filter((x) => x.extraction.type === 'manual')) {
      for (const d of decisions) {
        this.metrics.push({
          name: m.name, value: this.r.int(0, 4), turn, timestamp: this.tick(3, 30), actor: d.actor.spec.name,
          metadata: { extraction_type: 'manual', unit: m.unit ?? null, recorded_by: 'analyst-script' },
        });
      }
    }
  }

  private patternRecord(m: MetricSpec, text: string, turn: number, actor: string | null): void {
    if (m.extraction.type !== 'pattern') return;
    const found = matchPattern(text, m.extraction.pattern);
    if (!found) return;
    this.metrics.push({
      name: m.name, value: metricValue(m, found.raw), turn, timestamp: this.tick(3, 30), actor: null,
      metadata: {
        actor, extraction_type: 'pattern', pattern: m.extraction.pattern, raw_value: found.raw,
        match_count: found.matchCount, unit: m.unit ?? null, description: m.description,
      },
    });
  }

  private worldUpdate(turn: number): WorldUpdate {
    const { r, plan } = this;
    this.cooperation = clampHalf(this.cooperation + r.pick([-1, -0.5, 0, 0, 0.5, 1]));
    this.costBillions = Math.max(0.5, Math.round((this.costBillions + r.int(-5, 5) / 10) * 10) / 10);
    const progress = turn / Math.max(plan.lastTurn, 1);
    const agreement = progress >= 0.75 && r.chance(0.5);
    const text = worldStateText(r, plan.scenario.theme, this.actors.map((a) => a.spec.name), turn, {
      cooperation: r.chance(0.93) ? halfStep(this.cooperation) : undefined,
      stage: NEGOTIATION_STAGES[Math.min(3, Math.floor(progress * 3.2))],
      costBillions: r.chance(0.85) ? this.costBillions.toFixed(1) : undefined,
      agreement,
    });
    const timestamp = this.tick(10000, 30000);
    const updatedAt = this.tick(20, 60);
    this.addCost(updatedAt, null, 'world_update', WORLD_MODEL, r.int(1000, 1600) + 30 * turn, Math.round(text.state.length / 4));
    for (const m of plan.scenario.metrics) {
      if (!m.actor_specific) this.worldMetric(m, text.state, turn);
    }
    if (plan.scenario.theme.validation) {
      this.addCost(this.tick(5000, 12000), null, 'qa_validation', QA_MODEL, r.int(600, 800), r.int(250, 320), {
        check_name: 'world_state_coherence',
      });
    }
    return { text, timestamp, updatedAt };
  }

  /** World-state metrics: pattern only when it matches, keyword count only when > 0, presence and llm always. */
  private worldMetric(m: MetricSpec, state: string, turn: number): void {
    const ex = m.extraction;
    const common = { actor: null, extraction_type: ex.type };
    if (ex.type === 'pattern') {
      this.patternRecord(m, state, turn, null);
    } else if (ex.type === 'llm') {
      const raw = halfStep(this.r.int(2, 18) / 2);
      this.metrics.push({
        name: m.name, value: Number(raw), turn, timestamp: this.tick(1500, 3500), actor: null,
        metadata: { ...common, model: ex.model, raw_response: raw, unit: m.unit ?? null, description: m.description },
      });
    } else if (ex.type === 'keyword') {
      const matches = matchKeywords(state, ex.keywords);
      const value = ex.scoring === 'presence' ? (matches.length > 0 ? 1 : 0) : matches.length;
      if (ex.scoring === 'count' && value === 0) return;
      this.metrics.push({
        name: m.name, value, turn, timestamp: this.tick(5, 35), actor: null,
        metadata: { ...common, keywords: ex.keywords, matches, scoring: ex.scoring, unit: m.unit ?? null, description: m.description },
      });
    }
  }

  private walkTrust(name: string): number {
    const next = clampHalf(this.trust.get(name)! + this.r.pick([-1, -0.5, 0, 0.5, 1]));
    this.trust.set(name, next);
    return next;
  }

  private addCost(
    timestamp: number, actor: string | null, phase: CostRecord['phase'], model: string,
    inputTokens: number, outputTokens: number, metadata: Record<string, string> = {},
  ): void {
    this.costs.push({ timestamp, actor, phase, model, inputTokens, outputTokens, cost: llmCost(model, inputTokens, outputTokens), metadata });
  }
}

/** Scores move in half points between 1 and 9. */
function clampHalf(x: number): number {
  return Math.min(9, Math.max(1, Math.round(x * 2) / 2));
}

/** How an LLM would write a half-point score: "4" or "4.5". */
function halfStep(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * An upper bound of a run's simulated duration (the tick ranges used below, with margin): at most
 * 9 messages of ≤ 9.1 s, ≤ 25 s per decision, ≤ 34 s of world update and metrics, ≤ 12 s of QA per
 * turn, plus one interrupted turn.
 */
export function maxRunDurationUs(turns: number, actors: number): number {
  return (turns + 1) * (150 + 30 * actors) * 1e6 + 10e6;
}

/** The run_id comes from the load time (`startUs`, one-second resolution), so parallel batch runs can share it. */
export function simulateRun(plan: RunPlan): RunRecord {
  const r = plan.rng;
  const actors = plan.scenario.actors.map((spec) => ({ spec, model: plan.modelOverrides[spec.shortName] ?? spec.model }));
  const sim = new Simulation(plan, actors, r);
  const startedAt = sim.tick(0, 900);
  const turns: TurnRecord[] = [];
  for (let t = 1; t <= plan.lastTurn; t++) turns.push(sim.turn(t, true, actors.length));
  const partial = plan.kind === 'interrupted' ? sim.turn(plan.lastTurn + 1, false, plan.partialDeciders) : undefined;
  const finalized = plan.kind === 'completed' || plan.kind === 'halted';
  return {
    plan,
    runId: `run-${runIdTime(plan.startUs)}`,
    actors,
    turns,
    partial,
    costs: sim.costs,
    metrics: sim.metrics,
    status: plan.kind === 'completed' ? 'completed' : plan.kind === 'halted' ? 'halted' : 'running',
    error: plan.kind === 'halted' ? 'Manual stop requested' : null,
    startedAt,
    completedAt: finalized ? sim.tick(5, 40) : null,
    endUs: sim.tick(200, 2000),
  };
}
