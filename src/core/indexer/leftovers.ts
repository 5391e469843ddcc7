/**
 * Leftovers: files in a reused run folder that belong to an older run (issue 12, kind 7). A new run
 * written into the folder of an older, longer one overwrites only the files it writes itself; the
 * older run's later turns (and actors the new run lacks) stay behind. Such a file cannot be this
 * run's when
 * - its turn is beyond what the run can have reached: a run writes turn N+1's files before its
 *   state file says N+1, never N+2's (N = the furthest turn of either state file), or
 * - the time it records is before the run started (to the second: markdown times have no fraction).
 * File modification times are not used: copying a folder refreshes them all.
 * Pure: no I/O, no database.
 */
import type { CommunicationDoc, DecisionDoc, Problem, WorldStateDoc } from '../format/records';
import { baseName } from '../format/jsonText';
import { toSqlDatetime } from '../format/timestamps';
import { turnHeldBy } from '../format/worldState';

export interface LeftoverInput {
  decisions: DecisionDoc[];
  communications: CommunicationDoc[];
  worldStates: Array<{ fileTurn: number; doc: WorldStateDoc }>;
}

export interface LeftoverBounds {
  /** The furthest turn a state file of this folder records. */
  stateTurn: number;
  /** When the run started (SQL datetime), from its state file or run id; undefined: judge by turn only. */
  runStart: string | undefined;
}

export interface LeftoverSplit<T extends LeftoverInput> {
  /** The documents that can be this run's. */
  kept: T;
  /** Files of another run, by file key, with why (sorted by key). */
  leftovers: Array<{ file: string; why: LeftoverReason }>;
}

/** Splits a folder's documents into this run's and another run's (see the module comment for the rules). */
export function splitLeftovers<T extends LeftoverInput>(folder: T, bounds: LeftoverBounds): LeftoverSplit<T> {
  const reasons = new Map<string, LeftoverReason>();
  const judge = (file: string, turn: number, recorded: string | undefined): boolean => {
    const why = leftoverReason(turn, recorded, bounds);
    if (why !== undefined && !reasons.has(file)) reasons.set(file, why);
    return why === undefined;
  };
  const kept: T = {
    ...folder,
    decisions: folder.decisions.filter((d) => judge(d.span.file, d.turn, d.timestamp)),
    communications: folder.communications.filter((c) => judge(c.span.file, c.turn, c.generatedAt)),
    worldStates: folder.worldStates.filter((w) => judge(w.doc.span.file, turnHeldBy(w.fileTurn, w.doc), worldStateTime(w.doc))),
  };
  const leftovers = [...reasons.entries()].map(([file, why]) => ({ file, why })).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { kept, leftovers };
}

/** One problem at the state file naming every leftover, so the Problems list says which files to clear out. */
export function leftoverProblem(leftovers: Array<{ file: string; why: LeftoverReason }>, stateFile: string, bounds: LeftoverBounds): Problem | undefined {
  if (leftovers.length === 0) return undefined;
  const named = (why: LeftoverReason) => leftovers.filter((l) => l.why === why).map((l) => baseName(l.file));
  const early = named('before-start');
  const beyond = named('beyond-turn');
  const parts = [
    early.length > 0 ? `written before this run started (${bounds.runStart?.slice(0, 19)}): ${early.join(', ')}` : '',
    beyond.length > 0 ? `of turns after ${bounds.stateTurn + 1}, which this run never reached: ${beyond.join(', ')}` : '',
  ].filter(Boolean);
  return {
    file: stateFile,
    line: 1,
    severity: 'warning',
    message: `${leftovers.length} file(s) are left over from another run and are not indexed as this run's; ${parts.join('; ')}.`,
  };
}

export type LeftoverReason = 'beyond-turn' | 'before-start';

function leftoverReason(turn: number, recorded: string | undefined, bounds: LeftoverBounds): LeftoverReason | undefined {
  if (turn > bounds.stateTurn + 1) return 'beyond-turn';
  const time = recorded ? toSqlDatetime(recorded) : undefined;
  if (time && bounds.runStart && time.slice(0, 19) < bounds.runStart.slice(0, 19)) return 'before-start';
  return undefined;
}

function worldStateTime(doc: WorldStateDoc): string | undefined {
  return doc.kind === 'v2-formatted' ? doc.updatedAt : doc.kind === 'v1' ? doc.generatedAt : undefined;
}
