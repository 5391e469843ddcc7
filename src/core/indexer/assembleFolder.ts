/**
 * Turns one parsed run folder into the rows Scenario Lab's own database would hold for it,
 * following the reconstruction rules of docs/format.md#reconstruction (V2), #v1-in-the-index (V1) and #incomplete-folders (what is
 * left when files are missing). Pure: no I/O, no database.
 */
import type { FolderMeta, AssembledFolder } from './assembledFolder';
import type { ParsedFolder } from './readFolder';
import { assembleMarkdownOnly } from './assembleMarkdown';
import type { AssembleContext } from './assembleParts';
import { assembleV1 } from './assembleV1';
import { assembleV2 } from './assembleV2';
export type { AssembleContext } from './assembleParts';

/** One parsed run folder as index rows, by format: V2 (a state file), V1, markdown without JSON, or a fragment (no run). */
export function assembleFolder(folder: ParsedFolder, context: AssembleContext = {}): AssembledFolder {
  const base: AssembledFolder = {
    key: folder.key,
    meta: emptyMeta(scenarioDirOf(folder.key)),
    runOrigin: undefined,
    turns: [],
    costs: [],
    annotations: folder.annotations,
    problems: [...folder.problems],
    pending: folder.pending,
    files: folder.files,
  };
  const state = folder.state ?? folder.stateV2;
  if (state) return assembleV2(folder, state, base, context);
  if (folder.v1State) return assembleV1(folder, base);
  if (folder.decisions.length > 0) return assembleMarkdownOnly(folder, base, context);
  base.meta.format = 'fragment';
  return base;
}

function emptyMeta(scenarioDir: string | null): FolderMeta {
  return {
    format: 'v2',
    runId: null,
    scenarioId: null,
    scenarioName: null,
    scenarioDir,
    status: null,
    lastTurn: null,
    leftoverTurn: null,
    plannedTurns: null,
    firstPersistedTurn: null,
    startedAt: null,
    lastRecordAt: null,
    lastWrittenAt: null,
    completedAt: null,
    error: null,
    totalCost: null,
    config: null,
  };
}

/** `output/<dir>/run-NNN` names the scenario folder; batch and ad-hoc layouts do not. */
export function scenarioDirOf(folderKey: string): string | null {
  const parts = folderKey.split('/');
  return parts.length >= 3 && parts[parts.length - 3] === 'output' ? parts[parts.length - 2] : null;
}
