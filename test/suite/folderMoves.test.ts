/**
 * The index stays true to the folders on disk while VS Code is open: run folders renamed, moved
 * in and moved out with `mv` (a rename, at any depth, whatever the folder's name), and folders
 * added with Index Folder… until they are removed, under keys of their own that leave the
 * workspace's keys, runs and annotations as they were.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { anchorFor, splitLines } from '../../src/core/annotations/anchoring';
import { sidecarPath, updateSidecar } from '../../src/core/annotations/sidecarStore';
import type { IndexReport } from '../../src/core/indexer/indexer';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { loadRunsRoots } from '../../src/extension/runsTree';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { anAnnotation } from '../unit/annotations/builders';
import { writeSampleWorkspace } from '../unit/helpers/sampleFiles';
import { eventually, readyApi, shownChildren, workspacePath } from './helpers';

const SOURCE_RUN = 'output/ai-summit/run-002';
const LIMIT_MS = 2000;

describe('folder moves and added folders', function () {
  this.timeout(60_000);
  let api: ScenarioLabApi;
  let outside: string;
  const folderPaths = async () => (await api.analytics.listFolders()).map((f) => f.path);
  /** Waits until `probe` holds and returns how long it took since `started`. */
  const within = async (started: number, probe: () => Promise<boolean>, what: string) => {
    await eventually(probe, what, 10_000);
    return Date.now() - started;
  };

  before(async () => {
    api = await readyApi();
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-outside-'));
  });
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  it('follows a run folder renamed with mv, at once', async () => {
    const from = workspacePath(SOURCE_RUN);
    const to = workspacePath('output/ai-summit/run-002.renamed');
    assert.ok((await folderPaths()).includes(SOURCE_RUN));
    const started = Date.now();
    fs.renameSync(from, to);
    try {
      const elapsed = await within(started, async () => {
        const paths = await folderPaths();
        return paths.includes('output/ai-summit/run-002.renamed') && !paths.includes(SOURCE_RUN);
      }, 'the renamed folder replaces the old one');
      assert.ok(elapsed < LIMIT_MS, `picked up after ${elapsed} ms`);
      console.log(`      a renamed run folder was picked up in ${elapsed} ms`);
    } finally {
      fs.renameSync(to, from);
      await eventually(async () => (await folderPaths()).includes(SOURCE_RUN), 'the folder is back');
    }
  });

  it('indexes a folder of runs moved in from outside the workspace, and drops it when moved out', async () => {
    const batch = path.join(outside, 'batch.v2');
    fs.mkdirSync(path.join(batch, 'nested'), { recursive: true });
    fs.cpSync(workspacePath(SOURCE_RUN), path.join(batch, 'nested', 'run-moved'), { recursive: true });
    const inside = workspacePath('output', 'batch.v2');

    let started = Date.now();
    fs.renameSync(batch, inside);
    const key = 'output/batch.v2/nested/run-moved';
    let elapsed = await within(started, async () => (await folderPaths()).includes(key), 'the moved-in run is indexed');
    assert.ok(elapsed < LIMIT_MS, `moved in: picked up after ${elapsed} ms`);

    started = Date.now();
    fs.renameSync(inside, batch);
    elapsed = await within(started, async () => !(await folderPaths()).includes(key), 'the moved-out run leaves the index');
    assert.ok(elapsed < LIMIT_MS, `moved out: picked up after ${elapsed} ms`);
    console.log(`      a run moved out of the workspace left the index in ${elapsed} ms`);
  });

  it('indexes a folder added with Index Folder… under its own path, keeping the workspace’s keys, runs and annotations, and forgets it when removed', async () => {
    const added = path.join(outside, 'added');
    // One generated run (its own run id), without the scenario definitions a sample also holds.
    writeSampleWorkspace(added, { runs: 1, turns: 2, actors: 2, seed: 'index-folder' });
    fs.rmSync(path.join(added, 'scenarios'), { recursive: true });
    const addedKey = added.split(path.sep).join('/');
    const isAdded = (key: string) => key.startsWith(`${addedKey}/`);
    /** Every run the Runs view shows (built afresh: a provider keeps what it loaded): scenario, run label and description. */
    const shownRuns = async () => {
      const view = new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics)).scenarios);
      try {
        return (await Promise.all((await shownChildren(view)).map(async (s) => (await shownChildren(view, s.node)).map((r) => `${s.label} › ${r.label} ${r.description}`)))).flat();
      } finally {
        view.dispose();
      }
    };
    const annotations = () => api.db.selectFrom('sl_annotations').select(['id', 'file', 'run_id', 'start_line', 'outdated']).orderBy('id').execute();

    // A workspace run with an annotation, in the index before the folder is added.
    const annotatedRun = workspacePath(SOURCE_RUN);
    const lines = splitLines(fs.readFileSync(path.join(annotatedRun, 'world-state-000.md'), 'utf8'));
    await updateSidecar(annotatedRun, { kind: 'add', annotation: anAnnotation({ id: 'index-folder-note', ...anchorFor('world-state-000.md', lines, 3, 3) }) });
    try {
      await eventually(async () => (await annotations()).some((a) => a.id === 'index-folder-note'), 'the workspace annotation is indexed');
      const before = { folders: await folderPaths(), runs: await shownRuns(), annotations: await annotations() };
      assert.ok(before.folders.includes(SOURCE_RUN) && !before.folders.some(isAdded));
      const fullPasses: IndexReport[] = [];
      const listening = api.onDidChangeIndex(({ report, full }) => full && fullPasses.push(report));
      try {
        await vscode.commands.executeCommand('scenarioLab.indexFolder', vscode.Uri.file(added));
        const folders = await eventually(async () => ((await folderPaths()).some(isAdded) ? folderPaths() : undefined), 'the added folder’s run is indexed');
        assert.deepEqual(folders.filter((f) => !isAdded(f)), before.folders, 'the workspace’s folders keep their keys');
        assert.equal(folders.filter(isAdded).length, 1);
        assert.deepEqual([fullPasses[0]?.foldersIndexed, fullPasses[0]?.foldersUnchanged, fullPasses[0]?.foldersRemoved], [1, before.folders.length, 0], 'the pass read only the added run');
        const runs = await shownRuns();
        assert.deepEqual(before.runs.filter((run) => !runs.includes(run)), [], 'the Runs view keeps the workspace’s runs as they were');
        assert.equal(runs.length, before.runs.length + 1, 'and shows the added run');
        assert.deepEqual(await annotations(), before.annotations, 'the workspace annotation keeps its key and run');
      } finally {
        listening.dispose();
        await vscode.commands.executeCommand('scenarioLab.manageIndexedFolders', [added]);
      }
      await eventually(async () => !(await folderPaths()).some(isAdded), 'the removed folder’s runs leave the index');
      assert.deepEqual(await folderPaths(), before.folders);
      assert.deepEqual(await shownRuns(), before.runs);
    } finally {
      // The sidecar file, not its folder: the watcher re-reads the run for a deleted run file.
      fs.rmSync(sidecarPath(annotatedRun), { force: true });
      await eventually(async () => !(await annotations()).some((a) => a.id === 'index-folder-note'), 'the workspace annotation leaves the index with its sidecar');
      fs.rmSync(path.dirname(sidecarPath(annotatedRun)), { recursive: true, force: true });
    }
  });
});
