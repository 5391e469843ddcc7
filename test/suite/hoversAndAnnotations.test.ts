/**
 * Metric hovers and reviewer annotations in the real extension host, on the sample workspace:
 * the hover over "cooperation level" in a world state shows that run's value at that turn with
 * working links; an annotation added through our comment command lands in the run's sidecar,
 * in the index and its exports, survives a rebuild of the index from nothing, and follows its
 * text when lines are inserted above it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sidecarPath } from '../../src/core/annotations/sidecarStore';
import { openConnectedScenarioIndex } from '../../src/core/scenarioIndex';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { eventually, readyApi, workspacePath } from './helpers';

const RUN = 'output/ai-regulatory-negotiation/run-003';
const RUN_ID = 'run-20251124-193239';
const WORLD = `${RUN}/world-state-000.md`;

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `${needle} not found`);
  return document.positionAt(index + offset);
}

describe('metric hovers', function () {
  this.timeout(90_000);
  let document: vscode.TextDocument;
  before(async () => {
    await readyApi();
    document = await vscode.workspace.openTextDocument(workspacePath(WORLD));
  });

  it('hovering "cooperation level" in a world state shows the run, turn, value, change, trend, cross-run aggregate and our links', async () => {
    const text = await eventually(async () => {
      const t = await hoverText(document.uri, positionOf(document, 'cooperation level', 4));
      return t.includes('cooperation\\_level') ? t : undefined;
    }, 'our hover answers');
    assert.match(text, /Run `run-20251124-193239`, turn 1: \*\*6\.5\*\*/);
    assert.match(text, /Trend, turns 1–2: `[▁-█]{2}` 6\.5 → 6/);
    assert.match(text, /Across 6 runs of \*AI Regulatory Negotiation\* at turn 1: avg/);
    // world-state-000.md is titled "Turn 0" and holds turn 1 (docs/format.md#world-state): the hover says why.
    assert.match(text, /titled "Turn 0" but holds the world after turn 1/);
    assert.match(text, /\[Open chart\]\(command:scenarioLab\.showMetricChart\?/);
    const chartArgs = JSON.parse(decodeURIComponent(/command:scenarioLab\.showMetricChart\?([^)]+)\)/.exec(text)![1]));
    assert.deepEqual(chartArgs, [{ metric: 'cooperation_level', scenario: 'AI Regulatory Negotiation', runId: RUN_ID }]);
    assert.match(text, /command:scenarioLab\.compareRuns\?/);
    const revealArgs = JSON.parse(decodeURIComponent(/command:scenarioLab\.revealMetric\?([^)]+)\)/.exec(text)![1]));
    assert.deepEqual(revealArgs, [{ metric: 'cooperation_level', scenario: 'AI Regulatory Negotiation' }]);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['scenarioLab.showMetricChart', 'scenarioLab.compareRuns', 'scenarioLab.revealMetric']) assert.ok(commands.includes(id), `${id} is not registered`);
    await vscode.commands.executeCommand('scenarioLab.revealMetric', ...revealArgs);
  });

  it('hovering the value the pattern extracted shows the same metric and the text it read', async () => {
    const text = await hoverText(document.uri, positionOf(document, '6.5/10', 1));
    assert.match(text, /cooperation\\_level/);
    assert.match(text, /This text reads "6\.5"/);
  });

  it('hovering an actor in a world state shows its action this turn with a link to its decision', async () => {
    const text = await hoverText(document.uri, positionOf(document, 'while China signalled', 7));
    assert.match(text, /\*\*China\*\* — action in turn 1/);
    assert.match(text, /titled "Turn 0" but holds the world after turn 1/);
    assert.match(text, /\[Open decision file\]\(command:scenarioLab\.openSource\?/);
    assert.ok(decodeURIComponent(text).includes(`${RUN}/china-001.md`));
  });

  it('is silent off a metric and when scenarioLab.hovers.enabled is false', async () => {
    assert.equal(await hoverText(document.uri, new vscode.Position(0, 2)), '');
    const config = vscode.workspace.getConfiguration('scenarioLab');
    await config.update('hovers.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await hoverText(document.uri, positionOf(document, 'cooperation level', 4)), '');
    } finally {
      await config.update('hovers.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('reviewer annotations', function () {
  this.timeout(90_000);
  let api: ScenarioLabApi;
  let testController: vscode.CommentController;
  const NOTE = 'Too optimistic for turn 1: nobody has conceded anything yet.';
  const sidecar = () => sidecarPath(workspacePath(RUN));
  const indexed = () => api.db.selectFrom('sl_annotations').selectAll().execute();

  before(async () => {
    api = await readyApi();
    // The reply a reviewer types into a new thread, as the Comments UI hands it to our command.
    testController = vscode.comments.createCommentController('scenarioLab.test', 'test');
  });
  after(() => {
    testController.dispose();
    fs.rmSync(path.dirname(sidecar()), { recursive: true, force: true });
  });

  it('writes a new annotation to the run sidecar, copies it into the index, the tree and the exports', async () => {
    const document = await vscode.workspace.openTextDocument(workspacePath(WORLD));
    await vscode.window.showTextDocument(document);
    const line = positionOf(document, 'Overall cooperation level').line;
    const thread = testController.createCommentThread(document.uri, new vscode.Range(line, 0, line, 0), []);
    await vscode.commands.executeCommand('scenarioLab.annotations.create', { thread, text: NOTE });
    const written = JSON.parse(fs.readFileSync(sidecar(), 'utf8'));
    assert.equal(written.format, 'scenario-lab-annotations');
    assert.equal(written.annotations.length, 1);
    assert.deepEqual([written.annotations[0].file, written.annotations[0].startLine, written.annotations[0].comments[0].body], ['world-state-000.md', line + 1, NOTE]);
    assert.match(written.annotations[0].quote[0], /Overall cooperation level: 6\.5\/10/);

    await vscode.commands.executeCommand('scenarioLab.annotations.setLabel', thread, 'implausible');
    await vscode.commands.executeCommand('scenarioLab.annotations.setRating', thread, 2);
    const row = await eventually(async () => (await indexed()).find((r) => r.label === 'implausible' && r.rating === 2), 'the index holds the labelled copy');
    assert.deepEqual([row.run_id, row.turn_num, row.start_line, row.body], [RUN_ID, 1, line + 1, NOTE]);

    const csvFile = vscode.Uri.file(path.join(os.tmpdir(), `sl-annotations-${process.pid}.csv`));
    await vscode.commands.executeCommand('scenarioLab.annotations.exportCsv', csvFile);
    const csv = fs.readFileSync(csvFile.fsPath, 'utf8');
    fs.rmSync(csvFile.fsPath); // a test's export, not to be left in the system's temp folder
    assert.match(csv, /^run_id,file,start_line/);
    assert.ok(csv.includes(RUN_ID) && csv.includes('implausible') && csv.includes(NOTE));
    const reportFile = vscode.Uri.file(path.join(os.tmpdir(), `sl-review-${process.pid}.md`));
    await vscode.commands.executeCommand('scenarioLab.annotations.exportReport', { runId: RUN_ID }, reportFile);
    const report = fs.readFileSync(reportFile.fsPath, 'utf8');
    fs.rmSync(reportFile.fsPath);
    assert.match(report, /^# Review of run run-20251124-193239/);
    // Run text is quoted in a fenced block, literal in any markdown renderer.
    assert.match(report, /```text\n(.*\n)*Delegates describe the atmosphere as constructive\. Overall cooperation level: 6\.5\/10\..*\n(.*\n)*```/, report);
    assert.ok(report.includes('implausible · 2/5'));
  });

  it('is rebuilt from the sidecar alone into a new, empty index (what deleting the index does)', async () => {
    const fresh = await openConnectedScenarioIndex(undefined);
    try {
      await fresh.index({ roots: [{ name: 'ws', absPath: vscode.workspace.workspaceFolders![0].uri.fsPath }], onlyFolders: [workspacePath(RUN)] });
      const rows = await fresh.kysely.selectFrom('sl_annotations').selectAll().execute();
      assert.deepEqual(rows.map((r) => [r.run_id, r.label, r.body]), [[RUN_ID, 'implausible', NOTE]]);
    } finally {
      await fresh.close();
    }
  });

  it('follows its text when lines are inserted above it, in the sidecar-backed index copy', async () => {
    const before = (await indexed())[0].start_line;
    const document = await vscode.workspace.openTextDocument(workspacePath(WORLD));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, 0), 'Inserted by the test.\n\nAnother inserted line.\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    await eventually(async () => (await indexed())[0]?.start_line === before + 3, 'the index copy moved with its text');
    const row = (await indexed())[0];
    assert.equal(row.outdated, 0);
    assert.match(document.lineAt(row.start_line - 1).text, /Overall cooperation level: 6\.5\/10/);
  });

  it('deletes the annotation with the thread', async () => {
    const document = await vscode.workspace.openTextDocument(workspacePath(WORLD));
    const line = positionOf(document, 'Negotiation stage').line;
    const thread = testController.createCommentThread(document.uri, new vscode.Range(line, 0, line, 0), []);
    await vscode.commands.executeCommand('scenarioLab.annotations.create', { thread, text: 'second' });
    assert.equal(JSON.parse(fs.readFileSync(sidecar(), 'utf8')).annotations.length, 2);
    await vscode.commands.executeCommand('scenarioLab.annotations.deleteThread', thread);
    assert.equal(JSON.parse(fs.readFileSync(sidecar(), 'utf8')).annotations.length, 1);
  });
});
