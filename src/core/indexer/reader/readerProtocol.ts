/**
 * Messages between a pass's writing thread and its reader thread (readWorker.ts), which also walks
 * the roots for a full pass, so that the writing thread can answer queries meanwhile. The writer
 * grants credits; the reader sends one folder's rows per credit, so at most a few folders of
 * text wait in memory however far ahead reading could run.
 */
import type { AssembledFolder } from '../assembledFolder';
import type { ReadJob, ReadSettings } from '../readJobs';
import type { DiscoverOptions, Discovery } from '../../discover/discoverFolders';
import type { IndexRoot } from '../../folderKeys';

export type ReaderRequest =
  | { kind: 'read'; jobs: ReadJob[]; settings: ReadSettings; credits: number }
  | { kind: 'credit' }
  /** Walk the roots (discover()) and answer with everything found, then wait to be stopped. */
  | { kind: 'discover'; roots: IndexRoot[]; options: DiscoverOptions };

export type ReaderReply = { kind: 'rows'; rows: AssembledFolder } | { kind: 'discovered'; discovery: Discovery } | { kind: 'failed'; message: string };
