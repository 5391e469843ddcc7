/** Selecting a tree item opens its source file with the cursor on the record's line. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadRunsRoots } from '../../src/extension/runsTree';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { nodeAtLabels, readyApi } from './helpers';

const TURN_1 = ['AI Safety Summit 2026', 'run-002', 'Turn 1'];

describe('jump to source', function () {
  // The first markdown editor activates VS Code's markdown extensions, which takes a while on a busy machine.
  this.timeout(90_000);
  let runs: NodeTreeProvider;
  before(async () => {
    const api = await readyApi();
    runs = new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics)).scenarios);
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  /** Runs the item's own command (what a click does) and returns the file name and cursor line text. */
  async function open(labels: string[]): Promise<{ file: string; line: number; text: string }> {
    const node = await nodeAtLabels(runs, labels);
    const command = runs.getTreeItem(node).command;
    assert.ok(command, `${labels.join(' › ')} has no command`);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    const line = editor.selection.active.line;
    return { file: path.basename(editor.document.uri.fsPath), line: line + 1, text: editor.document.lineAt(line).text };
  }

  it('opens a decision at its Action section', async () => {
    assert.deepEqual(await open([...TURN_1, 'China']), { file: 'china-001.md', line: 20, text: '## Action' });
    assert.deepEqual(await open([...TURN_1, 'United States']), { file: 'united-states-001.md', line: 22, text: '## Action' });
  });

  it('opens a message at its sender heading', async () => {
    const opened = await open([...TURN_1, 'Messages', 'United Kingdom → China']);
    assert.deepEqual(opened, { file: 'bilateral-China-United Kingdom-001.md', line: 13, text: '### United Kingdom' });
  });

  it('opens a metric at its object in metrics.json', async () => {
    const opened = await open([...TURN_1, 'Metrics', 'trust_level (China)']);
    assert.equal(opened.file, 'metrics.json');
    const document = vscode.window.activeTextEditor!.document;
    const record = document.getText(new vscode.Range(opened.line - 1, 0, opened.line + 4, 0));
    assert.match(record, /"name": "trust_level"[\s\S]*"value": 6\.0/);
  });

  it('opens the world state at its text', async () => {
    assert.deepEqual(await open([...TURN_1, 'World state']), { file: 'world-state-000.md', line: 5, text: '## Current Situation' });
  });
});
