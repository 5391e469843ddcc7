/**
 * A big pass reads its folders on a reader thread (dist/readWorker.js) while the database is
 * written: the index must come out the same as when everything is read on one thread, and a
 * reader that cannot start must only make the pass slower.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace } from '../../../src/tools/samples/sampleWorkspace';
import type { FolderSource } from '../../../src/core/indexer/readJobs';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { readerSource } from '../../../src/core/indexer/reader/readerSource';
import { REPO_ROOT } from '../helpers/paths';

const READ_WORKER = path.join(REPO_ROOT, 'dist', 'readWorker.js');
const TABLES = ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs', 'sl_folders', 'sl_files', 'sl_origins', 'sl_problems'];

describe('indexing with a reader thread', function () {
  this.timeout(60000);
  let workspace: string;
  const opened: ConnectedScenarioIndex[] = [];

  before(() => {
    assert.ok(fs.existsSync(READ_WORKER), 'dist/readWorker.js is built (npm run build)');
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-reader-'));
    // More run folders than a pass needs before it starts a reader.
    generateSampleWorkspace({ runs: 24, turns: 3, actors: 3 }, (relative, content) => {
      const file = path.join(workspace, ...relative.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    });
  });
  after(async () => {
    for (const index of opened) await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** Indexes the workspace into a fresh in-memory index, reading through `folderSource` when given. */
  async function indexWith(folderSource: FolderSource | undefined): Promise<{ dump: unknown[][]; folders: number }> {
    const index = await openConnectedScenarioIndex(undefined);
    opened.push(index);
    const report = await index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 }, folderSource });
    const dump = TABLES.map((table) => index.db.exec(`SELECT * FROM ${table} ORDER BY 1, 2`)[0]?.values ?? []);
    return { dump, folders: report.foldersIndexed };
  }

  /** The source, counting the folders it delivers. */
  function counted(source: FolderSource): { source: FolderSource; delivered: () => number } {
    let delivered = 0;
    return {
      source: async function* (jobs, settings) {
        for await (const rows of source(jobs, settings)) {
          delivered++;
          yield rows;
        }
      },
      delivered: () => delivered,
    };
  }

  it('stores exactly what a single-thread pass stores', async () => {
    const here = await indexWith(undefined);
    const reader = counted(readerSource(READ_WORKER));
    const threaded = await indexWith(reader.source);
    assert.ok(here.folders >= 24, `${here.folders} folders indexed`);
    assert.equal(reader.delivered(), here.folders, 'every folder came from the reader thread');
    assert.equal(threaded.folders, here.folders);
    TABLES.forEach((table, i) => assert.deepEqual(threaded.dump[i], here.dump[i], `table ${table}`));
    assert.ok((here.dump[2] as unknown[]).length > 100, 'decisions were indexed');
  });

  it('stops the reader on cancel and keeps the folders written so far', async () => {
    const index = await openConnectedScenarioIndex(undefined);
    opened.push(index);
    const reader = counted(readerSource(READ_WORKER));
    const report = await index.index({ roots: [{ name: 'ws', absPath: workspace }], folderSource: reader.source, isCancelled: () => reader.delivered() > 5 });
    assert.equal(report.cancelled, true);
    assert.equal(report.foldersIndexed, 5);
    assert.equal(Number(index.db.exec('SELECT COUNT(*) FROM sl_folders')[0].values[0][0]), 5);
    assert.equal(reader.delivered(), 6, 'the pass stopped at the first folder it received after the cancel');
  });

  it('reads on its own thread when the reader cannot start, and loses nothing', async () => {
    const here = await indexWith(undefined);
    const broken = await indexWith(readerSource(path.join(workspace, 'no-such-reader.js')));
    TABLES.forEach((table, i) => assert.deepEqual(broken.dump[i], here.dump[i], `table ${table}`));
  });
});
