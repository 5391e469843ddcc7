import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover, walkRunFolders } from '../../../src/core/discover/discoverFolders';
import { openConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT, SHARED_SAMPLES } from '../helpers/paths';

const ROOT = { name: 'ws', absPath: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small') };

describe('discover', () => {
  it('finds every run folder and scenario definition of the sample workspace, whatever the layout', () => {
    const found = discover([ROOT]);
    assert.deepEqual(found.runFolders.map((f) => f.key).sort(), [
      'experiments/regulatory-model-comparison/runs/var-001-run-001',
      'experiments/regulatory-model-comparison/runs/var-002-run-001',
      'output/ai-regulatory-negotiation/run-001',
      'output/ai-regulatory-negotiation/run-002',
      'output/ai-regulatory-negotiation/run-003',
      'output/ai-regulatory-negotiation/run-004',
      'output/ai-summit/run-001',
      'output/ai-summit/run-002',
      'output/ai-summit/run-003',
      'output/ai-summit/run-004',
    ]);
    assert.deepEqual(found.scenarioFolders.map((f) => f.key).sort(), ['scenarios/ai-regulatory-negotiation', 'scenarios/ai-summit']);
  });

  it('walks as a stream: the same run folders in the same order, and with names only the same rest', () => {
    const found = discover([ROOT]);
    for (const statRunFiles of [true, false]) {
      const walk = walkRunFolders([ROOT], {}, statRunFiles);
      const keys: string[] = [];
      let next = walk.next();
      for (; !next.done; next = walk.next()) {
        keys.push(next.value.key);
        assert.deepEqual(next.value.files.map((f) => f.name), found.runFolders[keys.length - 1].files.map((f) => f.name));
      }
      assert.deepEqual(keys, found.runFolders.map((f) => f.key));
      assert.deepEqual(next.value, { scenarioFolders: found.scenarioFolders, batchFolders: found.batchFolders, problems: found.problems });
    }
    // Named only: a run folder's files of known kinds are not stat'ed.
    const [named] = walkRunFolders([ROOT], {}, false);
    assert.ok(named.files.some((f) => f.size === 0 && f.name.endsWith('.md')));
    assert.ok(discover([ROOT]).runFolders[0].files.every((f) => f.size > 0 || f.fault));
  });

  it('looks only where the include globs say and never enters excluded folders', () => {
    const included = discover([ROOT], { include: ['experiments/**'] });
    assert.deepEqual(included.runFolders.map((f) => f.key).sort(), [
      'experiments/regulatory-model-comparison/runs/var-001-run-001',
      'experiments/regulatory-model-comparison/runs/var-002-run-001',
    ]);
    const excluded = discover([ROOT], { exclude: ['output/ai-summit', '**/var-002-*'] });
    const keys = excluded.runFolders.map((f) => f.key);
    assert.equal(keys.filter((k) => k.startsWith('output/ai-summit/')).length, 0);
    assert.ok(!keys.some((k) => k.includes('var-002')));
    assert.equal(keys.length, 5);
  });

  it('prefixes keys with the root name when several roots are indexed together', () => {
    const other = { name: 'copy', absPath: path.join(ROOT.absPath, 'output') };
    const found = discover([ROOT, other]);
    assert.ok(found.runFolders.some((f) => f.key === 'ws/output/ai-summit/run-002'));
    assert.ok(found.runFolders.some((f) => f.key === 'copy/ai-summit/run-002'));
  });
});

describe('names that are not UTF-8', function () {
  this.timeout(30000);
  let ws: string;
  const RUN = 'output/ai-summit/run-004';
  const bytes = (dir: string, ...name: number[]) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name)]);

  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-names-'));
    fs.cpSync(path.join(SHARED_SAMPLES, 'workspace-small', RUN), path.join(ws, RUN), { recursive: true });
    // As a zip made on Windows leaves them on Linux: cp437 "é" (0x82) in a file name, cp1252 "ü" (0xFC) in a folder name.
    fs.writeFileSync(bytes(path.join(ws, RUN), ...Buffer.from('notes-caf'), 0x82, ...Buffer.from('.md')), '# notes\n');
    fs.mkdirSync(bytes(path.join(ws, 'output', 'ai-summit'), ...Buffer.from('run-m'), 0xfc, ...Buffer.from('nchen')));
    fs.writeFileSync(bytes(path.join(ws, 'output', 'ai-summit'), ...Buffer.from('run-m'), 0xfc, ...Buffer.from('nchen'), ...Buffer.from('/scenario-state.json')), '{}');
    // A name that is valid UTF-8 and holds U+FFFD itself is an ordinary name.
    fs.writeFileSync(path.join(ws, RUN, 'odd-\ufffd.txt'), 'x');
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('reports each undecodable name at its folder and lists the rest', () => {
    const found = discover([{ name: 'ws', absPath: ws }]);
    assert.deepEqual(found.runFolders.map((f) => f.key), [RUN]);
    const run = found.runFolders[0];
    const faults = run.files.filter((f) => f.fault);
    assert.deepEqual(faults.map((f) => [f.name, f.faultAtFolder]), [['notes-caf\\x82.md', true]]);
    assert.ok(run.files.some((f) => f.name === 'odd-\ufffd.txt' && !f.fault));
    assert.equal(run.files.filter((f) => !f.fault).length, 20);
    assert.deepEqual(found.problems.map((p) => [p.file, p.severity]), [['output/ai-summit', 'warning']]);
    assert.match(found.problems[0].message, /folder name run-m\\xFCnchen in this folder is not valid UTF-8/);
  });

  it('indexes the run and shows both problems (CLI and Problems panel source)', async () => {
    const index = await openConnectedScenarioIndex(undefined);
    try {
      const report = await index.index({ roots: [{ name: 'ws', absPath: ws }], read: { pendingWindowMs: 0 } });
      assert.equal(Number(index.db.exec('SELECT COUNT(*) FROM runs')[0].values[0][0]), 1);
      const problems = index.db.exec('SELECT file, message FROM sl_problems WHERE message LIKE ? ORDER BY file', ['%not valid UTF-8%'])[0].values;
      assert.deepEqual(problems.map((p) => p[0]), ['output/ai-summit', RUN]);
      assert.match(String(problems[1][1]), /notes-caf\\x82\.md/);
      assert.equal(report.problems, Number(index.db.exec('SELECT COUNT(*) FROM sl_problems')[0].values[0][0]));
      // Nothing changed: the folder is not read again, and its problem stays.
      const again = await index.index({ roots: [{ name: 'ws', absPath: ws }], read: { pendingWindowMs: 0 } });
      assert.equal(again.foldersIndexed, 0);
      assert.equal(index.db.exec('SELECT COUNT(*) FROM sl_problems WHERE message LIKE ?', ['%not valid UTF-8%'])[0].values[0][0], 2);
    } finally {
      await index.close();
    }
  });
});
