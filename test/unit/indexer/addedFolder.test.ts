/**
 * A folder added beside the workspace (VS Code's Index Folder…, IndexRoot.extra) leaves the
 * workspace's keys alone: the workspace's folders, runs and annotations keep their keys and nothing
 * of them is read again, with the folder walked here or on the reader thread (dist/readWorker.js);
 * a watcher pass names the added folder's runs by the same keys.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { anchorFor, splitLines } from '../../../src/core/annotations/anchoring';
import { updateSidecar } from '../../../src/core/annotations/sidecarStore';
import type { IndexRoot } from '../../../src/core/folderKeys';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { anAnnotation } from '../annotations/builders';
import { REPO_ROOT } from '../helpers/paths';
import { writeSampleWorkspace } from '../helpers/sampleFiles';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const READ_WORKER = path.join(REPO_ROOT, 'dist', 'readWorker.js');
const ANNOTATED_RUN = 'output/ai-regulatory-negotiation/run-003';
const ADDED_RUNS = 3;

interface Folders {
  /** The temp folder holding both. */
  dir: string;
  /** A copy of the fixture with one run annotated. */
  workspace: IndexRoot;
  /** Generated runs elsewhere, added with Index Folder…. */
  added: IndexRoot;
}

async function workspaceAndAddedFolder(): Promise<Folders> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-added-folder-'));
  const workspace = { name: 'ws', absPath: path.join(dir, 'ws') };
  const added = { name: 'batch', absPath: path.join(dir, 'elsewhere', 'batch'), extra: true };
  fs.cpSync(FIXTURE, workspace.absPath, { recursive: true });
  writeSampleWorkspace(added.absPath, { runs: ADDED_RUNS, turns: 2, actors: 2, seed: 'added-folder' });
  const runDir = path.join(workspace.absPath, ANNOTATED_RUN);
  const lines = splitLines(fs.readFileSync(path.join(runDir, 'world-state-000.md'), 'utf8'));
  await updateSidecar(runDir, { kind: 'add', annotation: anAnnotation(anchorFor('world-state-000.md', lines, 3, 3)) });
  // Files older than the pending window, as on folders nobody is writing to.
  const past = new Date(Date.now() - 3_600_000);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) fs.utimesSync(path.join(entry.parentPath, entry.name), past, past);
  return { dir, workspace, added };
}

describe('a folder added beside the workspace', function () {
  this.timeout(60000);
  let folders: Folders;
  before(async () => {
    assert.ok(fs.existsSync(READ_WORKER), 'dist/readWorker.js is built (node esbuild.mjs)');
    folders = await workspaceAndAddedFolder();
  });
  after(() => fs.rmSync(folders.dir, { recursive: true, force: true }));

  /** What the index holds under keys: folder paths, run ids with their folders, annotation files. */
  async function keyed(index: ConnectedScenarioIndex) {
    const folders = (await index.analytics.listFolders()).map((f) => f.path).sort();
    const annotations = (await index.kysely.selectFrom('sl_annotations').select('file').execute()).map((a) => a.file).sort();
    return { folders, annotations };
  }

  for (const thread of ['this thread', 'the reader thread']) {
    it(`keeps the workspace's keys and re-reads none of its folders (walked on ${thread})`, async () => {
      const { workspace, added } = folders;
      const index = await openConnectedScenarioIndex(undefined, thread === 'this thread' ? {} : { readWorkerScript: READ_WORKER });
      try {
        const pass = (roots: IndexRoot[]) => index.index({ roots, read: { pendingWindowMs: 0 } });
        const first = await pass([workspace]);
        const before = await keyed(index);
        assert.ok(before.folders.includes(ANNOTATED_RUN));
        assert.deepEqual(before.annotations, [`${ANNOTATED_RUN}/world-state-000.md`]);

        const second = await pass([workspace, added]);
        assert.equal(second.foldersUnchanged, first.foldersSeen, 'every workspace folder unchanged');
        assert.equal(second.foldersIndexed, ADDED_RUNS, 'only the added folder’s runs read');
        assert.equal(second.foldersRemoved, 0);
        const withAdded = await keyed(index);
        const addedKey = added.absPath.split(path.sep).join('/');
        assert.deepEqual(withAdded.folders.filter((f) => !f.startsWith(`${addedKey}/`)), before.folders, 'the workspace keys, as before');
        assert.equal(withAdded.folders.filter((f) => f.startsWith(`${addedKey}/`)).length, ADDED_RUNS, 'the added runs, under the added folder’s path');
        assert.deepEqual(withAdded.annotations, before.annotations);

        const third = await pass([workspace]);
        assert.deepEqual([third.foldersUnchanged, third.foldersIndexed, third.foldersRemoved], [first.foldersSeen, 0, ADDED_RUNS], 'removing the folder again reads nothing of the workspace');
        assert.deepEqual(await keyed(index), before);
      } finally {
        await index.close();
      }
    });
  }

  it('a watcher pass over a run of the added folder finds it under the same key (changed, then deleted)', async () => {
    const { workspace, added } = folders;
    const index = await openConnectedScenarioIndex(undefined);
    try {
      const pass = (onlyFolders?: string[]) => index.index({ roots: [workspace, added], onlyFolders, read: { pendingWindowMs: 0 } });
      await pass();
      const folders = (await keyed(index)).folders;
      const addedKey = added.absPath.split(path.sep).join('/');
      const runKey = folders.find((f) => f.startsWith(`${addedKey}/`))!;
      const runDir = path.join(added.absPath, ...runKey.slice(addedKey.length + 1).split('/'));
      fs.appendFileSync(path.join(runDir, 'world-state-001.md'), '\nA line added while the run was watched.\n');
      const changed = await pass([runDir]);
      assert.deepEqual([changed.foldersIndexed, changed.foldersRemoved], [1, 0]);
      assert.deepEqual((await keyed(index)).folders, folders);
      fs.rmSync(runDir, { recursive: true });
      const gone = await pass([runDir]);
      assert.equal(gone.foldersRemoved, 1);
      assert.deepEqual((await keyed(index)).folders, folders.filter((f) => f !== runKey));
    } finally {
      await index.close();
    }
  });
});
