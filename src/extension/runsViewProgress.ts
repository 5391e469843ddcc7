/**
 * What the Runs view says about the index pass in the view itself: a message ("Indexing 212 of
 * 1,015 run folders…"), VS Code's progress bar at the top of the view, and the tree reloaded as
 * batches of runs are committed (at most every REFRESH_EVERY_MS, never per folder), so runs appear
 * while a big first index runs instead of all at once at its end.
 */
import * as vscode from 'vscode';
import type { IndexProgress } from '../core/indexer/indexer';
import { formatCount } from '../core/analytics/numberFormat';
import type { IndexService, IndexState } from './indexService';

/** Tree reloads while indexing, at most this often (ms): each reload queries every run. */
const REFRESH_EVERY_MS = 2000;
/** A pass shorter than this (a watcher update) shows no progress bar. */
const PROGRESS_AFTER_MS = 400;

/** The view's message for a pass in this state; empty when nothing is being indexed. */
export function indexingMessage(state: IndexState): string {
  if (state.kind !== 'indexing') return '';
  const p = state.progress;
  if (!p || p.phase === 'discover' || p.total === 0) return 'Looking for run folders…';
  return `Indexing ${formatCount(Math.min(p.done, p.total))} of ${formatCount(p.total)} run folders…`;
}

/** Whether this progress says that more runs are readable now (a batch, or the first slice, was committed). */
function committedMore(progress: IndexProgress | undefined, before: number): boolean {
  return !!progress && (progress.phase === 'write' || progress.phase === 'discover') && progress.done > before;
}

/**
 * Keeps the view's message and progress bar in step with the index service, and calls `reload`
 * when a pass has committed more runs (throttled). Returns its disposables.
 */
export function showIndexingIn(view: vscode.TreeView<unknown>, viewId: string, service: IndexService, reload: () => void): vscode.Disposable[] {
  let endProgress: (() => void) | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  let reloadTimer: NodeJS.Timeout | undefined;
  let lastReload = 0;
  let committed = 0;

  const reloadSoon = () => {
    if (reloadTimer) return;
    const wait = Math.max(0, lastReload + REFRESH_EVERY_MS - Date.now());
    reloadTimer = setTimeout(() => {
      reloadTimer = undefined;
      lastReload = Date.now();
      reload();
    }, wait);
  };

  const render = (state: IndexState) => {
    view.message = indexingMessage(state);
    if (state.kind === 'indexing') {
      if (committedMore(state.progress, committed)) {
        committed = state.progress!.done;
        reloadSoon();
      }
      progressTimer ??= setTimeout(() => {
        void vscode.window.withProgress({ location: { viewId } }, () => new Promise<void>((resolve) => (endProgress = resolve)));
      }, PROGRESS_AFTER_MS);
      return;
    }
    committed = 0;
    clearTimeout(progressTimer);
    progressTimer = undefined;
    endProgress?.();
    endProgress = undefined;
  };
  render(service.state);
  return [
    service.onDidChangeState(render),
    {
      dispose: () => {
        clearTimeout(progressTimer);
        clearTimeout(reloadTimer);
        endProgress?.();
      },
    },
  ];
}
