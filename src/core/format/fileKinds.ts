/**
 * What a file in a run folder is, judged by its name alone (docs/format.md#a-run-folder, #v1-runs). Names are ambiguous in
 * corner cases (an actor whose short name is `validation` or whose slug starts with
 * `bilateral-`), so the title line inside the file has the last word.
 */
import { SIDECAR_RELATIVE_PATH } from './annotationModel';
import { MAX_TURN } from './records';

export type RunFileKind =
  | { kind: 'world-state'; turn: number }
  /** `participants` is the raw middle of the name; never split it, names may contain `-`. */
  | { kind: 'communication'; channel: 'bilateral' | 'coalition'; participants: string; turn: number }
  | { kind: 'metrics-json' }
  | { kind: 'costs-json' }
  | { kind: 'scenario-state' }
  | { kind: 'scenario-state-v2' }
  | { kind: 'validation'; turn: number }
  | { kind: 'validation-summary' }
  | { kind: 'scenario-log' }
  /** The reviewers' annotations sidecar (`.scenario-lab/annotations.json`), listed with its run folder. */
  | { kind: 'annotations' }
  /** `stem` is an actor short name or name slug; the actor's real name is in the title. */
  | { kind: 'decision'; stem: string; turn: number }
  | { kind: 'unknown' };

const FIXED_NAMES = new Map<string, RunFileKind>([
  ['metrics.json', { kind: 'metrics-json' }],
  ['costs.json', { kind: 'costs-json' }],
  ['scenario-state.json', { kind: 'scenario-state' }],
  ['scenario-state-v2.json', { kind: 'scenario-state-v2' }],
  ['validation-summary.md', { kind: 'validation-summary' }],
  ['scenario.log', { kind: 'scenario-log' }],
  [SIDECAR_RELATIVE_PATH, { kind: 'annotations' }],
]);

/** `<stem>-NNN.md`: turns are zero-padded to at least 3 digits and grow past 999. */
const TURN_FILE = /^(.+)-(\d{3,})\.md$/su;
const COMMUNICATION_STEM = /^(bilateral|coalition)-(.+)$/su;

/** `fileName` is a base name, e.g. `bilateral-Côte d'Ivoire-Japan (METI)-002.md`. */
export function classifyRunFile(fileName: string): RunFileKind {
  const fixed = FIXED_NAMES.get(fileName);
  if (fixed) {
    return { ...fixed };
  }
  const turnFile = TURN_FILE.exec(fileName);
  if (!turnFile) {
    return { kind: 'unknown' };
  }
  const [, stem, digits] = turnFile;
  const turn = Number(digits);
  if (turn > MAX_TURN) return { kind: 'unknown' };
  if (stem === 'world-state') {
    return { kind: 'world-state', turn };
  }
  if (stem === 'validation') {
    return { kind: 'validation', turn };
  }
  const communication = COMMUNICATION_STEM.exec(stem);
  if (communication) {
    const channel = communication[1] === 'bilateral' ? 'bilateral' : 'coalition';
    return { kind: 'communication', channel, participants: communication[2], turn };
  }
  return { kind: 'decision', stem, turn };
}
