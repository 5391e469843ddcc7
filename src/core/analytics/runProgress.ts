/**
 * What the files prove about a run whose stored status is `running`. Scenario Lab V2 never writes
 * the final status (docs/format.md#status), so a finished or crashed run reads `running` forever; the UI shows
 * this derived state next to the stored status and never changes the stored one.
 */
import { localTimeMs } from '../format/timestamps';
import type { RunFolder } from './types';

/** The stored status (runs.status) whose progress the files tell: the only one describeRunProgress derives anything for. */
export const RUNNING = 'running';

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

type ProgressFields = Pick<RunFolder, 'status' | 'pending' | 'leftoverTurn' | 'lastTurn' | 'completedAt' | 'error' | 'lastWrittenAt'>;

/**
 * What a `running` run's files prove. `lastModifiedMs` (newest file modification time) counts as
 * activity only when the files agree: a state file that records an end (`completed_at`, an error)
 * ends the run whatever the file times say, and file times well after the latest time the files
 * themselves record (`lastWrittenAt`) come from copying the folder (`cp -r`, a sync, an unzip),
 * not from a run writing it.
 */
export function describeRunProgress(folder: ProgressFields, lastModifiedMs: number | undefined, nowMs: number, quietMs = RUN_QUIET_PERIOD_MS): RunProgress {
  if (folder.status !== RUNNING) return { kind: 'recorded' };
  if (folder.pending) return { kind: 'active', text: 'being written', quietAtMs: undefined };
  const endRecorded = folder.completedAt !== null || folder.error !== null;
  // A live run writes the next turn's files before its state file, so leftovers alone prove nothing.
  if (!endRecorded && lastModifiedMs !== undefined && nowMs - lastModifiedMs < quietMs && !copiedSince(folder.lastWrittenAt, lastModifiedMs, quietMs)) {
    return { kind: 'active', text: `running, last write ${formatAge(nowMs - lastModifiedMs)} ago`, quietAtMs: lastModifiedMs + quietMs };
  }
  if (folder.leftoverTurn !== null) {
    return { kind: 'interrupted', text: `interrupted in turn ${folder.leftoverTurn}, status not recorded`, turn: folder.leftoverTurn };
  }
  const after = folder.lastTurn === null ? 'ended' : `ended after turn ${folder.lastTurn}`;
  return { kind: 'ended', text: `${after}, status not recorded`, turn: folder.lastTurn };
}

/**
 * True when the newest file time is more than a quiet period after the latest time the files
 * record: a run writes its times as it writes its files, so such file times come from a copy.
 * Unknown (no recorded time) counts as not copied: then the file times are all there is.
 */
function copiedSince(lastWrittenAt: string | null, lastModifiedMs: number, quietMs: number): boolean {
  const written = lastWrittenAt === null ? undefined : localTimeMs(lastWrittenAt);
  return written !== undefined && lastModifiedMs - written > quietMs;
}

function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
