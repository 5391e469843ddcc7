/**
 * Turns a command invocation into a panel selection: arguments from a tree item or another
 * feature when given, quick picks filled from the index otherwise. Undefined means cancelled.
 */
import * as vscode from 'vscode';
import type { Analytics } from '../../core/analytics/analytics';
import type { ComparisonSelection, ExperimentSelection, MetricChartSelection, RunStatisticsSelection } from '../../protocol/messages';
import { pickExperiment as pickOneExperiment, pickRunFolder, pickRuns } from '../pickers';
import { experimentFromArgs, runIdsFromArgs } from './commandArgs';

/** Arguments of scenarioLab.showMetricChart (from a metric tree item, a hover link, or code). */
export interface MetricChartArgs {
  metric?: string;
  scenario?: string;
  runId?: string;
  actor?: string;
}

const ALL = '$(list-flat) All';

export async function pickMetricChart(analytics: Analytics, args: MetricChartArgs | undefined): Promise<MetricChartSelection | undefined> {
  if (args?.metric) {
    // Called from a tree item or a hover: show it at once, with nothing more to answer.
    return { panel: 'metricChart', metric: args.metric, scenario: args.scenario, actor: args.actor, runIds: args.runId ? [args.runId] : undefined };
  }
  const names = await analytics.listMetricNames();
  const metrics = [...new Set(names.map((n) => n.name))];
  const metric = await vscode.window.showQuickPick(
    metrics.map((name) => ({ label: name, description: names.filter((n) => n.name === name).map((n) => n.scenarioId).join(', ') })),
    { title: 'Metric chart (1/3): metric', placeHolder: 'Which metric?', ignoreFocusOut: true },
  );
  if (!metric) return undefined;

  const scenarios = names.filter((n) => n.name === metric.label).map((n) => n.scenarioId);
  let scenario: string | undefined = scenarios[0];
  if (scenarios.length > 1) {
    const picked = await vscode.window.showQuickPick([...scenarios.map((s) => ({ label: s, value: s as string | undefined })), { label: `${ALL} scenarios`, value: undefined }], {
      title: 'Metric chart (2/3): scenario',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    scenario = picked.value;
  }

  const actors = await analytics.listMetricActors(metric.label, { scenario });
  let actor: string | undefined;
  if (actors.length > 0) {
    const picked = await vscode.window.showQuickPick([{ label: `${ALL} actors`, value: undefined as string | undefined }, ...actors.map((a) => ({ label: a, value: a }))], {
      title: 'Metric chart (3/3): actor',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    actor = picked.value;
  }
  // Every run, so runs indexed later join the chart; the panel draws single runs on demand (no
  // quick pick of a thousand runs before the chart).
  return { panel: 'metricChart', metric: metric.label, scenario, actor };
}

export async function pickComparison(analytics: Analytics, args: unknown[]): Promise<ComparisonSelection | undefined> {
  const given = runIdsFromArgs(args);
  if (given.length > 0) return { panel: 'comparison', runIds: given };
  const runs = await pickRuns(analytics, {
    title: 'Compare runs: pick two or more (type a folder, run id, status or scenario)',
    ignoreFocusOut: true,
  });
  return runs && runs.length > 0 ? { panel: 'comparison', runIds: runs.map((run) => run.id) } : undefined;
}

export async function pickRunStatistics(analytics: Analytics, args: unknown[]): Promise<RunStatisticsSelection | undefined> {
  const [given] = runIdsFromArgs(args);
  if (given) return { panel: 'runStatistics', runId: given };
  const picked = await pickRunFolder(analytics, { title: 'Run statistics: which run? (type a folder, run id, status or scenario)', ignoreFocusOut: true });
  return picked && { panel: 'runStatistics', runId: picked.run.id, ...(picked.folder ? { folder: picked.folder } : {}) };
}

/**
 * The experiment to analyze: from an Experiments tree item, a folder or name given by code (an
 * ambiguous or unknown one falls back to the picker), or a quick pick that matches the name, the
 * folder and the base scenario.
 */
export async function pickExperiment(analytics: Analytics, args: unknown[]): Promise<ExperimentSelection | undefined> {
  const picked = await pickOneExperiment(analytics, 'Analyze experiment (type its name, folder or scenario)', experimentFromArgs(args));
  return picked && { panel: 'experiment', experiment: picked.folder };
}
