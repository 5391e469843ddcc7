/**
 * The questions about the size of the embedded index, asked before the index service saves it:
 * once per session the advice to move a large index to PostgreSQL, and above
 * `scenarioLab.maxDatabaseSizeMB` whether to save at all.
 */
import * as vscode from 'vscode';
import { embeddedSizeWarning } from '../core/db/embeddedLimit';
import type { Feature } from './feature';
import { readSettings } from './settings';

export const indexSizePrompts: Feature = (_context, service) => {
  let sizeWarned = false;
  return [
    service.confirmSaves(async (bytes) => {
      const advice = embeddedSizeWarning(bytes, 'set scenarioLab.database.url to a postgresql:// URL');
      if (advice && !sizeWarned) {
        sizeWarned = true;
        void vscode.window.showWarningMessage(`Scenario Lab: ${advice}`, 'Open Setting').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'scenarioLab.database.url');
        });
      }
      const { maxDatabaseSizeMB } = readSettings();
      if (bytes <= maxDatabaseSizeMB * 1024 * 1024) return true;
      const choice = await vscode.window.showWarningMessage(
        `The Scenario Lab index is ${(bytes / 1048576).toFixed(0)} MB, above the ${maxDatabaseSizeMB} MB limit (scenarioLab.maxDatabaseSizeMB). Save it anyway?`,
        'Save',
        'Not now',
      );
      return choice === 'Save';
    }),
  ];
};
