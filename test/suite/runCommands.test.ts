/** Run commands invoked as the Runs tree's context menu does: with the clicked node (or one below the run). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadRunsRoots } from '../../src/extension/runsTree';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { nodeAtLabels, readyApi } from './helpers';

describe('run commands', () => {
  let runs: NodeTreeProvider;
  before(async () => {
    const api = await readyApi();
    runs = new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics)).scenarios);
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Copy Run Id copies the id of the run a node belongs to', async () => {
    await vscode.commands.executeCommand('scenarioLab.copyRunId', await nodeAtLabels(runs, ['AI Safety Summit 2026', 'run-002', 'Turn 2']));
    assert.equal(await vscode.env.clipboard.readText(), 'run-20251124-094755');
  });

  it('Show Run Statistics as Text opens a read-only markdown document with the counts and costs', async () => {
    await vscode.commands.executeCommand('scenarioLab.showRunStatisticsText', await nodeAtLabels(runs, ['AI Safety Summit 2026', 'run-002']));
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'no document opened');
    assert.equal(document.uri.scheme, 'scenario-lab-result');
    const text = document.getText();
    assert.match(text, /^# Run statistics: AI Safety Summit 2026 · run-002/);
    assert.match(text, /\| run-20251124-094755 \| AI Safety Summit 2026 \| completed \| 4 \| 16 \|/);
    assert.match(text, /## Cost by phase/);
  });
});
