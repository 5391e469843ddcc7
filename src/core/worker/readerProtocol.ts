/**
 * Messages between a pass's writing thread and its reader thread (readWorker.ts). The writer
 * grants credits; the reader sends one folder's rows per credit, so at most a few folders of
 * text wait in memory however far ahead reading could run.
 */
import type { FolderRows } from '../indexer/folderRows';
import type { ReadJob, ReadSettings } from '../indexer/readJobs';

export type ReaderRequest =
  | { kind: 'read'; jobs: ReadJob[]; settings: ReadSettings; credits: number }
  | { kind: 'credit' };

export type ReaderReply = { kind: 'rows'; rows: FolderRows } | { kind: 'failed'; message: string };
