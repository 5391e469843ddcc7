/**
 * The stand-in for the LLM: plausible negotiation prose assembled from templates. Only the
 * metric phrases matter to the tools ("trust level: 4/10", "Overall cooperation level: 4.5/10.",
 * "Commit 24 million", "Negotiation stage: drafting.", "$4.0 billion", the keyword phrases);
 * everything else is filler of realistic size. The world-state text uses each keyword of the
 * keyword metrics at most once, so "count" gives the same value however it is counted.
 */
import type { ActorSpec, ScenarioTheme } from './catalog';
import type { Random } from './random';

/** What a paragraph template may refer to. */
export interface Cast {
  theme: ScenarioTheme;
  actor: ActorSpec;
  /** Display names of the other actors of the run. */
  others: string[];
  turn: number;
  /** The scenario's declared length, which the prompts quote (it can differ from the real length). */
  declaredTurns: number;
}

export interface DecisionText {
  /** The parsed goals string; the stored goals list is `goalsText.split("\n")`. */
  goalsText: string;
  reasoning: string;
  action: string;
}

/** Numbers that the metric patterns will find in the decision. */
export interface DecisionNumbers {
  trust: string;
  /** A second trust statement inside the action, giving a second trust_level record. */
  actionTrust: string | undefined;
  fundingMillions: number;
}

const GROUPS = ['national security agencies', 'academic researchers', 'consumer groups', 'cloud providers', 'insurers', 'trade unions', 'start-up associations', 'members of parliament'];
const INSTRUMENTS = ['pilot programme', 'code of conduct', 'review clause', 'sunset provision', 'mutual recognition scheme'];
const MOODS = ['guarded', 'constructive', 'tense', 'cautiously optimistic', 'frosty', 'businesslike'];
const SHORT_TERM = [
  'Build a coalition with {other}', 'Get incident reporting into the final text', 'Secure safe-harbour language',
  'Cap the compliance cost', 'Avoid verification of domestic labs', 'Seek observer status for industry',
  'Court support from smaller delegations', 'Lobby for a 24-month phase-in', 'Offer a shared red-teaming pool',
  'Link new obligations to technology access', 'Keep {topic} off the agenda for now', 'Win a review clause on {topic}',
];

type Paragraph = (r: Random, c: Cast) => string;

const REASONING: readonly Paragraph[] = [
  (r, c) => `Turn ${c.turn} of ${c.declaredTurns} finds the talks at a delicate point. ${c.actor.stance} The discussion on ${r.pick(c.theme.topics)} has moved faster than our capital expected, and ${r.pick(c.others)} is pressing for obligations that would bind us before the technical work is done.`,
  (r) => `If we hold back now we risk being painted as the obstacle; if we move too early we give away leverage we need later. The most defensible path is a conditional offer: agree to the principle, but tie implementation to reciprocal steps and a review clause after ${r.int(12, 36)} months.`,
  (r) => `Domestically, ${r.pick(GROUPS)} and ${r.pick(GROUPS)} are watching closely; anything that looks like a unilateral concession will be hard to defend in front of them, and even harder to explain once the final text is published.`,
  (r, c) => `Our read of ${r.pick(c.others)}'s position is that it is more flexible in private than in public. The signals from the ${r.pick(c.theme.venues)} suggest room for a package deal that links ${r.pick(c.theme.topics)} with ${r.pick(c.theme.topics)}.`,
  (r, c) => `${r.pick(c.others)} has circulated a non-paper on ${r.pick(c.theme.topics)}. Its wording is closer to our position than we expected, but the annex on verification would give third parties access to internal documentation. We should welcome the paper in public while our experts prepare line-by-line amendments.`,
  (r) => `Budget officials estimate that the measures under discussion would cost us about ${r.int(20, 400)} million per year during the transition. That figure is manageable if the phase-in lasts at least ${r.int(12, 30)} months and if smaller organisations receive support.`,
  (r, c) => `Last turn showed that ${r.pick(c.others)} responds to concrete drafting proposals rather than general appeals. We will therefore bring text, not principles, and keep our red lines private until the final stage of the ${r.pick(c.theme.venues)}.`,
  (r, c) => `There is a risk that ${r.pick(c.theme.topics)} becomes a bargaining chip for unrelated disputes. Keeping the technical track separate from the political one has served us well so far and remains our preferred approach, even if it slows things down.`,
  (r, c) => `Media coverage in the last ${r.int(3, 14)} days has focused on ${r.pick(c.theme.topics)}. Public opinion favours visible progress, which gives the delegation room to accept a compromise that includes review clauses and sunset provisions.`,
  (r, c) => `We should not underestimate how much ${r.pick(c.others)} depends on a visible success at home. Offering them a face-saving formula on ${r.pick(c.theme.topics)} costs us little and could unlock movement on the questions that matter more to us.`,
  (r) => `Our technical experts remain divided. One camp argues that a ${r.pick(INSTRUMENTS)} is the only realistic instrument at this stage; the other warns that anything short of binding text will be ignored within ${r.int(6, 24)} months. The delegation will present both options internally before the next session.`,
  (r, c) => `Coordination with like-minded delegations has been uneven. ${r.pick(c.others)} agrees with us on substance but not on timing, and a public split would weaken both of us; a quiet bilateral meeting before the ${r.pick(c.theme.venues)} is the obvious remedy.`,
];

