/**
 * Runs are readable while a big index pass is still going: a folder of 400 generated runs added with
 * Index Folder… shows its first runs through the extension's analytics (what the Runs tree reads)
 * before the pass that indexes it has ended.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateSampleWorkspace } from '../../src/tools/samples/sampleWorkspace';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { readyApi } from './helpers';

// More folders than the pass commits at once (200, indexer.ts), so that the runs are committed part
// way through however fast the machine is: with 60 a quiet machine wrote them all within the pass's
// first 500 ms commit window and the test could only pass on a busy one.
const RUNS = 400;

describe('first index of a big folder', function () {
  this.timeout(180_000);
  let api: ScenarioLabApi;
  let folder: string;

  before(async () => {
    api = await readyApi();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-batch-'));
    generateSampleWorkspace({ runs: RUNS, turns: 3, actors: 3, seed: 'first-index' }, (relative, content) => {
      const file = path.join(folder, ...relative.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    });
  });
  after(async () => {
    await vscode.commands.executeCommand('scenarioLab.manageIndexedFolders', [folder]);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows runs of the added folder before the pass that indexes it ends', async () => {
    const inFolder = async () => (await api.analytics.listRuns()).filter((run) => run.folders.some((f) => f.path.startsWith(`${folder.split(path.sep).join('/')}/`))).length;
    assert.equal(await inFolder(), 0);
    let passEnded = false;
    const ended = new Promise<void>((resolve) =>
      api.onDidChangeIndex(({ full }) => {
        if (full) {
          passEnded = true;
          resolve();
        }
      }),
    );
    const adding = vscode.commands.executeCommand('scenarioLab.indexFolder', vscode.Uri.file(folder));
    const seen: Array<{ runs: number; passEnded: boolean }> = [];
    while (!passEnded) {
      const runs = await inFolder();
      seen.push({ runs, passEnded });
      if (runs > 0 && seen.filter((s) => s.runs > 0).length >= 2) break;
    }
    await ended;
    await adding;
    const early = seen.filter((s) => s.runs > 0 && !s.passEnded);
    assert.ok(early.length > 0, `runs were readable before the pass ended (${JSON.stringify(seen.slice(-5))})`);
    assert.ok(early[0].runs < RUNS, `the first answer had part of the runs (${early[0].runs} of ${RUNS})`);
    assert.equal(await inFolder(), RUNS, 'every run once the pass ended');
  });
});
