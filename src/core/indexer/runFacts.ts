/**
 * Facts about a run that the state file may fail to record (it is absent, truncated, or lacks a
 * key): each is taken from the best source the folder still has, and the source is said in a
 * problem. Nothing here invents a value: a fact no file records stays unknown (null), and where
 * Scenario Lab's schema needs a value anyway, the caller is told the stand-in is not a record.
 * Pure: no I/O, no database.
 */
import type { Problem, StateFile } from '../format/records';
import { localSqlTime, toSqlDatetime } from '../format/timestamps';

/** Where a run's start time came from, best first. */
export type StartSource = 'state' | 'run-id' | 'record' | 'file-time';

export interface RunStart {
  /** SQL datetime (`YYYY-MM-DD HH:MM:SS.ffffff`, naive local time as Scenario Lab writes it). */
  time: string;
  source: StartSource;
  /** A started_at the state file does hold, passed over as the Unix epoch's zero (see isEpochZero). */
  ignoredRecorded?: string;
}

/**
 * Times before 1971 are the Unix epoch's zero in some time zone (a clock never set, a 0 written
 * for "unknown", an archive or store that zeroes file times): no evidence of when a run started.
 */
const FIRST_TIME = '1971-01-01 00:00:00.000000';
const isEpochZero = (sqlTime: string): boolean => sqlTime < FIRST_TIME;

/** `run-20251124-170102` (V2 sets run_id = "run-" + now().strftime("%Y%m%d-%H%M%S"), docs/format.md#run-id), also `branch-…` and batch prefixes. */
const RUN_ID_TIME = /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?![0-9])/;

/** The load time a V2 run id encodes (one-second resolution), as an SQL datetime; undefined when it encodes none. */
export function runIdTime(runId: string | null | undefined): string | undefined {
  const match = runId ? RUN_ID_TIME.exec(runId) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return toSqlDatetime(`${y}-${mo}-${d} ${h}:${mi}:${s}`);
}


export interface StartEvidence {
  /** `started_at` of the state files (SQL datetimes), best first; undefined entries are skipped. */
  recorded: Array<string | undefined>;
  runId: string | null;
  /** Timestamps of the folder's records (decisions, messages, metrics, costs), SQL datetimes. */
  records: Array<string | undefined>;
  /** Modification times of the folder's files (ms since the epoch). */
  fileTimesMs: number[];
}

/**
 * When the run started, from the best source the folder has: the state file's `started_at`, the
 * run id's timestamp, the earliest record, and last the earliest file modification time (which a
 * copy refreshes, so it is reported as a warning). Undefined only for a folder without files.
 */
export function runStartOf(evidence: StartEvidence): RunStart | undefined {
  const given = evidence.recorded.filter((t): t is string => t !== undefined);
  const recorded = given.find((t) => !isEpochZero(t));
  if (recorded) return { time: recorded, source: 'state' };
  const ignored = given.length > 0 ? { ignoredRecorded: given[0] } : {};
  const fromId = runIdTime(evidence.runId);
  if (fromId && !isEpochZero(fromId)) return { time: fromId, source: 'run-id', ...ignored };
  const fromRecords = earliestTime(evidence.records.filter((t) => t !== undefined && !isEpochZero(t)));
  if (fromRecords) return { time: fromRecords, source: 'record', ...ignored };
  const fileTimes = evidence.fileTimesMs.map(localSqlTime).filter((t) => !isEpochZero(t));
  const fromFiles = earliestTime(fileTimes);
  if (fromFiles) return { time: fromFiles, source: 'file-time', ...ignored };
  return undefined;
}

/** The problem that tells where `created` came from when the state file does not record it (none when it does). */
export function runStartProblem(start: RunStart | undefined, file: string): Problem | undefined {
  if (start?.source === 'state') return undefined;
  const why = start?.ignoredRecorded
    ? `The state file's started_at, ${start.ignoredRecorded.slice(0, 19)}, is the Unix epoch's zero, not when this run started`
    : 'No readable state file records when this run started (started_at)';
  switch (start?.source) {
    case 'run-id':
      return { file, line: 1, severity: 'info', message: `${why}: its start (created) is taken from the run id's timestamp, ${start.time.slice(0, 19)}.` };
    case 'record':
      return { file, line: 1, severity: 'info', message: `${why}: its start (created) is taken from its earliest record, ${start.time.slice(0, 19)}.` };
    case 'file-time':
      return {
        file,
        line: 1,
        severity: 'warning',
        message: `${why}, and neither its run id nor any record has a time: its start (created) is unknown and shown as the earliest modification time of its files, ${start.time.slice(0, 19)}, which copying the folder changes.`,
      };
    default:
      return { file, line: 1, severity: 'warning', message: `${why}: its start (created) is unknown.` };
  }
}

/** SQL datetimes sort as text. */
export function earliestTime(values: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v && (best === undefined || v < best)) best = v;
  return best;
}

/** SQL datetimes sort as text. */
export function latestTime(values: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v && (best === undefined || v > best)) best = v;
  return best;
}

/** The run's identity: scenario-state.json's keys, each it lacks taken from scenario-state-v2.json. */
export interface RunIdentity {
  runId: string | null;
  scenarioId: string | null;
  scenarioName: string | null;
  status: string | null;
  /** Last persisted turn (docs/format.md#per-folder step 1); null when neither state file records it. */
  turn: number | null;
}

/**
 * Identity fields of a V2 run. A key the primary state file lacks is taken from the other state
 * file; a key neither records stays null (never the parser's empty stand-in), with a problem.
 */
export function runIdentityOf(primary: StateFile, other: StateFile | undefined, problems: Problem[], file: string): RunIdentity {
  const pick = <T>(key: string, get: (s: StateFile) => T): T | null => {
    if (!primary.missing.includes(key)) return get(primary);
    if (other && !other.missing.includes(key)) {
      problems.push({ file, line: 1, severity: 'info', message: `"${key}" is taken from the other state file (${other.variant === 'state-v2' ? 'scenario-state-v2.json' : 'scenario-state.json'}).` });
      return get(other);
    }
    return null;
  };
  return {
    runId: pick('run_id', (s) => s.runId),
    scenarioId: pick('scenario_id', (s) => s.scenarioId),
    scenarioName: pick('scenario_name', (s) => s.scenarioName),
    status: pick('status', (s) => s.status),
    turn: pick('turn', (s) => s.turn),
  };
}
