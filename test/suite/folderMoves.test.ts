/**
 * The index stays true to the folders on disk while VS Code is open: run folders renamed, moved
 * in and moved out with `mv` (a rename, at any depth, whatever the folder's name), and folders
 * added with Index Folder… until they are removed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { eventually, readyApi, workspacePath } from './helpers';

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

  it('indexes a folder added with Index Folder…, and forgets it when removed', async () => {
    const added = path.join(outside, 'added');
    fs.mkdirSync(added);
    fs.cpSync(workspacePath(SOURCE_RUN), path.join(added, 'run-a'), { recursive: true });
    try {
      await vscode.commands.executeCommand('scenarioLab.indexFolder', vscode.Uri.file(added));
      await eventually(async () => (await folderPaths()).includes('added/run-a'), 'the added folder’s run is indexed');
    } finally {
      await vscode.commands.executeCommand('scenarioLab.manageIndexedFolders', [added]);
    }
    await eventually(async () => !(await folderPaths()).some((p) => p.startsWith('added/')), 'the removed folder’s runs leave the index');
    assert.ok((await folderPaths()).includes(SOURCE_RUN));
  });
});
