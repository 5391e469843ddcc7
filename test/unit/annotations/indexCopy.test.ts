/**
 * The index's copy of the annotations: read from the sidecar with the run folder, placed on the
 * current text, linked to the turn and decision, and rebuilt from the sidecar alone.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { anchorFor, splitLines } from '../../../src/core/annotations/anchoring';
import { sidecarPath, updateSidecar } from '../../../src/core/annotations/sidecarStore';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { anAnnotation } from './builders';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const RUN = 'output/ai-regulatory-negotiation/run-003';
const RUN_ID = 'run-20251124-193239';

describe('annotations in the index', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const runDir = () => path.join(workspace, RUN);
  const reindex = () => index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
  /** Folder ids differ between index builds; everything else must not. */
  const rows = async () => (await index.kysely.selectFrom('sl_annotations').selectAll().orderBy('id').execute()).map(({ folder_id: _, ...row }) => row);

  /** An annotation on the line of `file` that contains `needle`. */
  function annotate(file: string, needle: string, overrides = {}) {
    const lines = splitLines(fs.readFileSync(path.join(runDir(), file), 'utf8'));
    const line = lines.findIndex((l) => l.includes(needle)) + 1;
    assert.ok(line > 0, `${needle} not in ${file}`);
    return anAnnotation({ ...anchorFor(file, lines, line, line), ...overrides });
  }

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-annotations-index-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    index = await openConnectedScenarioIndex(undefined);
    await reindex();
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('copies a new sidecar into the index, linked to the run, turn and decision, without a problem', async () => {
    const onWorld = annotate('world-state-000.md', 'Overall cooperation level', { label: 'plausible', rating: 4 });
    const onDecision = annotate('china-001.md', '## Action');
    await updateSidecar(runDir(), { kind: 'add', annotation: onWorld }, { kind: 'add', annotation: onDecision });
    const report = await reindex();
    assert.equal(report.foldersIndexed, 1, 'only the annotated folder is re-read');
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    const world = byId.get(onWorld.id)!;
    const decision = byId.get(onDecision.id)!;
    assert.deepEqual(
      [world.run_id, world.file, world.start_line, world.turn_num, world.decision_id, world.label, world.rating, world.outdated],
      [RUN_ID, `${RUN}/world-state-000.md`, onWorld.startLine, 1, null, 'plausible', 4, 0],
    );
    assert.equal(decision.turn_num, 1);
    assert.equal(decision.actor, 'China');
    assert.ok(decision.decision_id);
    const problems = await index.analytics.listProblems();
    assert.deepEqual(problems.filter((p) => p.file.includes('.scenario-lab')), []);
    assert.equal((await index.analytics.getRunStatistics(RUN_ID))?.annotationCount, 2, 'run statistics count the annotations');
  });

  it('follows the text when lines are inserted above, and marks deleted text outdated', async () => {
    const a = annotate('world-state-000.md', 'Overall cooperation level');
    const b = annotate('world-state-000.md', 'Negotiation stage');
    await updateSidecar(runDir(), { kind: 'add', annotation: a }, { kind: 'add', annotation: b });
    const file = path.join(runDir(), 'world-state-000.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('## Current Situation\n', '## Current Situation\n\nINSERTED ONE\nINSERTED TWO\n').replace(/^Negotiation stage: exploratory.*$/m, ''));
    await reindex();
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    assert.deepEqual([byId.get(a.id)!.start_line, byId.get(a.id)!.outdated], [a.startLine + 3, 0]);
    assert.deepEqual([byId.get(b.id)!.start_line, byId.get(b.id)!.outdated], [b.startLine, 1]);
  });

  it('rebuilds the same copy from the sidecar into a new, empty index', async () => {
    await updateSidecar(runDir(), { kind: 'add', annotation: annotate('world-state-000.md', 'Overall cooperation level') });
    await reindex();
    const before = await rows();
    await index.close();
    index = await openConnectedScenarioIndex(undefined);
    await reindex();
    assert.deepEqual(await rows(), before);
  });

  it('drops the copy when the sidecar is deleted, and reports a broken sidecar as a problem', async () => {
    await updateSidecar(runDir(), { kind: 'add', annotation: annotate('world-state-000.md', 'Overall cooperation level') });
    await reindex();
    fs.writeFileSync(sidecarPath(runDir()), '{ broken');
    await reindex();
    assert.equal((await rows()).length, 0);
    const problems = await index.analytics.listProblems();
    assert.ok(problems.some((p) => p.file.endsWith('.scenario-lab/annotations.json') && p.severity === 'error'));
    fs.rmSync(sidecarPath(runDir()));
    await reindex();
    assert.equal((await index.analytics.listProblems()).filter((p) => p.file.includes('.scenario-lab')).length, 0);
  });
});
