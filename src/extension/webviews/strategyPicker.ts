/**
 * Compare Actor Strategies…: arguments when given (tests, other features), else quick picks from the
 * index: the experiment or scenario (matching on name, folder, base scenario and counts), then the actor.
 */
import * as vscode from 'vscode';
import type { Analytics } from '../../core/analytics/analytics';
import type { ActorStrategySelection } from '../../protocol/messages';

/** `target`: an experiment (name or folder) or a scenario; `actor`: skips the actor picker. */
export interface ActorStrategyArgs {
  target?: string;
  actor?: string;
}

export async function pickActorStrategy(analytics: Analytics, args: ActorStrategyArgs | undefined): Promise<ActorStrategySelection | undefined> {
  if (args?.actor) return { panel: 'actorStrategy', actor: args.actor, target: args.target };
  const [experiments, scenarios] = await Promise.all([analytics.listExperiments(), analytics.listScenarios()]);
  const items = [
    ...experiments.map((e) => ({
      label: `$(beaker) ${plain(e.experimentName)}`,
      description: e.folder,
      detail: `experiment of ${e.baseScenario ?? 'an unknown scenario'} · ${e.variationCount} variations · ${e.runsCompleted} completed, ${e.runsFailed} failed`,
      target: e.folder,
    })),
    ...scenarios.map((s) => ({ label: `$(folder) ${plain(s.scenarioId)}`, description: 'scenario', detail: `${s.runCount} runs · one column per run`, target: s.scenarioId })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Scenario Lab: no runs are indexed yet.');
    return undefined;
  }
  const target = await vscode.window.showQuickPick(items, {
    title: 'Compare actor strategies (1/2): experiment or scenario',
    placeHolder: 'Variations of an experiment, or the runs of a scenario',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!target) return undefined;
  const actors = await analytics.listActors();
  const actor = await vscode.window.showQuickPick(
    [...new Set(actors.map((a) => a.actor))].map((name) => ({
      label: plain(name),
      description: actors.filter((a) => a.actor === name).map((a) => `${a.scenarioId} (${a.decisionCount} decisions)`).join(', '),
      name,
    })),
    { title: 'Compare actor strategies (2/2): actor', placeHolder: 'Whose decisions?', matchOnDescription: true, ignoreFocusOut: true },
  );
  return actor && { panel: 'actorStrategy', actor: actor.name, target: target.target };
}

/** Names from run files in a quick pick: `$(…)` would render as an icon. */
function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
