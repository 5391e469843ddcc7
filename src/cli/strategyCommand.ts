/**
 * `scenario-lab actor-strategy [<experiment|scenario>] --actor A [--turn N] [--terms K] [--include-failed]`:
 * one actor's decisions compared across the variations of an experiment (or the runs of a scenario,
 * or the scenarios of the index). Its --json names are documented in the README ("Actor strategy").
 */
import type { ActorStrategy, StrategyGroup } from '../core/analytics/actorStrategy';
import type { ScenarioIndex } from '../core/scenarioIndex';
import { ArgumentError } from './experimentCommands';
import { CliFailure } from './failures';
import { unknownName } from './knownNames';
import { print, printJson } from './output';
import { textTable } from './textTable';

export interface StrategyOptions {
  actor?: string;
  turn?: string;
  terms?: string;
  json?: boolean;
  'include-failed'?: boolean;
}

/** The --json form: snake_case, every text exact. */
export function actorStrategyJson(s: ActorStrategy) {
  const scope =
    s.scope.kind === 'experiment'
      ? { kind: 'experiment', experiment_name: s.scope.experimentName, folder: s.scope.folder }
      : s.scope.kind === 'scenario'
        ? { kind: 'scenario', scenario: s.scope.scenario }
        : { kind: 'index' };
  return {
    actor: s.actor,
    scope,
    grouped_by: s.groupedBy,
    include_failed: s.includeFailed,
    turns: s.turns,
    turn: s.turn,
    groups: s.groups.map((g) => ({
      key: g.key,
      label: g.label,
      description: g.description,
      variation_id: g.variationId,
      run_folders: g.runFolders,
      runs: g.runs,
      decisions: g.decisions,
      decisions_per_run: g.decisionsPerRun,
      tokens: g.tokens,
      terms: g.terms.map((t) => ({ term: t.term, count: t.count, other_count: t.otherCount, z_score: t.zScore })),
      actions: g.actions.map((a) => ({
        folder: a.folder, run_id: a.runId, decision_id: a.decisionId, action: a.action, file: a.source?.file ?? null, line: a.source?.focusLine ?? null,
      })),
    })),
  };
}

export async function actorStrategyCommand(index: Pick<ScenarioIndex, 'analytics'>, args: string[], o: StrategyOptions): Promise<number> {
  if (args.length > 1) throw new ArgumentError('actor-strategy takes at most one experiment or scenario (quote names with spaces)');
  if (o.actor === undefined || o.actor === '') throw new ArgumentError('actor-strategy needs --actor <name>');
  const turn = wholeNumber(o.turn, '--turn');
  const terms = wholeNumber(o.terms, '--terms');
  const actors = (await index.analytics.listActors()).map((a) => a.actor);
  if (!actors.includes(o.actor)) throw unknownName('actor', o.actor, actors, 'list them with: scenario-lab sql "SELECT DISTINCT actor FROM decisions" --db …');
  const strategy = await index.analytics.actorStrategy(o.actor, { target: args[0], turn, terms, includeFailed: o['include-failed'] });
  if (!strategy) {
    const known = [...(await index.analytics.listExperiments()).flatMap((e) => [e.experimentName, e.folder]), ...(await index.analytics.listScenarios()).map((s) => s.scenarioId)];
    throw unknownName('experiment or scenario', args[0], known, 'list them with: scenario-lab experiments / runs --db …');
  }
  // A turn the actor never decided at is a wrong argument, not a table of empty slots.
  if (turn !== undefined && !strategy.turns.includes(turn)) {
    const range = strategy.turns.length === 0 ? 'it has no decisions in scope' : `its turns with decisions are ${turnRange(strategy.turns)}`;
    throw new CliFailure(`${o.actor} has no decision at turn ${turn} in ${scopeText(strategy)}: ${range}`, 1);
  }
  if (o.json) {
    printJson(actorStrategyJson(strategy));
    return 0;
  }
  print(`${strategy.actor}: ${scopeText(strategy)}, by ${strategy.groupedBy}`);
  print(
    textTable(
      [strategy.groupedBy, 'description', 'runs', 'decisions', 'per run', 'distinctive terms (occurrences)'],
      strategy.groups.map((g) => [g.label, g.description, g.runs, g.decisions, g.decisionsPerRun, g.terms.map((t) => `${t.term} (${t.count})`).join(', ')]),
    ),
  );
  print('');
  print(strategy.turn === null ? 'No decisions of this actor in scope.' : `Turn ${strategy.turn} (turns with decisions: ${strategy.turns.join(', ')})`);
  if (strategy.turn !== null) for (const g of strategy.groups) printActions(g);
  return 0;
}

function printActions(g: StrategyGroup): void {
  for (const a of g.actions) {
    const where = a.source ? `${a.source.file}:${a.source.focusLine}` : a.folder;
    print('');
    print(`== ${g.label} · ${where}`);
    // print() escapes control characters; the action's own line breaks stay, indented under the heading.
    print(a.action === null ? '    (no decision at this turn)' : a.action.replace(/\r\n?/g, '\n').split('\n').map((l) => `    ${l}`).join('\n'));
  }
}

/** "1–4", or "1–3, 5" for turns with gaps. */
function turnRange(turns: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < turns.length; ) {
    let j = i;
    while (j + 1 < turns.length && turns[j + 1] === turns[j] + 1) j++;
    parts.push(i === j ? `${turns[i]}` : `${turns[i]}–${turns[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function scopeText(s: ActorStrategy): string {
  if (s.scope.kind === 'experiment') return `experiment ${s.scope.experimentName} (${s.scope.folder})${s.includeFailed ? ', failed runs included' : ', completed runs'}`;
  if (s.scope.kind === 'scenario') return `scenario ${s.scope.scenario}`;
  return 'every run of the index';
}

function wholeNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(text)) throw new ArgumentError(`${option} needs a whole number, not "${text}"`);
  return Number(text);
}
