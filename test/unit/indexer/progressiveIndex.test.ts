/**
 * A big first index shows runs while it goes on: a full pass first indexes a short walk's first
 * run folders and commits them, then walks every folder on the reader thread and writes in batches,
 * and queries that wait for the connection are answered between those steps, not after the pass.
 * What comes out must be exactly what a pass without a first slice stores, each file read once.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { startIndexWorker } from '../../../src/core/worker/indexClient';
import { REPO_ROOT } from '../helpers/paths';

const READ_WORKER = path.join(REPO_ROOT, 'dist', 'readWorker.js');
const TABLES = ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs', 'sl_folders', 'sl_files', 'sl_origins', 'sl_problems', 'sl_scenarios'];
const RUNS = 30;

describe('a first index that shows runs as it goes', function () {
  this.timeout(120000);
  let workspace: string;
  let fileCount = 0;
  const opened: ConnectedScenarioIndex[] = [];
  const open = async () => {
    const index = await openConnectedScenarioIndex(undefined, { readWorkerScript: READ_WORKER });
    opened.push(index);
    return index;
  };
  const roots = () => [{ name: 'ws', absPath: workspace }];
  const dump = (index: ConnectedScenarioIndex) => TABLES.map((table) => index.db.exec(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)[0]?.values ?? []);

  before(() => {
    assert.ok(fs.existsSync(READ_WORKER), 'dist/readWorker.js is built (npm run build)');
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-progressive-'));
    generateSampleWorkspace({ runs: RUNS, turns: 3, actors: 3 }, (relative, content) => {
      const file = path.join(workspace, ...relative.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      fileCount++;
    });
  });
  after(async () => {
    for (const index of opened) await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('answers a query asked at the start with the first slice of runs, before the pass ends', async () => {
    const index = await open();
    let passEnded = false;
    const pass = index.index({ roots: roots(), read: { pendingWindowMs: 0 }, firstSlice: 4 }).then((report) => {
      passEnded = true;
      return report;
    });
    const early = await index.analytics.listRuns();
    const endedBeforeAnswer = passEnded;
    const report = await pass;
    assert.equal(endedBeforeAnswer, false, 'the query was answered while the pass still ran');
    assert.equal(early.length, 4, `the first slice's runs are readable (got ${early.length})`);
    assert.equal(report.foldersIndexed, RUNS);
    assert.equal((await index.analytics.listRuns()).length, RUNS);
  });

  it('queries asked while the pass runs are answered with more runs each time, until all', async () => {
    const index = await open();
    let passEnded = false;
    const pass = index.index({ roots: roots(), read: { pendingWindowMs: 0 }, firstSlice: 2, commitEveryMs: 0 }).then((report) => {
      passEnded = true;
      return report;
    });
    const seen: number[] = [];
    // In one thread a query is only microtasks: let timers run between them, as messages from another thread would.
    while (!passEnded) {
      seen.push((await index.analytics.listRuns()).length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await pass;
    const during = seen.filter((n) => n < RUNS);
    assert.ok(during.length >= 2, `several answers before the pass ended (${JSON.stringify(seen)})`);
    assert.ok(during.every((n, i) => i === 0 || n >= during[i - 1]), `the runs only grow (${JSON.stringify(seen)})`);
    assert.ok(during.at(-1)! > during[0], `the runs grew while indexing (${JSON.stringify(seen)})`);
  });

  it('stores exactly what a pass without a first slice stores, reading each file once', async () => {
    const sliced = await open();
    const whole = await open();
    const slicedReport = await sliced.index({ roots: roots(), read: { pendingWindowMs: 0 }, firstSlice: 5 });
    const wholeReport = await whole.index({ roots: roots(), read: { pendingWindowMs: 0 } });
    assert.deepEqual(dump(sliced), dump(whole));
    assert.equal(slicedReport.filesRead, wholeReport.filesRead);
    assert.equal(slicedReport.foldersIndexed, RUNS);
    assert.equal(slicedReport.foldersUnchanged, 0);
    // A second pass over an unchanged workspace has nothing to slice and re-reads nothing.
    const again = await sliced.index({ roots: roots(), read: { pendingWindowMs: 0 }, firstSlice: 5 });
    assert.equal(again.foldersIndexed, 0);
    assert.equal(again.foldersUnchanged, RUNS);
    assert.deepEqual(dump(sliced), dump(whole));
  });

  it('through the index worker, a query sent with the pass (before the index is even open) is answered before the pass ends', async () => {
    const client = startIndexWorker(path.join(REPO_ROOT, 'dist', 'indexWorker.js'), undefined);
    try {
      let passEnded = false;
      const pass = client.index({ roots: roots(), read: { pendingWindowMs: 0 }, firstSlice: 4 }).then((report) => {
        passEnded = true;
        return report;
      });
      await client.analytics.listRuns();
      const endedBeforeAnswer = passEnded;
      assert.equal((await pass).foldersIndexed, RUNS);
      assert.equal(endedBeforeAnswer, false, 'the query did not wait for the whole pass');
    } finally {
      await client.close();
    }
  });
});
