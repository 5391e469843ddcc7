/** The actor strategy panel's snapshot: analytics.actorStrategy with source locations as opaque links. */
import type { Analytics } from '../../../core/analytics/analytics';
import type { ActorStrategySelection, ActorStrategySnapshot } from '../../../protocol/messages';
import type { SourceLinks } from '../sourceLinks';

export function actorStrategyTitle(selection: ActorStrategySelection): string {
  return `Actor strategy: ${selection.actor}${selection.target ? ` · ${selection.target}` : ''}`;
}

export async function buildActorStrategySnapshot(analytics: Analytics, selection: ActorStrategySelection, links: SourceLinks): Promise<ActorStrategySnapshot> {
  const strategy = await analytics.actorStrategy(selection.actor, { target: selection.target, turn: selection.turn, includeFailed: selection.includeFailed });
  if (!strategy) throw new Error(`No experiment or scenario named ${selection.target} is indexed any more.`);
  const scope =
    strategy.scope.kind === 'experiment'
      ? `experiment ${strategy.scope.experimentName} (${strategy.scope.folder}), ${strategy.includeFailed ? 'every run' : 'completed runs'}`
      : strategy.scope.kind === 'scenario'
        ? `scenario ${strategy.scope.scenario}`
        : 'every run of the index';
  return {
    panel: 'actorStrategy',
    title: actorStrategyTitle(selection),
    selection,
    scope,
    groupedBy: strategy.groupedBy,
    turns: strategy.turns,
    turn: strategy.turn,
    groups: strategy.groups.map((g) => ({
      label: g.label,
      description: g.description,
      runs: g.runs,
      decisions: g.decisions,
      decisionsPerRun: g.decisionsPerRun,
      terms: g.terms.map((t) => ({ term: t.term, count: t.count, otherCount: t.otherCount, zScore: t.zScore })),
      actions: g.actions.map((a) => ({ folder: a.folder, action: a.action, source: a.source ? links.link(a.source) : undefined })),
    })),
  };
}
