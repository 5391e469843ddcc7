/**
 * Fixed building blocks of generated workspaces: actor and scenario "casting", the metric
 * definitions and the LLM price table. Names deliberately include spaces, apostrophes,
 * parentheses, `&`, non-ASCII letters and a lower-case initial, because those are the cases
 * where file names, slugs and sort order (docs/format.md#actor-names, #communications) are easy to get wrong.
 */

export interface ActorSpec {
  name: string;
  /** `^[a-z0-9-]+$`; differs from the slug for some actors so both decision formats get their own file. */
  shortName: string;
  model: string;
  description: string;
  /** Long-term goals from the actor YAML. */
  goals: string[];
  /** One sentence about the actor's position, used in reasoning text. */
  stance: string;
}

export const ACTOR_POOL: readonly ActorSpec[] = [
  {
    name: 'China', shortName: 'china', model: 'deepseek/deepseek-chat',
    description: 'Delegation of the Ministry of Science and Technology',
    goals: ['Secure a seat at the table on global AI rules', 'Oppose export controls framed as safety', 'Promote UN-centred governance'],
    stance: 'Beijing wants any framework to be anchored in the United Nations rather than in a club of early movers.',
  },
  {
    name: 'European Union', shortName: 'eu', model: 'anthropic/claude-3.5-sonnet',
    description: 'European Commission delegation (DG CNECT and the AI Office)',
    goals: ["Export the AI Act's risk-based approach internationally", 'Create a shared incident-reporting registry', 'Protect fundamental rights'],
    stance: 'Brussels needs an outcome that is compatible with the AI Act and can be defended in the Parliament.',
  },
  {
    name: "Côte d'Ivoire", shortName: 'civ', model: 'openai/gpt-4o-mini',
    description: 'Ministry of Digital Transition, speaking for a group of West African states',
    goals: ['Secure capacity-building funds for African AI institutes', 'Ensure access to evaluation tools', 'Avoid rules written without the Global South'],
    stance: 'Abidjan measures every proposal by whether it brings training, compute access and a real voice for smaller states.',
  },
  {
    name: 'United States', shortName: 'us', model: 'openai/gpt-4o',
    description: 'Delegation led by the Office of Science and Technology Policy',
    goals: ['Preserve US leadership in frontier AI', 'Establish voluntary, industry-led safety commitments', 'Keep export controls on advanced chips in place'],
    stance: 'Washington prefers voluntary commitments backed by procurement rules over binding treaty text.',
  },
  {
    name: "L'Oréal Group", shortName: 'loreal', model: 'meta-llama/llama-3.3-70b-instruct',
    description: 'Industry observer representing large deployers of consumer AI',
    goals: ['Keep compliance costs predictable for deployers', 'Obtain clear rules on synthetic media labelling'],
    stance: 'The group deploys AI in dozens of markets and wants one predictable rulebook instead of many.',
  },
  {
    name: 'xAI Policy Team', shortName: 'xai-policy-team', model: 'ollama/llama3.1',
    description: 'Frontier developer delegation (runs on a local model, so its calls are free)',
    goals: ['Avoid licensing regimes for model training', 'Shape technical standards for evaluations'],
    stance: 'The team argues that open publication of evaluation results is a better safeguard than licensing.',
  },
  {
    name: 'United Kingdom', shortName: 'united-kingdom', model: 'google/gemini-2.5-flash',
    description: 'Department for Science, Innovation and Technology',
    goals: ['Position the AI Security Institute as the global evaluation hub', 'Broker a compromise between the US and the EU'],
    stance: 'London sees itself as the broker between Washington and Brussels and wants the evaluation hub in the UK.',
  },
  {
    name: 'Japan (METI)', shortName: 'japan-meti', model: 'anthropic/claude-3.5-haiku',
    description: 'Ministry of Economy, Trade and Industry',
    goals: ['Promote the Hiroshima process code of conduct', 'Keep semiconductor supply chains open'],
    stance: 'Tokyo wants interoperability between frameworks and fears fragmentation of semiconductor supply chains.',
  },
  {
    name: 'Frontier Labs Consortium', shortName: 'frontier-labs', model: 'meta-llama/llama-3.3-70b-instruct',
    description: 'Observer with speaking rights for the largest model developers',
    goals: ['Keep compliance costs predictable', 'Shape technical standards for evaluations'],
    stance: 'The labs favour clear, technical rules over open-ended liability.',
  },
  {
    name: 'République française', shortName: 'france', model: 'anthropic/claude-3.5-sonnet',
    description: "Secrétariat d'État au numérique",
    goals: ['Protect cultural and linguistic diversity in AI', 'Build European compute capacity'],
    stance: 'Paris wants European champions to benefit from any deal and insists on linguistic diversity.',
  },
  {
    name: 'India', shortName: 'india', model: 'openai/gpt-4o-mini',
    description: 'Ministry of Electronics and Information Technology',
    goals: ['Keep AI rules development-friendly', 'Secure affordable access to compute'],
    stance: 'New Delhi will not accept rules that freeze the current distribution of compute.',
  },
  {
    name: 'Nordic Council & Partners', shortName: 'nordic', model: 'google/gemini-2.5-flash',
    description: 'Joint delegation of the Nordic states',
    goals: ['Strengthen public-interest AI research', 'Make incident reporting public by default'],
    stance: 'The Nordic states push for transparency and public-interest research above all.',
  },
];

