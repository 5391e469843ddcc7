/** Commands that drive the index: Reindex Workspace, Index Folder…, Cancel Indexing. */
import * as vscode from 'vscode';
import type { IndexReport } from '../core/indexer/indexer';
import type { Feature } from './features';

export const indexCommands: Feature = (_context, service) => [
  vscode.commands.registerCommand('scenarioLab.reindexWorkspace', async () => reportIndexed(await service.reindexAll())),
  vscode.commands.registerCommand('scenarioLab.indexFolder', async (folder?: vscode.Uri) => {
    const target =
      folder ??
      (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Index Folder', title: 'Folder with Scenario Lab runs' }))?.[0];
    if (!target) return;
    if (target.scheme !== 'file') {
      void vscode.window.showWarningMessage('Scenario Lab can only index folders on this machine’s file system.');
      return;
    }
    reportIndexed(await service.addRoot(target));
  }),
  vscode.commands.registerCommand('scenarioLab.cancelIndexing', () => service.cancel()),
];

function reportIndexed(report: IndexReport | undefined): void {
  if (!report) return; // the service already showed why it failed
  const what = report.cancelled
    ? 'indexing cancelled'
    : `${report.foldersSeen} run folder${report.foldersSeen === 1 ? '' : 's'} indexed (${report.foldersIndexed} re-read)`;
  vscode.window.setStatusBarMessage(`Scenario Lab: ${what}${report.problems > 0 ? `, ${report.problems} problem(s)` : ''}`, 5000);
}
