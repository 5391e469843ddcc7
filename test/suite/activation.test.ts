import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScenarioLabApi } from '../../src/extension/extension';

/** `${publisher}.${name}` from package.json. */
const EXTENSION_ID = 'scenario-lab.scenario-lab-vscode';

function getExtension(): vscode.Extension<ScenarioLabApi> {
  const extension = vscode.extensions.getExtension<ScenarioLabApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

/** Polls until `probe()` is true: activation and view registration happen asynchronously. */
async function eventually(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('extension activation', () => {
  it('is loaded under the id built from package.json publisher and name', () => {
    const { packageJSON } = getExtension();
    assert.equal(`${packageJSON.publisher}.${packageJSON.name}`, EXTENSION_ID);
  });

  // Must run before anything calls activate(): the sample workspace contains scenario-state.json files.
  it('activates by itself in a workspace that contains runs (workspaceContains)', async () => {
    const extension = getExtension();
    await eventually(() => extension.isActive, 'the extension is active');
  });

  it('exports its API object from activate()', async () => {
    const api = await getExtension().activate();
    assert.ok(api, 'activate() returned nothing');
    assert.equal(api.version, 2);
  });

  it('contributes the Scenario Lab view container with the Runs, Actors, Metrics, Annotations and Experiments views', async () => {
    const views = getExtension().packageJSON.contributes.views.scenarioLab.map((view: { id: string }) => view.id);
    assert.deepEqual(views, ['scenarioLab.runs', 'scenarioLab.actors', 'scenarioLab.metrics', 'scenarioLab.annotations', 'scenarioLab.experiments']);
    // VS Code registers a "<view id>.focus" command for every contributed view.
    const commands = await vscode.commands.getCommands(true);
    for (const id of views) assert.ok(commands.includes(`${id}.focus`), `no ${id}.focus command`);
    await vscode.commands.executeCommand('scenarioLab.runs.focus');
  });
});