/** Extra actors when more are requested than the pool holds (short_name differs from slug). */
export function syntheticActor(n: number): ActorSpec {
  return {
    name: `Observer Delegation ${n}`, shortName: `observer-${n}`, model: 'openai/gpt-4o-mini',
    description: `Observer delegation number ${n}`,
    goals: ['Follow the negotiation closely', 'Report back to its capital'],
    stance: 'As an observer the delegation mostly reacts to the proposals of the larger parties.',
  };
}

export interface ScenarioTheme {
  dir: string;
  name: string;
  description: string;
  turnDuration: string;
  initialWorldState: string;
  enablePublicStatements: boolean;
  /** Writes validation-rules.yaml, which adds a qa_validation cost per turn (docs/format.md#validation-rules). */
  validation: boolean;
  venues: string[];
  topics: string[];
}

export const SYSTEM_PROMPT =
  'You are participating in a realistic simulation of international negotiations on the governance of advanced AI. ' +
  'Stay in character, reason about your interests, and respond in the requested format.';

export const THEMES: readonly ScenarioTheme[] = [
  {
    dir: 'ai-summit', name: 'AI Safety Summit 2026', turnDuration: '1 week',
    description: 'Major powers negotiate a post-Bletchley framework for frontier AI safety: evaluations, incident reporting and compute governance.',
    initialWorldState:
      '## Setting: Geneva, March 2026\n\nEighteen months after the last summit, frontier labs have released models that pass most\n' +
      'professional exams. Governments are under pressure to show that safety promises are more than words.\n\n' +
      '**On the table:**\n- A shared protocol for pre-deployment evaluations\n- Mandatory incident reporting for severe failures\n' +
      '- Reporting thresholds for very large training runs\n',
    enablePublicStatements: true, validation: true,
    venues: ['ministerial breakfast', 'plenary session', 'closed-door working group', 'bilateral corridor talks'],
    topics: ['third-party audits of training runs', 'incident disclosure obligations', 'frontier model evaluations', 'open-weight model releases', 'compute reporting thresholds'],
  },
  {
    dir: 'ai-regulatory-negotiation', name: 'AI Regulatory Negotiation', turnDuration: '2 weeks',
    description: 'Regulators and industry negotiate a code of practice for general-purpose AI models.',
    initialWorldState:
      '# Negotiation Round 1\n\nThe parties have agreed to explore a common code of practice for general-purpose\n' +
      'AI models. Industry participates as an observer with speaking rights.\nKey questions: audit triggers, incident reporting timelines, and the cost of compliance.\n',
    enablePublicStatements: false, validation: false,
    venues: ['plenary session', 'technical sub-group', 'informal dinner'],
    topics: ['audit triggers', 'incident reporting timelines', 'model weight security standards', 'biosecurity red-teaming', 'liability for downstream misuse'],
  },
  {
    dir: 'compute-governance', name: 'Compute Governance Talks — Genève 2027', turnDuration: '1 month',
    description: 'Talks on compute thresholds, data-centre reporting and chip tracking, hosted in Genève.',
    initialWorldState:
      '## Genève, January 2027\n\nA leaked report on unreported training runs has put compute governance on the agenda.\n' +
      'Delegations arrive with very different ideas about thresholds and verification.\n',
    enablePublicStatements: true, validation: false,
    venues: ['Palais des Nations annex', 'expert roundtable', 'heads-of-delegation meeting'],
    topics: ['data-centre energy reporting', 'chip tracking at the point of sale', 'compute thresholds for licensing', 'cloud know-your-customer rules'],
  },
  {
    dir: 'chip-export-dialogue', name: 'Semiconductor Export Dialogue', turnDuration: '3 days',
    description: 'A short, tense dialogue on export controls for advanced chips and manufacturing tools.',
    initialWorldState:
      '## Singapore, mid-2026\n\nNew export restrictions have disrupted supply chains for advanced accelerators.\n' +
      'The dialogue aims at a common list of controlled items and an appeals mechanism.\n',
    enablePublicStatements: false, validation: true,
    venues: ['trade ministers meeting', 'customs experts session', 'side event'],
    topics: ['lists of controlled accelerators', 'licensing of lithography tools', 'an appeals mechanism for export denials', 'end-use verification'],
  },
  {
    dir: 'sommet-ia-paris', name: "Sommet de l'IA: Paris 2027", turnDuration: '1 week',
    description: "Suite du sommet pour l'action sur l'IA: public-interest AI, energy use and cultural diversity.",
    initialWorldState:
      "## Paris, février 2027\n\nThe host wants a declaration on public-interest AI and the energy footprint of data centres.\n" +
      'Several delegations are sceptical about another non-binding text.\n',
    enablePublicStatements: true, validation: false,
    venues: ['Grand Palais plenary', 'Élysée working lunch', 'ministerial roundtable'],
    topics: ['public-interest AI funding', 'the energy footprint of data centres', 'linguistic diversity in training data', 'open-source model support'],
  },
];

