/**
 * How a run is named and described wherever a person picks or reads it: the Runs tree, every run
 * quick pick and the panels' titles. Pure (no `vscode` import) so unit tests check it directly.
 * One description everywhere means typing a folder ("var-001"), a status ("halted"), a scenario
 * or a run id in any run picker finds the run.
 */
import type { RunFolder, RunName, RunSummary } from '../core/analytics/types';
import { formatCost, plural } from '../core/analytics/numberFormat';

/** The name a run is shown by: its folder (run-001, var-002-run-001), which people recognise better than the id. */
export function runLabel(run: RunName): string {
  const first = run.folders[0];
  if (!first) return run.id;
  const more = run.folders.length > 1 ? ` (+${run.folders.length - 1} folder${run.folders.length > 2 ? 's' : ''})` : '';
  return `${folderName(first)}${more}`;
}

/** Numbers in names compare as numbers: a batch past run-999 lists run-1000 after it, not after run-100. */
const NAME_ORDER = new Intl.Collator(undefined, { numeric: true });

/** The order runs are listed in by their labels (runLabel): run-2 before run-10, var-002-run-001 before var-010-run-001. */
export function compareRunLabels(a: string, b: string): number {
  return NAME_ORDER.compare(a, b);
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

/** A run pick item for one folder of a run (see {@link runFolderPickItems}). */
export interface RunFolderPickItem extends RunPickItem {
  /** The folder picked, when the run's id is carried by several folders; undefined otherwise. */
  folder: string | undefined;
}

/**
 * Items for a picker whose result is one folder's figures (Show Run Statistics…): a run carried by
 * one folder is one {@link runPickItem}; a run id several folders carry (parallel batch runs, a
 * resumed or copied run) gets an item per folder, named by that folder, without the run's turns and
 * cost (the merged row holds one folder's), so typing "var-001-run-002" opens that folder's figures.
 */
export function runFolderPickItems(run: RunSummary): RunFolderPickItem[] {
  if (run.folders.length <= 1) return [{ ...runPickItem(run), folder: undefined }];
  return run.folders.map((f) => ({
    label: folderName(f),
    description: [run.id, f.status ?? run.status, `one of ${run.folders.length} folders of this run id`].join(' · '),
    detail: [run.scenarioName, f.path].join(' · '),
    run,
    folder: f.path,
  }));
}

/** Quick pick options that make every field of {@link runPickItem} searchable. */
export const RUN_PICK_OPTIONS = { matchOnDescription: true, matchOnDetail: true } as const;

/** "AI Safety Summit 2026 · run-005": a run named with its scenario, for titles that must not be ambiguous across scenarios. */
export function runTitle(run: RunName & Pick<RunSummary, 'scenarioName'>): string {
  return `${run.scenarioName} · ${runLabel(run)}`;
}