const ACTION_STEPS: readonly Paragraph[] = [
  (r) => `Brief ${r.pick(GROUPS)} on the emerging compromise`,
  (r, c) => `Table draft language on ${r.pick(c.theme.topics)}, with a ${r.int(12, 36)}-month phase-in`,
  (r, c) => `Propose a joint technical working group with ${r.pick(c.others)}`,
  (r, c) => `Request a written clarification on ${r.pick(c.theme.topics)} before the next session`,
  (r) => `Signal openness to a ${r.pick(INSTRUMENTS)} if verification is credible`,
  (r, c) => `Host an informal dinner for the heads of delegation of ${r.pick(c.others)} and ${r.pick(c.others)}`,
  (r, c) => `Circulate a revised annex on ${r.pick(c.theme.topics)} to all delegations`,
];

const ACTION_CLOSERS: readonly Paragraph[] = [
  (r, c) => `In the ${r.pick(c.theme.venues)}, our delegation will state publicly that we are prepared to move on ${r.pick(c.theme.topics)} provided others match the effort.`,
  (r, c) => `Behind closed doors, the head of delegation will tell ${r.pick(c.others)} that our flexibility on ${r.pick(c.theme.topics)} has limits, and that those limits will be tested if the next draft ignores our amendments.`,
  (r) => `The delegation will keep a low profile in the press and avoid any statement that could be read as a new red line; the goal of this turn is to build trust with ${r.pick(GROUPS)}, not to win headlines.`,
];

/** Goals block as the decision parser builds it from the LLM's two goal sections (docs/format.md#decisions). */
function goalsText(r: Random, c: Cast): string {
  const longTerm = r.shuffle(c.actor.goals);
  const shortTerm = r.sample(SHORT_TERM, 2).map((g) => g.replace('{other}', r.pick(c.others)).replace('{topic}', r.pick(c.theme.topics)));
  return `**Long-term:**\n- ${longTerm.join('\n- ')}\n\n**Short-term:**\n- ${shortTerm.join('\n- ')}`;
}

export function decisionText(r: Random, c: Cast, n: DecisionNumbers): DecisionText {
  const paragraphs = r.sample(REASONING, r.int(5, 8)).map((p) => p(r, c));
  paragraphs.push(`Internal assessment (trust level: ${n.trust}/10).`);
  const steps = r.sample(ACTION_STEPS, r.int(3, 5)).map((s) => s(r, c));
  steps.splice(r.int(0, steps.length), 0, `Commit ${n.fundingMillions} million in funding for shared monitoring capacity`);
  const closers = r.sample(ACTION_CLOSERS, r.int(1, 3)).map((p) => p(r, c));
  let action = `${c.actor.name} will take the following steps this turn:\n\n- ${steps.join('\n- ')}\n\n${closers.join('\n\n')}`;
  if (n.actionTrust !== undefined) action += `\n\n(Delegation note: trust level: ${n.actionTrust})`;
  return { goalsText: goalsText(r, c), reasoning: paragraphs.join('\n\n'), action };
}

// ---------------------------------------------------------------- world state

/** Numbers that the world-state metric patterns will find; undefined = phrase left out. */
export interface WorldNumbers {
  cooperation: string | undefined;
  stage: string;
  costBillions: string | undefined;
  agreement: boolean;
}

