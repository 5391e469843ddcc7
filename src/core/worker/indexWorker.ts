/**
 * The index worker thread: owns one ScenarioIndex and answers WorkerRequests in order.
 * Bundled to dist/indexWorker.js; started by startIndexWorker().
 */
import { CompiledQuery } from 'kysely';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../scenarioIndex';
import { packQueryResult, type WorkerData, type WorkerReply, type WorkerRequest } from './protocol';
import { readWorkerBeside } from '../indexer/reader/readerSource';
import { errorText } from '../text/errorText';

const port = parentPort;
if (!port) throw new Error('indexWorker must run in a worker thread');
const cancelFlag = new Int32Array((workerData as WorkerData).cancelFlag);
let index: ConnectedScenarioIndex | undefined;
/** The file last asked for, and why opening it failed (undefined once it is open). */
let wanted: { file: string | undefined } | undefined;
let openFailure: Error | undefined;
// Requests are handled one at a time, in arrival order, like the single sql.js connection itself,
// with one exception: a query waits for the requests before it to finish, except an index pass,
// which it waits for only to start; the pass hands the connection lock to queries between its
// batches. Trees and pickers then read the runs indexed so far instead of waiting for the pass.
let queue: Promise<void> = Promise.resolve();
/** What a query that arrives now waits for. */
let queryGate: Promise<void> = Promise.resolve();

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'query') {
    void queryGate.then(() => handle(request));
    return;
  }
  let started!: () => void;
  const start = new Promise<void>((resolve) => (started = resolve));
  queue = queue.then(() => {
    started();
    return handle(request);
  });
  queryGate = request.kind === 'index' ? start : queue;
});

/** Progress of the read phase at most this often (ms): the caller redraws on each message. */
const READ_PROGRESS_EVERY_MS = 200;

async function handle(request: WorkerRequest): Promise<void> {
  try {
    const result = await answer(request);
    // A snapshot is handed over, not copied: it can be as large as the index.
    reply({ id: request.id, kind: 'result', result }, result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : []);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    reply({ id: request.id, kind: 'error', message: errorText(error), code: typeof code === 'string' ? code : undefined });
  }
}

async function answer(request: WorkerRequest): Promise<unknown> {
  if (request.kind === 'open') {
    await index?.close();
    index = undefined;
    wanted = { file: request.file };
    return { notices: await openWanted() };
  }
  // An index pass tries again to open a file that was refused (the other program may be closed
  // now); every other request says why the index is not open rather than only that it is not.
  if (!index && openFailure && request.kind === 'index') await openWanted().catch(() => undefined);
  if (!index && openFailure) throw new Error(`The index could not be opened: ${openFailure.message}`);
  const opened = index;
  if (!opened) throw new Error('The index is not open.');
  switch (request.kind) {
    case 'query':
      return packQueryResult(await opened.kysely.executeQuery(CompiledQuery.raw(request.sql, [...request.parameters])));
    case 'index': {
      Atomics.store(cancelFlag, 0, 0);
      let lastRead = 0;
      return opened.index({
        ...request.options,
        isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
        onProgress: (progress) => {
          if (progress.phase === 'read' && progress.done < progress.total) {
            const now = Date.now();
            if (now - lastRead < READ_PROGRESS_EVERY_MS) return;
            lastRead = now;
          }
          reply({ id: request.id, kind: 'progress', progress });
        },
      });
    }
    case 'save':
      await opened.save();
      return null;
    case 'backup':
      await opened.backup(request.destination, { force: request.force });
      return null;
    case 'snapshot':
      return opened.snapshot();
    case 'size':
      return { bytes: opened.sizeBytes() };
    case 'close':
      await opened.close();
      index = undefined;
      return null;
  }
}

/** Opens the file last asked for; remembers the failure (and rethrows it) when it cannot. */
async function openWanted(): Promise<string[]> {
  try {
    index = await openConnectedScenarioIndex(wanted!.file, { readWorkerScript: readWorkerBeside(__dirname) });
    openFailure = undefined;
    return index.notices;
  } catch (error) {
    openFailure = error instanceof Error ? error : new Error(String(error));
    throw error;
  }
}

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}
