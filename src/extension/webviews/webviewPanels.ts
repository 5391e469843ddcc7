/**
 * The VS Code side of the panels (metric chart, run comparison, run statistics, experiment, SQL
 * results): commands, panel creation with a strict CSP, the serializers that restore panels after a
 * reload, and the wiring of each panel to its PanelController. One chart, comparison, statistics and
 * experiment panel: invoking its command again retargets and reveals it instead of stacking tabs. SQL
 * results get a panel per query, so two results can be compared side by side.
 */
import * as vscode from 'vscode';
import type { PanelKind, PanelSelection, PanelSnapshot } from '../../protocol/messages';
import type { Feature } from '../feature';
import type { IndexService } from '../indexService';
import { openSource } from '../sourceNavigation';
import { PanelController, type PanelEnvironment } from './panelController';
import { panelHtml } from './panelHtml';
import { pickComparison, pickExperiment, pickMetricChart, pickRunStatistics, type MetricChartArgs } from './panelPickers';
import { experimentTitle } from './snapshots/experimentSnapshot';
import { metricChartTitle } from './snapshots/metricChartSnapshot';
import { askAndRunSql, openSqlResultAsText, runReadOnlySql, type RunSqlArgs } from './sqlResults';
import { actorStrategyTitle } from './snapshots/actorStrategySnapshot';
import { pickActorStrategy, type ActorStrategyArgs } from './strategyPicker';
import { parseSelection } from './validateMessage';
import { Commands } from '../constants';

const VIEW_TYPE: Record<PanelKind, string> = {
  metricChart: 'scenarioLab.metricChart',
  comparison: 'scenarioLab.comparison',
  runStatistics: 'scenarioLab.runStatistics',
  sqlResult: 'scenarioLab.sqlResult',
  experiment: 'scenarioLab.experiment',
  actorStrategy: 'scenarioLab.actorStrategy',
};

/** The bundle esbuild writes for each panel (webview/<name>Panel.ts → dist/webview/<name>Panel.js). */
const SCRIPT: Record<PanelKind, string> = {
  metricChart: 'metricChartPanel.js',
  comparison: 'comparisonPanel.js',
  runStatistics: 'runStatisticsPanel.js',
  sqlResult: 'sqlResultPanel.js',
  experiment: 'experimentPanel.js',
  actorStrategy: 'actorStrategyPanel.js',
};

