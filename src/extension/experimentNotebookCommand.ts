/**
 * "Scenario Lab: Open Experiment in Notebook": writes the notebook of the notebook hand-off
 * (src/core/notebook/experimentNotebook.ts) for a picked experiment and metric, and opens it in VS
 * Code's notebook editor (the built-in ipynb extension's `jupyter-notebook` type). It never
 * overwrites: the notebook gets a free name (`<experiment>.ipynb`, `-2`, …) in the first workspace
 * folder, where people look for it (the index itself lives in the workspace storage), written with
 * an exclusive create.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { experimentNotebook, freeNotebookPath, writeNotebook } from '../core/notebook/experimentNotebook';
import type { Feature } from './feature';
import type { IndexService } from './indexService';
import { pickExperiment } from './pickers';
import { experimentFromArgs } from './webviews/commandArgs';
import { Commands } from './constants';

export const OPEN_NOTEBOOK_COMMAND = Commands.openExperimentInNotebook;

/**
 * `experiment`: its folder or name, or an Experiments tree node's summary (skips the picker);
 * `metric`: skips the metric picker.
 */
export interface OpenNotebookArgs {
  experiment?: string | { folder: string };
  metric?: string;
}

export const experimentNotebookCommand: Feature = (_context, service) => [
  vscode.commands.registerCommand(OPEN_NOTEBOOK_COMMAND, (args?: OpenNotebookArgs) => openExperimentNotebook(service, args)),
];

/** Resolves to the notebook's path, or undefined when cancelled or impossible (the user is told why). */
async function openExperimentNotebook(service: IndexService, args: OpenNotebookArgs = {}): Promise<string | undefined> {
  await service.ready;
  const experiment = await pickExperiment(service.analytics, 'Experiment to open in a notebook', experimentFromArgs([args]));
  if (!experiment) return undefined;
  const metrics = await service.analytics.experimentMetricNames(experiment.folder);
  let metric: string | null = args.metric ?? null;
  if (args.metric === undefined && metrics.length > 0) {
    const picked = await vscode.window.showQuickPick(metrics, { placeHolder: "Metric of the notebook's final-value statistics" });
    if (picked === undefined) return undefined;
    metric = picked;
  }
  const indexFile = service.databaseLocation();
  if (!indexFile) {
    void vscode.window.showWarningMessage('Scenario Lab: the index is not kept in a file here, so a notebook cannot open it.');
    return undefined;
  }
  // The notebook reads the file on disk: write what the index holds now.
  await service.flush();
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath ?? path.dirname(indexFile);
  const file = freeNotebookPath(folder, experiment.folder);
  writeNotebook(file, experimentNotebook({ indexFile, experimentFolder: experiment.folder, experimentName: experiment.experimentName, metric }));
  const document = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  await vscode.window.showNotebookDocument(document);
  void vscode.window.showInformationMessage(`Scenario Lab: wrote ${path.basename(file)}; its first cells load the index with sqlite3 and pandas.`);
  return file;
}
