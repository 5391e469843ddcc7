/**
 * `scenario-lab actor-strategy` end to end (the bundled CLI, spawned): its --json shape, the
 * readable output with hostile action text made inert, and its exit statuses.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli as cli, CLI } from '../helpers/processes';
import { writeSampleWorkspace } from '../helpers/sampleFiles';

const BATCH = 'experiments/model-comparison';
// A window-title change and a bidi override, as an LLM could write them into an action.
const HOSTILE = '\u001b]0;pwned\u0007 will \u202etake the following steps';

describe('scenario-lab actor-strategy', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-strategy-cli-'));
    const ws = path.join(dir, 'ws');
    // The markdown holds the action text (the state file does not repeat it).
    writeSampleWorkspace(ws, { runs: 0, turns: 3, actors: 3, scenarios: 1, seed: 'strategy-cli', batchRunsPerVariation: 3, batchVariations: 3, batchFailures: 2 }, (relative, content) =>
      relative.endsWith('.md') ? content.replace(/ will take the following steps/g, HOSTILE) : content,
    );
    db = path.join(dir, 'index.db');
    const indexed = cli('index', ws, '--db', db);
    assert.equal(indexed.code, 0, indexed.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json: the documented shape, exact action text, one action slot per run folder', () => {
    const result = cli('actor-strategy', BATCH, '--actor', 'China', '--turn', '2', '--terms', '3', '--db', db, '--json');
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(out), ['actor', 'scope', 'grouped_by', 'include_failed', 'turns', 'turn', 'groups']);
    assert.deepEqual(out.scope, { kind: 'experiment', experiment_name: out.scope.experiment_name, folder: BATCH });
    assert.equal(out.grouped_by, 'variation');
    assert.equal(out.turn, 2);
    assert.equal(out.groups.length, 3);
    for (const g of out.groups) {
      assert.deepEqual(Object.keys(g), ['key', 'label', 'description', 'variation_id', 'run_folders', 'runs', 'decisions', 'decisions_per_run', 'tokens', 'terms', 'actions']);
      assert.ok(g.terms.length <= 3);
      for (const t of g.terms) assert.deepEqual(Object.keys(t), ['term', 'count', 'other_count', 'z_score']);
      assert.deepEqual(g.actions.map((a: any) => a.folder), g.run_folders);
      for (const a of g.actions) {
        assert.deepEqual(Object.keys(a), ['folder', 'run_id', 'decision_id', 'action', 'file', 'line']);
        assert.ok(a.action.startsWith(`China${HOSTILE}`), a.action);
        assert.match(a.file, /china-002\.md$/);
      }
    }
  });

  it('the readable output shows control characters escaped', () => {
    const result = cli('actor-strategy', BATCH, '--actor', 'China', '--db', db);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!/[\u001b\u0007\u202e]/.test(result.stdout));
    assert.ok(result.stdout.includes('China\\x1b]0;pwned\\x07 will \\u202etake'));
    assert.match(result.stdout, /^variation\s+description\s+runs\s+decisions\s+per run\s+distinctive terms/m);
    assert.match(result.stdout, /^Turn 1 \(turns with decisions: 1, 2, 3\)$/m);
  });

  it('exit statuses: an unknown actor or target is 1, bad arguments are 2', () => {
    assert.equal(cli('actor-strategy', BATCH, '--actor', 'Nobody', '--db', db).code, 1);
    const missing = cli('actor-strategy', 'no-such-batch', '--actor', 'China', '--db', db);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no experiment or scenario named no-such-batch/);
    assert.equal(cli('actor-strategy', BATCH, '--db', db).code, 2);
    assert.equal(cli('actor-strategy', BATCH, '--actor', 'China', '--turn', 'two', '--db', db).code, 2);
  });
});
