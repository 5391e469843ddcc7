/**
 * How a run is named and described wherever a person picks or reads it: the Runs tree, every run
 * quick pick and the panels' titles. Pure (no `vscode` import) so unit tests check it directly.
 * One description everywhere means typing a folder ("var-001"), a status ("halted"), a scenario
 * or a run id in any run picker finds the run.
 */
import type { RunFolder, RunSummary } from '../core/analytics/types';
import { formatCost, plural } from '../core/analytics/numberFormat';

/** The name a run is shown by: its folder (run-001, var-002-run-001), which people recognise better than the id. */
export function runLabel(run: Pick<RunSummary, 'id' | 'folders'>): string {
  const first = run.folders[0];
  if (!first) return run.id;
  const more = run.folders.length > 1 ? ` (+${run.folders.length - 1} folder${run.folders.length > 2 ? 's' : ''})` : '';
  return `${folderName(first)}${more}`;
}

export function folderName(folder: Pick<RunFolder, 'path'>): string {
  return folder.path.split('/').pop() ?? folder.path;
}

type RunFacts = Pick<RunSummary, 'id' | 'status' | 'totalTurns' | 'totalCost'>;

/** "run-20251124-193729 · completed · 10 turns · $0.0438": the run's id, status, turns and cost. */
export function runFacts(run: RunFacts): string {
  return [run.id, run.status, plural(run.totalTurns, 'turn'), formatCost(run.totalCost)].join(' · ');
}

/** "AI Safety Summit 2026 · output/ai-summit/run-005": the run's scenario and every folder it was read from. */
export function runPlace(run: Pick<RunSummary, 'scenarioName' | 'folders'>): string {
  return [run.scenarioName, ...run.folders.map((f) => f.path)].join(' · ');
}

/** A quick pick item for a run (structurally a `vscode.QuickPickItem`); pick with matchOnDescription and matchOnDetail. */
export interface RunPickItem {
  label: string;
  description: string;
  detail: string;
  run: RunSummary;
}

/** Label: the folder; description: id, status, turns, cost; detail: scenario and folder paths. */
export function runPickItem(run: RunSummary): RunPickItem {
  return { label: runLabel(run), description: runFacts(run), detail: runPlace(run), run };
}

/** Quick pick options that make every field of {@link runPickItem} searchable. */
export const RUN_PICK_OPTIONS = { matchOnDescription: true, matchOnDetail: true } as const;

/** "AI Safety Summit 2026 · run-005": a run named with its scenario, for titles that must not be ambiguous across scenarios. */
export function runTitle(run: Pick<RunSummary, 'id' | 'folders' | 'scenarioName'>): string {
  return `${run.scenarioName} · ${runLabel(run)}`;
}
