/**
 * Compare Actor Strategies…: arguments when given (tests, other features), else quick picks from the
 * index: the experiment or scenario (matching on name, folder, base scenario and counts), then the actor.
 */
import * as vscode from 'vscode';
import type { Analytics } from '../../core/analytics/analytics';
import type { ActorStrategySelection } from '../../protocol/messages';
import { pickText } from '../pickers';
import { experimentFromArgs } from './commandArgs';

/**
 * `target`: an experiment (name or folder) or a scenario, skipping the first picker; `actor`: skips
 * the actor picker. An Experiments tree node (`{ experiment: { folder } }`) gives the target.
 */
export interface ActorStrategyArgs {
  target?: string;
  actor?: string;
  experiment?: unknown;
}

export async function pickActorStrategy(analytics: Analytics, args: ActorStrategyArgs | undefined): Promise<ActorStrategySelection | undefined> {
  const given = args?.target ?? experimentFromArgs([args]);
  if (args?.actor) return { panel: 'actorStrategy', actor: args.actor, target: given };
  const target = given !== undefined ? { target: given } : await pickTarget(analytics);
  if (!target) return undefined;
  const actors = await analytics.listActors();
  const actor = await vscode.window.showQuickPick(
    [...new Set(actors.map((a) => a.actor))].map((name) => ({
      label: pickText(name),
      description: actors.filter((a) => a.actor === name).map((a) => `${a.scenarioId} (${a.decisionCount} decisions)`).join(', '),
      name,
    })),
    { title: 'Compare actor strategies (2/2): actor', placeHolder: 'Whose decisions?', matchOnDescription: true, ignoreFocusOut: true },
  );
  return actor && { panel: 'actorStrategy', actor: actor.name, target: target.target };
}

/** The experiment or scenario whose runs are compared, picked; undefined when cancelled or nothing is indexed. */
async function pickTarget(analytics: Analytics): Promise<{ target: string } | undefined> {
  const [experiments, scenarios] = await Promise.all([analytics.listExperiments(), analytics.listScenarios()]);
  const items = [
    ...experiments.map((e) => ({
      label: `$(beaker) ${pickText(e.experimentName)}`,
      description: e.folder,
      detail: `experiment of ${e.baseScenario ?? 'an unknown scenario'} · ${e.variationCount} variations · ${e.runsCompleted} completed, ${e.runsFailed} failed`,
      target: e.folder,
    })),
    ...scenarios.map((s) => ({ label: `$(folder) ${pickText(s.scenarioId)}`, description: 'scenario', detail: `${s.runCount} runs · one column per run`, target: s.scenarioId })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Scenario Lab: no runs are indexed yet.');
    return undefined;
  }
  return vscode.window.showQuickPick(items, {
    title: 'Compare actor strategies (1/2): experiment or scenario',
    placeHolder: 'Variations of an experiment, or the runs of a scenario',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
}