// ---------------------------------------------------------------- metrics (docs/format.md#metric-definitions, V2 list form)

export type MetricExtraction =
  | { type: 'pattern'; pattern: string }
  | { type: 'keyword'; keywords: string[]; scoring: 'count' | 'presence' }
  | { type: 'llm'; model: string; prompt: string }
  | { type: 'manual' };

export interface MetricSpec {
  name: string;
  description: string;
  type: 'continuous' | 'categorical' | 'boolean';
  range?: [number, number];
  categories?: string[];
  unit?: string;
  extraction: MetricExtraction;
  warning_threshold?: number;
  critical_threshold?: number;
  actor_specific: boolean;
}

export const NEGOTIATION_STAGES = ['exploratory', 'drafting', 'final_text', 'ratification'];

/**
 * Order matters: records of one turn follow definition order. The world-state and decision texts
 * are written so that every pattern here finds the values the generator intends (see content.ts).
 */
export const METRICS: readonly MetricSpec[] = [
  {
    name: 'cooperation_level', description: 'Overall level of cooperation between the parties (0-10)',
    type: 'continuous', range: [0, 10], unit: 'score',
    extraction: { type: 'pattern', pattern: 'cooperation level:\\s*(\\d+(?:\\.\\d+)?)' },
    warning_threshold: 3, critical_threshold: 1.5, actor_specific: false,
  },
  {
    name: 'trust_level', description: "Each actor's stated trust in the other parties (0-10)",
    type: 'continuous', range: [0, 10], unit: 'score',
    extraction: { type: 'pattern', pattern: 'trust level:\\s*(\\d+(?:\\.\\d+)?)' },
    actor_specific: true,
  },
  {
    name: 'funding_committed', description: 'Funding an actor commits in its action (USD million)',
    type: 'continuous', range: [0, 500], unit: 'USD m',
    extraction: { type: 'pattern', pattern: 'commit (\\d+(?:\\.\\d+)?) million' },
    actor_specific: true,
  },
  {
    name: 'tension_index', description: 'Diplomatic tension as judged by an LLM (0-10)',
    type: 'continuous', range: [0, 10], unit: 'score',
    extraction: {
      type: 'llm', model: 'openai/gpt-4o-mini',
      prompt: 'On a scale of 0-10, how tense is the diplomatic situation described below? Respond with ONLY a number.',
    },
    actor_specific: false,
  },
  {
    name: 'safety_commitments', description: 'Mentions of commitments, pledges and safeguards',
    type: 'continuous', range: [0, 100], unit: 'mentions',
    extraction: { type: 'keyword', keywords: ['commit', 'pledge', 'safeguard'], scoring: 'count' },
    actor_specific: false,
  },
  {
    name: 'agreement_reached', description: 'Whether a joint communiqué has been agreed',
    type: 'boolean',
    extraction: { type: 'keyword', keywords: ['joint communiqué was released', 'agreed on a'], scoring: 'presence' },
    actor_specific: false,
  },
  {
    name: 'negotiation_stage', description: 'Stage of the negotiation',
    type: 'categorical', categories: NEGOTIATION_STAGES,
    extraction: { type: 'pattern', pattern: `negotiation stage:\\s*(${NEGOTIATION_STAGES.join('|')})` },
    actor_specific: false,
  },
  {
    name: 'compliance_cost_estimate', description: 'Estimated five-year compliance cost',
    type: 'continuous', range: [0, 50], unit: 'USD bn',
    extraction: { type: 'pattern', pattern: '\\$(\\d+(?:\\.\\d+)?)\\s*billion' },
    actor_specific: false,
  },
  {
    name: 'concessions_made', description: 'Concessions made this turn (recorded manually by analysts)',
    type: 'continuous', range: [0, 20], unit: 'count',
    extraction: { type: 'manual' },
    actor_specific: true,
  },
];

// ---------------------------------------------------------------- costs (docs/format.md#costs-file)

/** USD per million input / output tokens, as in Scenario Lab's static price table. */
const PRICES: Record<string, [number, number]> = {
  'openai/gpt-4o': [2.5, 10.0],
  'openai/gpt-4o-mini': [0.15, 0.6],
  'anthropic/claude-3.5-sonnet': [3.0, 15.0],
  'anthropic/claude-3.5-haiku': [0.8, 4.0],
  'deepseek/deepseek-chat': [0.14, 0.28],
  'meta-llama/llama-3.3-70b-instruct': [0.3, 0.3],
};
const DEFAULT_PRICE: [number, number] = [0.15, 0.6];

/** Same float expression as Scenario Lab (not rounded); local models are free. */
export function llmCost(model: string, inputTokens: number, outputTokens: number): number {
  if (model.startsWith('ollama/') || model.startsWith('local/')) return 0;
  const [priceIn, priceOut] = PRICES[model] ?? DEFAULT_PRICE;
  return (inputTokens / 1e6) * priceIn + (outputTokens / 1e6) * priceOut;
}
