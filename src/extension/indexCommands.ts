/** Commands that drive the index: Reindex Workspace, Index Folder…, Remove Indexed Folder…, Cancel Indexing. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IndexReport } from '../core/indexer/indexer';
import type { Feature } from './feature';
import { Commands } from './constants';

export const indexCommands: Feature = (_context, service) => [
  vscode.commands.registerCommand(Commands.reindexWorkspace, async () => reportIndexed(await service.reindexAll())),
  vscode.commands.registerCommand(Commands.indexFolder, async (folder?: vscode.Uri) => {
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
  // `remove`: absolute paths to forget without asking (for scripts and keybindings).
  vscode.commands.registerCommand(Commands.manageIndexedFolders, async (remove?: string[]) => {
    if (Array.isArray(remove)) return reportIndexed(await service.removeRoots(remove.filter((f) => typeof f === 'string')));
    const folders = service.extraFolders();
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('Scenario Lab indexes only the workspace folders: no folder was added with Index Folder….');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      folders.map((folder) => ({ label: path.basename(folder), description: folder, folder })),
      { canPickMany: true, title: 'Folders added with Index Folder…', placeHolder: 'Select the folders to stop indexing (their runs leave the index)' },
    );
    if (!picked || picked.length === 0) return;
    reportIndexed(await service.removeRoots(picked.map((p) => p.folder)));
  }),
  vscode.commands.registerCommand(Commands.cancelIndexing, () => service.cancel()),
];

function reportIndexed(report: IndexReport | undefined): void {
  if (!report) return; // the service already showed why it failed
  const what = report.cancelled
    ? 'indexing cancelled'
    : `${report.foldersSeen} run folder${report.foldersSeen === 1 ? '' : 's'} indexed (${report.foldersIndexed} re-read)`;
  vscode.window.setStatusBarMessage(`Scenario Lab: ${what}${report.problems > 0 ? `, ${report.problems} problem(s)` : ''}`, 5000);
}
