/**
 * What the files prove about a run whose stored status is `running`. Scenario Lab V2 never writes
 * the final status (spec §2.4), so a finished or crashed run reads `running` forever; the UI shows
 * this derived state next to the stored status and never changes the stored one.
 */
import type { RunFolder } from './types';

/** How long a run folder must stay unchanged before a `running` run counts as ended. */
export const RUN_QUIET_PERIOD_MS = 10 * 60_000;

export type RunProgress =
  /** The stored status is final (or not `running`): nothing to derive. */
  | { kind: 'recorded' }
  /** Files changed recently, or a JSON file is still being written: the run may still be going. */
  | { kind: 'active'; text: string; quietAtMs: number | undefined }
  /** Quiet, with files of a turn the state file never reached: that turn failed or was stopped. */
  | { kind: 'interrupted'; text: string; turn: number }
  /** Quiet, and the state file is complete up to its last turn: the run ended without recording how. */
  | { kind: 'ended'; text: string; turn: number | null };

type ProgressFields = Pick<RunFolder, 'status' | 'pending' | 'leftoverTurn' | 'lastTurn'>;

export function describeRunProgress(folder: ProgressFields, lastModifiedMs: number | undefined, nowMs: number, quietMs = RUN_QUIET_PERIOD_MS): RunProgress {
  if (folder.status !== 'running') return { kind: 'recorded' };
  if (folder.pending) return { kind: 'active', text: 'being written', quietAtMs: undefined };
  // A live run writes the next turn's files before its state file, so leftovers alone prove nothing.
  if (lastModifiedMs !== undefined && nowMs - lastModifiedMs < quietMs) {
    return { kind: 'active', text: `running, last write ${formatAge(nowMs - lastModifiedMs)} ago`, quietAtMs: lastModifiedMs + quietMs };
  }
  if (folder.leftoverTurn !== null) {
    return { kind: 'interrupted', text: `interrupted in turn ${folder.leftoverTurn}, status not recorded`, turn: folder.leftoverTurn };
  }
  const after = folder.lastTurn === null ? 'ended' : `ended after turn ${folder.lastTurn}`;
  return { kind: 'ended', text: `${after}, status not recorded`, turn: folder.lastTurn };
}

function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
