/**
 * A reader thread: reads and assembles the run folders of one index pass and sends their rows,
 * one folder per credit; or walks the roots of a full pass (discover). Bundled to dist/readWorker.js; started by readerSource().
 */
import { parentPort } from 'node:worker_threads';
import { discover } from '../../discover/discoverFolders';
import { readJob } from '../readJobs';
import type { ReaderReply, ReaderRequest } from './readerProtocol';
import { errorText } from '../../text/errorText';

const port = parentPort;
if (!port) throw new Error('readWorker must run in a worker thread');

let credits = 0;
let wake: (() => void) | undefined;

port.on('message', (request: ReaderRequest) => {
  if (request.kind === 'discover') {
    try {
      reply({ kind: 'discovered', discovery: discover(request.roots, request.options) });
    } catch (error) {
      reply({ kind: 'failed', message: errorText(error) });
    }
    return;
  }
  if (request.kind === 'credit') {
    credits++;
    wake?.();
    return;
  }
  credits += request.credits;
  void readAll(request).catch((error: unknown) => reply({ kind: 'failed', message: errorText(error) }));
});

async function readAll({ jobs, settings }: Extract<ReaderRequest, { kind: 'read' }>): Promise<void> {
  const scenarioNames = new Map(settings.scenarioNames);
  for (const job of jobs) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    reply({ kind: 'rows', rows: readJob(job, settings, scenarioNames) });
  }
}

function reply(message: ReaderReply): void {
  port!.postMessage(message);
}
