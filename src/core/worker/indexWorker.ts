/**
 * The index worker thread: owns one ScenarioIndex and answers WorkerRequests in order.
 * Bundled to dist/indexWorker.js; started by startIndexWorker().
 */
import { CompiledQuery } from 'kysely';
import { parentPort, workerData } from 'node:worker_threads';
import { runReadOnlySql } from '../analytics/readOnlySql';
import { runExclusive } from '../db/connectionLock';
import { openScenarioIndex, type ScenarioIndex } from '../scenarioIndex';
import { packQueryResult, type WorkerData, type WorkerReply, type WorkerRequest } from './protocol';
import { readWorkerBeside } from './readerSource';

const port = parentPort;
if (!port) throw new Error('indexWorker must run in a worker thread');
const cancelFlag = new Int32Array((workerData as WorkerData).cancelFlag);
let index: ScenarioIndex | undefined;
// Requests are handled one at a time, in arrival order, like the single sql.js connection itself.
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: WorkerRequest): Promise<void> {
  try {
    reply({ id: request.id, kind: 'result', result: await answer(request) });
  } catch (error) {
    reply({ id: request.id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

async function answer(request: WorkerRequest): Promise<unknown> {
  if (request.kind === 'open') {
    await index?.close();
    index = await openScenarioIndex(request.file, { readWorkerScript: readWorkerBeside(__dirname) });
    return { notices: index.notices };
  }
  const opened = index;
  if (!opened) throw new Error('The index is not open.');
  switch (request.kind) {
    case 'query':
      return packQueryResult(await opened.kysely.executeQuery(CompiledQuery.raw(request.sql, [...request.parameters])));
    case 'index':
      Atomics.store(cancelFlag, 0, 0);
      return opened.index({
        ...request.options,
        isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
        onProgress: (progress) => reply({ id: request.id, kind: 'progress', progress }),
      });
    case 'save':
      await opened.save();
      return null;
    case 'backup':
      await opened.backup(request.destination);
      return null;
    case 'readOnlySql':
      return runExclusive(opened.db, () => runReadOnlySql(opened.db, request.text));
    case 'size':
      return { bytes: opened.sizeBytes() };
    case 'close':
      await opened.close();
      index = undefined;
      return null;
  }
}

function reply(message: WorkerReply): void {
  port!.postMessage(message);
}
