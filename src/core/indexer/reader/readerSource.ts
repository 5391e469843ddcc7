/**
 * A FolderSource that reads on a thread of its own: started per pass, stopped when the pass has
 * its rows or stops early (cancel, error). Rows arrive in job order. Should the thread fail, the
 * folders it had not delivered are read on the caller's thread: slower, never lost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { discover, type DiscoverOptions, type Discovery } from '../../discover/discoverFolders';
import type { IndexRoot } from '../../folderKeys';
import type { AssembledFolder } from '../assembledFolder';
import { readHere, type FolderSource, type ReadJob, type ReadSettings } from '../readJobs';
import type { ReaderReply, ReaderRequest } from './readerProtocol';

/** Folders read ahead of the writer: enough to keep the reader busy, few enough to bound memory. */
const READ_AHEAD = 8;

/**
 * `maxHeapMb` caps the reader thread's old generation (V8 grows a heap long before it must: a
 * reader handed a few hundred folders at a time stays far below any cap, yet its heap would grow
 * with the pass). A reader that hits the cap fails, and its folders are read on the caller's thread.
 * Unset for a caller that hands over every folder of a pass at once (the embedded index).
 */
export function readerSource(workerScript: string, options: { maxHeapMb?: number } = {}): FolderSource {
  return (jobs, settings) => readOnWorker(workerScript, jobs, settings, options.maxHeapMb);
}

/** The bundled reader next to a bundled program (dist/), or undefined when run from unbundled sources. */
export function readWorkerBeside(dir: string): string | undefined {
  const script = path.join(dir, 'readWorker.js');
  return fs.existsSync(script) ? script : undefined;
}

async function* readOnWorker(workerScript: string, jobs: readonly ReadJob[], settings: ReadSettings, maxHeapMb: number | undefined): AsyncIterable<AssembledFolder> {
  if (jobs.length === 0) return;
  // A test's readFile cannot cross threads; only plain options go.
  const { readFile: _readFile, ...read } = settings.read ?? {};
  const worker = new Worker(workerScript, maxHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
  const arrived: AssembledFolder[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  worker.on('message', (reply: ReaderReply) => {
    if (reply.kind === 'rows') arrived.push(reply.rows);
    else if (reply.kind === 'failed') failure = new Error(`Reading run folders failed: ${reply.message}`);
    notify();
  });
  worker.on('error', (error) => {
    failure = new Error(`The reader thread failed: ${error.message}`);
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`The reader thread stopped (exit code ${code}).`);
    notify();
  });
  let received = 0;
  try {
    post(worker, { kind: 'read', jobs: [...jobs], settings: { ...settings, read }, credits: READ_AHEAD });
    for (; received < jobs.length; received++) {
      while (arrived.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (arrived.length === 0) break;
      post(worker, { kind: 'credit' });
      yield arrived.shift()!;
    }
  } finally {
    await worker.terminate();
  }
  if (received < jobs.length) {
    console.warn(`Scenario Lab: ${failure?.message}; reading the remaining ${jobs.length - received} folder(s) on the index thread.`);
    yield* readHere(jobs.slice(received), settings);
  }
}

/**
 * discover() on a thread of its own: the walk stats every file (seconds on a 1,000-run batch), and
 * meanwhile the index thread stays free to answer queries. Should the thread fail, the walk runs
 * on the caller's thread instead.
 */
export function discoverOnThread(workerScript: string): (roots: readonly IndexRoot[], options: DiscoverOptions) => Promise<Discovery> {
  return async (roots, options) => {
    const worker = new Worker(workerScript);
    try {
      const discovery = await new Promise<Discovery>((resolve, reject) => {
        worker.on('message', (reply: ReaderReply) => (reply.kind === 'discovered' ? resolve(reply.discovery) : reject(new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply'))));
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`The reader thread stopped (exit code ${code}).`)));
        post(worker, { kind: 'discover', roots: [...roots], options: { include: options.include, exclude: options.exclude, links: options.links } });
      });
      return discovery;
    } catch (error) {
      console.warn(`Scenario Lab: looking for run folders on a thread of its own failed (${(error as Error).message}); looking on the index thread.`);
      return discover(roots, options);
    } finally {
      await worker.terminate();
    }
  };
}

function post(worker: Worker, request: ReaderRequest): void {
  worker.postMessage(request);
}