export const webviewPanels: Feature = (context, service) => {
  const open = new Map<PanelKind, { panel: vscode.WebviewPanel; controller: PanelController }>();
  const sqlPanels = new Set<vscode.WebviewPanel>();

  const show = async (selection: PanelSelection, initial?: PanelSnapshot): Promise<void> => {
    const existing = selection.panel === 'sqlResult' ? undefined : open.get(selection.panel);
    if (existing) {
      existing.panel.reveal();
      // The experiment already shown keeps the metric and runs chosen in the panel.
      if (!showsSameExperiment(existing.controller.selection, selection)) await existing.controller.select(selection);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE[selection.panel], initial?.title ?? titleOf(selection), vscode.ViewColumn.Active, webviewOptions(context));
    attach(panel, selection, initial);
  };

  const attach = (panel: vscode.WebviewPanel, selection: PanelSelection, initial?: PanelSnapshot) => {
    panel.webview.options = webviewOptions(context);
    panel.title = initial?.title ?? titleOf(selection);
    panel.webview.html = panelHtml({
      title: initial?.title ?? titleOf(selection),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', SCRIPT[selection.panel])).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panels.css')).toString(),
      libraryStyleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'uPlot.min.css')).toString()],
    });
    const controller = new PanelController(service.analytics, selection, environment(panel, service), initial);
    if (!initial) controller.prefetch();
    const subscriptions = [panel.webview.onDidReceiveMessage((message) => void controller.handle(message))];
    if (selection.panel === 'sqlResult') {
      // A SQL result is the answer when it was asked: it does not follow the index.
      sqlPanels.add(panel);
    } else {
      open.set(selection.panel, { panel, controller });
      // A hidden panel's webview is gone; it says `ready` again when shown and gets fresh data then.
      subscriptions.push(service.onDidChange(() => panel.visible && void controller.refresh()));
    }
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      sqlPanels.delete(panel);
      if (open.get(selection.panel)?.panel === panel) open.delete(selection.panel);
    });
  };

  const restore = (kind: PanelKind): vscode.WebviewPanelSerializer => ({
    deserializeWebviewPanel: async (panel, state: unknown) => {
      // The webview state holds only { selection }; the data is asked for again.
      const selection = parseSelection((state as { selection?: unknown } | undefined)?.selection, kind);
      if (selection && (kind === 'sqlResult' || !open.has(kind))) attach(panel, selection);
      else panel.dispose();
    },
  });

  return [
    vscode.commands.registerCommand(Commands.showMetricChart, async (args?: MetricChartArgs) => {
      const selection = await pickMetricChart(service.analytics, args);
      if (selection) await show(selection);
    }),
    vscode.commands.registerCommand(Commands.compareRuns, async (...args: unknown[]) => {
      const selection = await pickComparison(service.analytics, args);
      if (selection) await show(selection);
    }),
    vscode.commands.registerCommand(Commands.showRunStatistics, async (...args: unknown[]) => {
      const selection = await pickRunStatistics(service.analytics, args);
      if (selection) await show(selection);
    }),
    // Returns the selection shown (undefined when cancelled), for code and tests.
    vscode.commands.registerCommand(Commands.compareActorStrategies, async (args?: ActorStrategyArgs) => {
      const selection = await pickActorStrategy(service.analytics, args);
      if (selection) await show(selection);
      return selection;
    }),
    // Returns the grid's snapshot (columns, rows, note) to code that passes { query }.
    vscode.commands.registerCommand(Commands.runSqlQuery, async (args?: RunSqlArgs) => {
      const snapshot = await askAndRunSql(context, service, args);
      if (snapshot) await show(snapshot.selection, snapshot);
      return snapshot;
    }),
    vscode.commands.registerCommand(Commands.analyzeExperiment, async (...args: unknown[]) => {
      const selection = await pickExperiment(service.analytics, args);
      if (selection) await show(selection);
    }),
    ...(Object.keys(VIEW_TYPE) as PanelKind[]).map((kind) => vscode.window.registerWebviewPanelSerializer(VIEW_TYPE[kind], restore(kind))),
    { dispose: () => [...[...open.values()].map(({ panel }) => panel), ...sqlPanels].forEach((panel) => panel.dispose()) },
  ];
};

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

function environment(panel: vscode.WebviewPanel, service: IndexService): PanelEnvironment {
  return {
    post: (message) => {
      // The snapshot names the scenario (the selection alone does not know it).
      if (message.type === 'snapshot') panel.title = message.snapshot.title;
      void panel.webview.postMessage(message);
    },
    openSource: async (location) => {
      await openSource(service, location);
    },
    save: async ({ defaultName, content, filters }) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, defaultName), filters });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, typeof content === 'string' ? new TextEncoder().encode(content) : content);
      return target.fsPath;
    },
    selectionChanged: (selection) => (panel.title = titleOf(selection)),
    runSql: (query) => runReadOnlySql(service, query),
    copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    openSqlText: openSqlResultAsText,
  };
}

/** An experiment selection that names only the experiment already in the panel (from the tree or palette). */
function showsSameExperiment(shown: PanelSelection, wanted: PanelSelection): boolean {
  return shown.panel === 'experiment' && wanted.panel === 'experiment' && shown.experiment === wanted.experiment && wanted.metric === undefined && wanted.includeFailed === undefined;
}

function titleOf(selection: PanelSelection): string {
  switch (selection.panel) {
    case 'metricChart':
      return metricChartTitle(selection);
    case 'comparison':
      return `Compare ${selection.runIds.length} runs`;
    case 'runStatistics':
      return `Run statistics: ${selection.runId}`;
    case 'sqlResult':
      return 'SQL result';
    case 'experiment':
      return experimentTitle(selection.experiment.slice(selection.experiment.lastIndexOf('/') + 1));
    case 'actorStrategy':
      return actorStrategyTitle(selection);
  }
}
