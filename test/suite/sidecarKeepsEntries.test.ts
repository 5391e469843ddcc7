/**
 * The sidecar case of issue 10 in the real extension host: the workspace's run gets the case's
 * hand-written sidecar (entries hand-1…hand-4: unknown fields, a startLine as text, a line 0, a
 * quote as one string). The entries that cannot be shown are diagnostics on the sidecar at their
 * lines; adding an annotation through our comment command keeps every hand entry byte for byte;
 * a sidecar that is not JSON is never overwritten.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sidecarPath } from '../../src/core/annotations/sidecarStore';
import { eventually, readyApi, workspacePath } from './helpers';

const RUN = 'output/ai-summit/run-002';
const CASE_SIDECAR = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'cases', 'sidecar-keeps-entries', 'ws', RUN, '.scenario-lab', 'annotations.json');

describe('a hand-written sidecar (issue 10 case sidecar-keeps-entries)', function () {
  this.timeout(90_000);
  let testController: vscode.CommentController;
  const sidecar = () => sidecarPath(workspacePath(RUN));
  const handLines = (text: string) => text.split('\n').filter((l) => l.includes('"id": "hand-')).map((l) => l.replace(/,$/, ''));

  before(async () => {
    await readyApi();
    testController = vscode.comments.createCommentController('scenarioLab.test.sidecar', 'test');
    fs.mkdirSync(path.dirname(sidecar()), { recursive: true });
    fs.copyFileSync(CASE_SIDECAR, sidecar());
    fs.chmodSync(sidecar(), 0o644);
  });
  after(() => {
    testController.dispose();
    fs.rmSync(path.dirname(sidecar()), { recursive: true, force: true });
  });

  it('lists the entries that cannot be shown in Problems, at their lines in the sidecar', async () => {
    const uri = vscode.Uri.file(sidecar());
    // The sidecar was copied in by before(): the watcher's pass may queue behind others on a busy machine.
    const diagnostics = await eventually(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Scenario Lab');
      return found.length === 3 ? found : undefined;
    }, 'the sidecar has three Scenario Lab diagnostics', 60_000);
    const byLine = diagnostics.map((d) => [d.range.start.line + 1, d.message.slice(0, d.message.indexOf(':'))]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(byLine, [
      [6, 'Annotation "hand-2" is not shown'],
      [7, 'Annotation "hand-3" is not shown'],
      [8, 'Annotation "hand-4" is not shown'],
    ]);
  });

  it('adds an annotation and keeps hand-1…hand-4 byte for byte, unknown fields and all', async () => {
    const before = handLines(fs.readFileSync(CASE_SIDECAR, 'utf8'));
    const document = await vscode.workspace.openTextDocument(workspacePath(RUN, 'world-state-001.md'));
    await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex((l) => l.includes('Overall cooperation level'));
    const thread = testController.createCommentThread(document.uri, new vscode.Range(line, 0, line, 0), []);
    await vscode.commands.executeCommand('scenarioLab.annotations.create', { thread, text: 'Added in the editor.' });
    const text = fs.readFileSync(sidecar(), 'utf8');
    assert.deepEqual(handLines(text), before);
    const written = JSON.parse(text);
    assert.deepEqual(written.annotations.map((a: { id: string }) => a.id).slice(0, 4), ['hand-1', 'hand-2', 'hand-3', 'hand-4']);
    assert.equal(written.annotations.length, 5);
    assert.deepEqual([written.annotations[4].startLine, written.annotations[4].comments[0].body], [line + 1, 'Added in the editor.']);
    assert.equal(written.annotations[0].priority, 'high');
    assert.deepEqual(written.annotations[0].comments[0].attachments, ['fig1.png']);
  });

  it('never overwrites a sidecar that is not JSON', async () => {
    const broken = fs.readFileSync(sidecar(), 'utf8').replace('"id": "hand-3"', '"id": "hand-3",,');
    fs.writeFileSync(sidecar(), broken);
    const document = await vscode.workspace.openTextDocument(workspacePath(RUN, 'world-state-001.md'));
    const thread = testController.createCommentThread(document.uri, new vscode.Range(2, 0, 2, 0), []);
    await vscode.commands.executeCommand('scenarioLab.annotations.create', { thread, text: 'Refused.' });
    assert.equal(fs.readFileSync(sidecar(), 'utf8'), broken);
    const uri = vscode.Uri.file(sidecar());
    await eventually(() => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Scenario Lab' && d.range.start.line + 1 === 7 && /not valid JSON/.test(d.message)), 'the broken line is a diagnostic');
  });
});
