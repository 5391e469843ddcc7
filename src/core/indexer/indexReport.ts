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
