/** Export of the annotations in the index: every annotation as CSV, or one run's review report as markdown. */
import * as vscode from 'vscode';
import { annotationsCsv, reviewReport } from '../../core/analytics/annotationReport';
import type { Feature } from '../feature';
import type { IndexService } from '../indexService';
import { pickRunFrom } from '../pickers';
import { AnnotationSetNode } from './annotationsTree';
import { Commands } from '../constants';

export const annotationExport: Feature = (_context, service) => {
  const queries = service.analytics;
  return [
    vscode.commands.registerCommand(Commands.annotationsExportCsv, async (target?: vscode.Uri) => {
      const csv = annotationsCsv(await queries.listAnnotations());
      return save(target, 'annotations.csv', csv, { CSV: ['csv'] });
    }),
    vscode.commands.registerCommand(Commands.annotationsExportReport, async (node?: AnnotationSetNode | { runId: string }, target?: vscode.Uri) => {
      const runId = node?.runId ?? (await pickAnnotatedRun(service));
      if (!runId) return undefined;
      const report = reviewReport(runId, await queries.listAnnotations({ runId }));
      return save(target, `review-${runId}.md`, report, { Markdown: ['md'] });
    }),
  ];
};

async function pickAnnotatedRun(service: IndexService): Promise<string | undefined> {
  const runIds = new Set((await service.analytics.listAnnotations()).map((a) => a.runId).filter((id): id is string => !!id));
  if (runIds.size === 0) {
    void vscode.window.showInformationMessage('Scenario Lab: no run has annotations yet.');
    return undefined;
  }
  const runs = (await service.analytics.listRuns()).filter((run) => runIds.has(run.id));
  return (await pickRunFrom(runs, { title: 'Review report of which run?' }))?.id;
}

/** Writes to `target` when a caller (a test, another command) gives one, else asks where. Returns the file written. */
async function save(target: vscode.Uri | undefined, name: string, text: string, filters: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, name), filters }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  if (!target) void vscode.window.showInformationMessage(`Scenario Lab: wrote ${vscode.workspace.asRelativePath(uri)}`);
  return uri;
}
