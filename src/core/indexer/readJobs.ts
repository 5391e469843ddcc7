/**
 * Reading and assembling run folders as jobs, so that a pass can do it on this thread or hand it
 * to a reader thread (reader/readerSource.ts) while this one writes: on a cold index, reading and
 * parsing is about half the work and the database the other half.
 */
import type { FolderListing } from '../discover/discoverFolders';
import { assembleFolder } from './assembleFolder';
import type { AssembledFolder } from './assembledFolder';
import { readFolder, type KnownFile, type ReadOptions } from './readFolder';

/** One folder to read; `known` is what the index holds of its files (plain entries: jobs cross threads). */
export interface ReadJob {
  listing: FolderListing;
  known: Array<[string, KnownFile]>;
}

/** What every job of a pass shares. */
export interface ReadSettings {
  read: ReadOptions | undefined;
  /** Scenario folder name → display name, from the scenario definitions. */
  scenarioNames: Array<[string, string]>;
}

/** Yields the assembled rows of each job, in job order. */
export type FolderSource = (jobs: readonly ReadJob[], settings: ReadSettings) => AsyncIterable<AssembledFolder>;

export function readJob(job: ReadJob, settings: ReadSettings, scenarioNames = new Map(settings.scenarioNames)): AssembledFolder {
  const parsed = readFolder(job.listing, settings.read, new Map(job.known));
  return assembleFolder(parsed, { scenarioNameForDir: (dir) => scenarioNames.get(dir) });
}

/** The jobs read one after another on this thread. */
export async function* readHere(jobs: readonly ReadJob[], settings: ReadSettings): AsyncIterable<AssembledFolder> {
  const scenarioNames = new Map(settings.scenarioNames);
  for (const job of jobs) yield readJob(job, settings, scenarioNames);
}
