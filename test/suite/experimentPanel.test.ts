/**
 * "Scenario Lab: Analyze Experiment…" in a real VS Code: the command is in the palette and on
 * the Experiments view's experiment items (inline and context menu), and invoked the way the tree
 * invokes it (with the experiment node) it opens one Experiment panel titled with the experiment;
 * invoked again it reveals the same panel instead of stacking tabs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadExperimentsRoots } from '../../src/extension/experimentsTree';
import { EXTENSION_ID, eventually, readyApi } from './helpers';

const NAME = 'Regulatory negotiation - model comparison';
const COMMAND = 'scenarioLab.analyzeExperiment';

function experimentTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('scenarioLab.experiment'));
}

describe('Experiment panel command', () => {
  after(async () => {
    for (const tab of experimentTabs()) await vscode.window.tabGroups.close(tab);
  });

  it('is offered in the palette and on experiment items of the Experiments view', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const command = manifest.contributes.commands.find((c: { command: string }) => c.command === COMMAND);
    assert.equal(`${command.category}: ${command.title}`, 'Scenario Lab: Analyze Experiment…');
    assert.ok(!manifest.contributes.menus.commandPalette.some((m: { command: string }) => m.command === COMMAND), 'not hidden from the palette');
    const onItems = manifest.contributes.menus['view/item/context'].filter((m: { command: string }) => m.command === COMMAND);
    assert.deepEqual(onItems.map((m: { when: string; group: string }) => [m.when, m.group.split('@')[0]]), [
      ['view == scenarioLab.experiments && viewItem == experiment', 'inline'],
      ['view == scenarioLab.experiments && viewItem == experiment', '2_analyse'],
    ]);
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND));
  });

  it('opens the experiment of a tree item in one panel, and reveals it again', async () => {
    const api = await readyApi();
    const [node] = await loadExperimentsRoots(api.analytics);
    assert.equal(node.treeItem().contextValue, 'experiment');
    await vscode.commands.executeCommand(COMMAND, node);
    const [tab] = await eventually(() => (experimentTabs().length > 0 ? experimentTabs() : undefined), 'an Experiment panel opens');
    await eventually(() => experimentTabs()[0]?.label === `Experiment: ${NAME}` || undefined, `the panel is titled with the experiment (got ${tab.label})`);
    await vscode.commands.executeCommand(COMMAND, 'regulatory-model-comparison');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(experimentTabs().length, 1, 'the same panel, not a second tab');
  });
});
