/**
 * A window on a shared PostgreSQL index (`scenarioLab.database.url`; run-tests.mjs opens a window of
 * its own for this suite, on a new database of $SCENARIO_LAB_TEST_PG_URL): the Runs view lists the
 * workspace's runs from the database, and when another indexer (the CLI, as on a colleague's machine)
 * adds or removes runs, the views and the analytics follow through LISTEN/NOTIFY, without an index
 * pass of this window.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import * as vscode from 'vscode';
import type { ScenarioLabApi } from '../../src/extension/extension';
import { loadRunsRoots } from '../../src/extension/runsTree';
import { NodeTreeProvider } from '../../src/extension/treeNodes';
import { EXTENSION_ID, eventually, readyApi, shownChildren } from './helpers';

/** The batch whose two folders carry one run id, which the sample workspace does not have. */
const OTHER_BATCH = 'experiments/model-comparison';
const OTHER_RUN_ID = 'run-20251124-090331';

describe('shared PostgreSQL index', function () {
  this.timeout(120_000);
  const databaseUrl = process.env.SCENARIO_LAB_TEST_DATABASE_URL;
  let api: ScenarioLabApi;
  let runs: NodeTreeProvider;
  let changes = 0;
  let elsewhere: string;

  /** The CLI indexing `folder` into the window's database as another machine would (its own source name). */
  const otherIndexer = async (folder: string) => {
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    await promisify(execFile)(process.execPath, [cli, 'index', folder, '--db', databaseUrl!, '--source', 'colleague-laptop']);
  };
  /** Run labels under a scenario, as the Runs view shows them after its refresh on the index change. */
  const runLabels = async (scenario: string) => {
    const node = (await shownChildren(runs)).find((s) => s.label === scenario);
    return node ? (await shownChildren(runs, node.node)).map((r) => r.label) : [];
  };

  before(async function () {
    if (!databaseUrl) this.skip(); // only run-tests.mjs's PostgreSQL window has it
    api = await readyApi();
    runs = new NodeTreeProvider(async () => (await loadRunsRoots(api.analytics)).scenarios);
    api.onDidChangeIndex(() => {
      changes++;
      runs.refresh();
    });
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-other-indexer-'));
  });
  after(() => {
    if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it('lists the workspace runs from the PostgreSQL database', async () => {
    assert.equal(api.indexFile, undefined, 'no index file: the index is the database');
    const engine = await sql<{ version: string }>`SELECT version() AS version`.execute(api.db);
    assert.match(engine.rows[0].version, /^PostgreSQL/);
    const scenarios = await shownChildren(runs);
    assert.deepEqual(
      scenarios.filter((s) => /^\d+ runs?\b/.test(s.description)).map((s) => `${s.label}: ${s.description}`),
      ['AI Regulatory Negotiation: 6 runs', 'AI Safety Summit 2026: 4 runs'],
    );
    assert.equal((await api.analytics.listRuns()).length, 10);
  });

  it('shows the runs another indexer adds, and drops those it removes, without a pass of its own', async () => {
    const fixture = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'cases', 'shared-run-id-batch');
    fs.cpSync(fixture, elsewhere, { recursive: true });
    const before = changes;
    await otherIndexer(elsewhere);
    // The notification is handed on after changeListener.ts's debounce, so a query can see the rows
    // before the window hears of them: wait for the event itself, then look at the view it refreshed.
    await eventually(() => changes > before, 'the index change reached the window (LISTEN/NOTIFY)', 30_000);
    await eventually(async () => (await runLabels('AI Safety Summit 2026')).includes('var-001-run-001 (+1 folder)'), "the other indexer's run in the Runs view", 30_000);
    const added = (await api.analytics.listRuns()).find((r) => r.id === OTHER_RUN_ID);
    assert.deepEqual(added?.folders.map((f) => f.path.split('/').slice(-4).join('/')), [`${OTHER_BATCH}/runs/var-001-run-001`, `${OTHER_BATCH}/runs/var-001-run-002`]);

    fs.rmSync(path.join(elsewhere, OTHER_BATCH), { recursive: true });
    const beforeRemoval = changes;
    await otherIndexer(elsewhere);
    await eventually(() => changes > beforeRemoval, 'the removal reached the window (LISTEN/NOTIFY)', 30_000);
    await eventually(async () => !(await runLabels('AI Safety Summit 2026')).some((label) => label.startsWith('var-001-run-001')), 'the removed run leaves the Runs view', 30_000);
    assert.equal((await api.analytics.listRuns()).filter((r) => r.id === OTHER_RUN_ID).length, 0);
    assert.equal((await api.analytics.listRuns()).length, 10);
  });
});
