/**
 * Compare Actor Strategies… and Open Experiment in Notebook in the real extension host, on the
 * sample workspace's batch: the panel opens for the chosen actor and experiment; the notebook is
 * written beside the runs under a free name (never over a file) and opens in the notebook editor.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, readyApi, workspacePath } from './helpers';

const BATCH = 'experiments/regulatory-model-comparison';

const strategyTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('scenarioLab.actorStrategy'));

describe('Actor strategies and the notebook hand-off', function () {
  this.timeout(90_000);
  const written: string[] = [];
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of written) fs.rmSync(file, { force: true });
  });

  it('Compare Actor Strategies… opens the panel for the actor across the experiment\'s variations', async () => {
    const api = await readyApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const selection = await vscode.commands.executeCommand<{ actor: string; target: string }>('scenarioLab.compareActorStrategies', { actor: 'United States', target: BATCH });
    assert.deepEqual({ actor: selection.actor, target: selection.target }, { actor: 'United States', target: BATCH });
    const [tab] = await eventually(() => (strategyTabs().length === 1 ? strategyTabs() : undefined), 'the actor strategy panel is open');
    assert.equal(tab.label, `Actor strategy: United States · ${BATCH}`);
    const strategy = await api.analytics.actorStrategy('United States', { target: BATCH });
    assert.deepEqual(strategy?.groups.map((g) => [g.label, g.decisions]), [['variation 1', 3], ['variation 2', 3]]);
    // Invoked again, the one panel is retargeted rather than a second one stacked.
    await vscode.commands.executeCommand('scenarioLab.compareActorStrategies', { actor: 'China', target: BATCH });
    await eventually(() => strategyTabs().length === 1 && strategyTabs()[0].label === `Actor strategy: China · ${BATCH}`, 'the panel shows China');
  });

  it('Open Experiment in Notebook writes a new notebook under a free name and opens it in the notebook editor', async () => {
    await readyApi();
    const taken = workspacePath('regulatory-model-comparison.ipynb');
    const existed = fs.existsSync(taken);
    if (!existed) {
      fs.writeFileSync(taken, 'not a notebook of ours');
      written.push(taken);
    }
    const before = fs.readFileSync(taken);
    const file = await vscode.commands.executeCommand<string>('scenarioLab.openExperimentInNotebook', { experiment: BATCH, metric: 'trust_level' });
    written.push(file);
    assert.equal(path.dirname(file), path.dirname(taken));
    assert.notEqual(file, taken);
    assert.ok(fs.readFileSync(taken).equals(before), 'the existing file is untouched');
    const notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(notebook.nbformat, 4);
    const setup = notebook.cells[1].source.join('');
    assert.match(setup, /^EXPERIMENT = "experiments\/regulatory-model-comparison"$/m);
    assert.match(setup, /^METRIC = "trust_level"$/m);
    const indexFile = JSON.parse(/^INDEX_FILE = (.*)$/m.exec(setup)![1]);
    assert.ok(fs.existsSync(indexFile), 'the notebook names the index file on disk');
    const editor = await eventually(() => vscode.window.activeNotebookEditor, 'a notebook editor');
    assert.equal(editor.notebook.notebookType, 'jupyter-notebook');
    assert.equal(editor.notebook.uri.fsPath, file);
    assert.ok(editor.notebook.cellCount >= 6);
  });

  it('both commands take an Experiments tree item (its experiment summary) as the experiment', async () => {
    const api = await readyApi();
    const [experiment] = (await api.analytics.listExperiments()).filter((e) => e.folder === BATCH);
    assert.ok(experiment, 'the sample batch is indexed');
    // What the tree passes to a context-menu command: its node, which carries the summary as `experiment`.
    const node = { id: `experiment:${BATCH}`, experiment };
    const selection = await vscode.commands.executeCommand<{ actor: string; target: string }>('scenarioLab.compareActorStrategies', { ...node, actor: 'United States' });
    assert.deepEqual({ actor: selection.actor, target: selection.target }, { actor: 'United States', target: BATCH });
    const file = await vscode.commands.executeCommand<string>('scenarioLab.openExperimentInNotebook', { ...node, metric: 'trust_level' });
    written.push(file);
    assert.match(fs.readFileSync(file, 'utf8'), /EXPERIMENT = \\"experiments\/regulatory-model-comparison\\"/);
  });
});
