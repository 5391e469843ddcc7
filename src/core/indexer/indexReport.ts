/** What an index pass tells while it runs (IndexProgress) and when it ends (IndexReport). */

/** How far a pass is: folders done of `total` in its current phase. */
export interface IndexProgress {
  phase: 'discover' | 'read' | 'write';
  done: number;
  total: number;
}

export interface IndexReport {
  foldersSeen: number;
  foldersIndexed: number;
  foldersRemoved: number;
  foldersUnchanged: number;
  /** Folders with a JSON file that is still being written; index them again shortly. */
  pendingFolders: string[];
  filesRead: number;
  bytesRead: number;
  /** Problems the index holds after the pass (of every folder and scenario definition, not only those read now): what listProblems() returns. */
  problems: number;
  cancelled: boolean;
  scenarios: number;
  durationMs: number;
}

/** The report of a pass that has found, read and written nothing (yet); each call returns a new object. */
export function emptyReport(): IndexReport {
  return {
    foldersSeen: 0, foldersIndexed: 0, foldersRemoved: 0, foldersUnchanged: 0, pendingFolders: [],
    filesRead: 0, bytesRead: 0, problems: 0, cancelled: false, scenarios: 0, durationMs: 0,
  };
}
