/**
 * Every feature of the extension, registered in this order at activation. A feature is a
 * function of the context and the index service that returns its disposables (the Foam shape):
 * it never blocks activation and reads data only through service.analytics.
 */
import type * as vscode from 'vscode';
import { actorsTree } from './actorsTree';
import { experimentsTree } from './experimentsTree';
import { experimentNotebookCommand } from './experimentNotebookCommand';
import { annotationExport } from './annotations/annotationExport';
import { annotationsTree } from './annotations/annotationsTree';
import { reviewComments } from './annotations/reviewComments';
import { indexCommands } from './indexCommands';
import { indexStatus } from './indexStatus';
import type { IndexService } from './indexService';
import { metricHover } from './metricHover';
import { metricsTree } from './metricsTree';
import { problemDiagnostics } from './problemDiagnostics';
import { queryCommands } from './queryCommands';
import { resultDocuments } from './resultDocuments';
import { runCommands } from './runCommands';
import { runsTree } from './runsTree';
import { registerDatabasePassword } from './sharedDatabase';
import { sourceNavigation } from './sourceNavigation';
import { webviewPanels } from './webviews/webviewPanels';

export type Feature = (context: vscode.ExtensionContext, service: IndexService) => vscode.Disposable[];

export const FEATURES: Feature[] = [
  registerDatabasePassword,
  indexStatus,
  sourceNavigation,
  resultDocuments,
  runsTree,
  actorsTree,
  metricsTree,
  experimentsTree,
  experimentNotebookCommand,
  problemDiagnostics,
  indexCommands,
  runCommands,
  queryCommands,
  webviewPanels,
  metricHover,
  reviewComments,
  annotationsTree,
  annotationExport,
];
