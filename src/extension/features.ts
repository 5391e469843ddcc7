/** Every feature of the extension (see feature.ts), registered in this order at activation. */
import { actorsTree } from './actorsTree';
import { experimentsTree } from './experimentsTree';
import { experimentNotebookCommand } from './experimentNotebookCommand';
import { annotationExport } from './annotations/annotationExport';
import { annotationsTree } from './annotations/annotationsTree';
import { reviewComments } from './annotations/reviewComments';
import { indexCommands } from './indexCommands';
import { indexSizePrompts } from './indexSizePrompts';
import { indexStatus } from './indexStatus';
import type { Feature } from './feature';
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

export const FEATURES: Feature[] = [
  registerDatabasePassword,
  indexStatus,
  indexSizePrompts,
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
