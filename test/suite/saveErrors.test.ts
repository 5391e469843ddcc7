/**
 * Saving the index on deactivate: an error is not dropped. The index file is made read-only
 * (chmod 444, respected even though the tests may run as root), and the extension's deactivate()
 * (the same module instance VS Code loaded) must reject with the reason and leave the file as it was.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, EXTENSION_ID, readyApi } from './helpers';

describe('saving the index on deactivate', function () {
  this.timeout(60_000);

  it('rejects with the save error instead of dropping it, and leaves a read-only index file untouched', async () => {
    const api = await readyApi();
    const file = api.indexFile;
    assert.ok(file, 'the window has a file-backed index');
    await vscode.commands.executeCommand('scenarioLab.reindexWorkspace');
    await eventually(() => fs.existsSync(file), `${file} is saved (debounced after the pass)`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let that save finish its rename
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> | undefined };
    const mode = fs.statSync(file).mode;
    fs.chmodSync(file, 0o444);
    try {
      const before = fs.readFileSync(file);
      await assert.rejects(Promise.resolve(main.deactivate()), /Could not save|read-only .*chmod u\+w/);
      assert.ok(fs.readFileSync(file).equals(before));
      assert.equal(fs.statSync(file).mode & 0o777, 0o444);
    } finally {
      fs.chmodSync(file, mode);
    }
  });
});
