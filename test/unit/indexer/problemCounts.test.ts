/**
 * Counts that agree: the number of problems an index pass reports (the CLI's summary, the
 * extension's status message) is the number `problems` and the Problems panel list: scenario
 * definition problems and problems of folders the pass did not re-read included.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openScenarioIndex, type ScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { runCli as cli } from '../helpers/processes';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');


describe('problem counts that agree', function () {
  this.timeout(60000);
  let workspace: string;
  let index: ScenarioIndex;
  const reindex = () => index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-counts-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    const past = new Date(Date.now() - 10 * 60_000);
    for (const entry of fs.readdirSync(workspace, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), past, past);
    }
    // A problem outside any run folder (a scenario definition) and one in a run folder.
    fs.appendFileSync(path.join(workspace, 'scenarios/ai-summit/scenario.yaml'), '\nbroken: [unclosed\n');
    fs.writeFileSync(path.join(workspace, 'output/ai-summit/run-002/costs.json'), '{"total_cost": 0.1, "records": [');
    index = await openScenarioIndex(undefined);
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reports as many problems as the index lists, on the first pass and on later passes that re-read other folders', async () => {
    const first = await reindex();
    const listed = await index.analytics.listProblems();
    assert.ok(listed.some((p) => p.folder === null && p.file.startsWith('scenarios/ai-summit')), 'a scenario definition problem');
    assert.ok(listed.some((p) => p.file === 'output/ai-summit/run-002/costs.json'), 'a run folder problem');
    assert.equal(first.problems, listed.length);

    const file = path.join(workspace, 'output/ai-summit/run-003/china-001.md');
    fs.appendFileSync(file, '\n');
    const second = await reindex();
    assert.equal(second.foldersIndexed, 1);
    assert.equal(second.problems, (await index.analytics.listProblems()).length);

    const nothing = await reindex();
    assert.equal(nothing.foldersIndexed, 0);
    assert.equal(nothing.problems, (await index.analytics.listProblems()).length);
  });

  it('prints a summary whose count is the number of problems `problems` lists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-counts-cli-'));
    try {
      const db = path.join(dir, 'c.db');
      for (const pass of [1, 2]) {
        if (pass === 2) fs.appendFileSync(path.join(workspace, 'output/ai-summit/run-003/china-001.md'), '\n');
        const indexed = cli('index', workspace, '--db', db);
        assert.equal(indexed.code, 0, indexed.stderr);
        const summary = Number(/(\d+) problem\(s\)/.exec(indexed.stdout)?.[1]);
        const listed = JSON.parse(cli('problems', '--json', '--db', db).stdout) as unknown[];
        assert.equal(summary, listed.length, `pass ${pass}: ${indexed.stdout}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