export interface WorldText {
  /** The world-state text of the turn (raw file content, "Current Situation" section). */
  state: string;
  keyChanges: string[];
  consequences: string[];
}

export function worldStateText(r: Random, theme: ScenarioTheme, names: string[], turn: number, n: WorldNumbers): WorldText {
  const [a, b, c] = r.sample(names, 3);
  const parts = [
    `By the end of turn ${turn}, the mood in the ${r.pick(theme.venues)} had shifted. ${a} put forward concrete language on ${r.pick(theme.topics)}, while ${b ?? a} signalled it could accept a phased approach if reporting obligations were reciprocal.`,
    `Delegates describe the atmosphere as ${r.pick(MOODS)}.` +
      (n.cooperation === undefined ? '' : ` Overall cooperation level: ${n.cooperation}/10.`) +
      ` Observers from ${r.pick(GROUPS)} noted that several parties pledged to share evaluation results, although safeguards against leakage remain contested.`,
    `Negotiation stage: ${n.stage}.` +
      (n.costBillions === undefined
        ? ' Nobody has yet put a price on the current draft.'
        : ` The estimated compliance cost of the current draft stands at $${n.costBillions} billion over five years, a figure that ${c ?? a} called excessive.`),
    n.agreement
      ? `In a notable step, the parties agreed on a joint communiqué; a joint communiqué was released committing signatories to work on ${r.pick(theme.topics)}.`
      : `No text has been settled yet on ${r.pick(theme.topics)}; the chairs plan another round before any joint communiqué is considered.`,
  ];
  return {
    state: parts.join('\n\n'),
    keyChanges: [
      `${a} tabled draft text on ${r.pick(theme.topics)}`,
      `${capitalize(r.pick(GROUPS))} requested observer status`,
      ...(r.chance(0.5) ? [`The chairs circulated a revised ${r.pick(INSTRUMENTS)}`] : []),
    ],
    consequences: [`Pressure grows on ${b ?? a} to reciprocate`, ...(r.chance(0.5) ? ['A follow-up technical meeting is now likely within weeks'] : [])],
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The LLM answer the world-update parser split into the three sections. */
export function worldUpdateResponse(w: WorldText): string {
  return `**UPDATED STATE:**\n${w.state}\n\n**KEY CHANGES:**\n- ${w.keyChanges.join('\n- ')}\n\n**CONSEQUENCES:**\n- ${w.consequences.join('\n- ')}\n`;
}

// ---------------------------------------------------------------- communications

export function bilateralOpening(r: Random, theme: ScenarioTheme): string {
  return r.pick([
    `Our capital is under pressure on ${r.pick(theme.topics)}. A gesture from your side on ${r.pick(theme.topics)} would allow us to move on the funding question.`,
    `Before the next session we would like to understand your red lines on ${r.pick(theme.topics)}. We are ready to show flexibility on the timeline.`,
    `We see a possible trade: our support on ${r.pick(theme.topics)} in exchange for yours on ${r.pick(theme.topics)}. Can we meet before the plenary?`,
  ]);
}

export function bilateralReply(r: Random): string {
  return r.pick([
    'Thank you. We can support a phased timeline, but verification must cover all parties equally. Let our experts meet tomorrow to compare drafts.',
    'We appreciate the offer. Our mandate is narrow this week, but we can explore it at expert level without prejudice to our final position.',
    'Agreed in principle. Please send draft wording and we will respond within two days.',
  ]);
}

export function coalitionOpening(r: Random, theme: ScenarioTheme, members: number): string {
  return `I propose that our ${members} delegations coordinate a common position on ${r.pick(theme.topics)}. Together we can shape the draft before it reaches the plenary.`;
}

export function coalitionReply(r: Random): string {
  return r.pick([
    'We can join, on the understanding that the coalition text stays open to others.',
    'Count us in, provided the common position keeps a review clause.',
    'We join with a reservation on the timeline, which we will explain at expert level.',
  ]);
}

export function publicStatement(r: Random, theme: ScenarioTheme, sender: string): string {
  return `${sender} reaffirms its support for a fair and verifiable agreement on ${r.pick(theme.topics)}, and calls on all parties to table concrete proposals before the next session.`;
}
