/**
 * Indexing progress in the status bar (click to cancel), a failed index as an error item (click to
 * retry), and the `scenarioLab.indexState` context key the welcome view uses to say "indexing…"
 * instead of "no runs" while the first pass runs. Short re-indexes after a save stay invisible.
 */
import * as vscode from 'vscode';
import type { Feature } from './feature';
import type { IndexState } from './indexService';
import { Commands, ContextKeys } from './constants';

const SHOW_AFTER_MS = 400;

export const indexStatus: Feature = (_context, service) => {
  const item = vscode.window.createStatusBarItem('scenarioLab.indexStatus', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Scenario Lab Indexing';
  let showTimer: NodeJS.Timeout | undefined;

  const render = (state: IndexState) => {
    void vscode.commands.executeCommand('setContext', ContextKeys.indexState, state.kind);
    if (state.kind === 'indexing') {
      const p = state.progress;
      item.text = `$(sync~spin) Scenario Lab: ${p ? `${p.phase} ${p.done}/${p.total}` : 'indexing'}`;
      item.tooltip = 'Indexing Scenario Lab run folders. Click to cancel.';
      item.command = Commands.cancelIndexing;
      item.backgroundColor = undefined;
      showTimer ??= setTimeout(() => item.show(), SHOW_AFTER_MS);
      return;
    }
    clearTimeout(showTimer);
    showTimer = undefined;
    if (state.kind === 'failed') {
      item.text = '$(error) Scenario Lab';
      item.tooltip = `Indexing failed: ${state.message}. Click to index again.`;
      item.command = Commands.reindexWorkspace;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.show();
    } else {
      item.hide();
    }
  };
  render(service.state);
  return [item, service.onDidChangeState(render), { dispose: () => clearTimeout(showTimer) }];
};
