/**
 * The notebook hand-off for real: `scenario-lab notebook` writes the .ipynb for a generated batch with
 * failed runs, Python (Debian's python3 with pandas and SciPy) executes its code cells on our index
 * file, and the table they compute is the CLI's `variations --metric --json`. Also: it never overwrites.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { experimentNotebook } from '../../../src/core/notebook/experimentNotebook';
import { runCli as cli, CLI } from '../helpers/processes';
import { writeSampleWorkspace } from '../helpers/sampleFiles';

const BATCH = 'experiments/model-comparison';
const PYTHON = '/usr/bin/python3';

/** Runs every code cell of the notebook in order in one Python process, then `epilogue`; returns stdout. */
function executeCells(notebook: { cells: Array<{ cell_type: string; source: string[] }> }, epilogue: string): string {
  const script = [...notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')), epilogue].join('\n\n');
  const result = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function close(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${where}: ${actual} vs ${expected}`);
  else assert.deepEqual(actual, expected, where);
}

describe('notebook hand-off', function () {
  this.timeout(120000);
  let dir: string;
  let db: string;

  before(function () {
    if (spawnSync(PYTHON, ['-c', 'import pandas, scipy']).status !== 0) {
      // scripts/vscode-host/install.sh installs python3-pandas and python3-scipy (as CI does).
      if (process.env.CI) assert.fail('python3-pandas and python3-scipy are required in CI');
      this.skip();
    }
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-notebook-'));
    const ws = path.join(dir, 'ws');
    writeSampleWorkspace(ws, { runs: 0, turns: 4, actors: 3, scenarios: 1, seed: 'notebook', batchRunsPerVariation: 5, batchVariations: 3, batchFailures: 4 });
    db = path.join(dir, 'index.db');
    const indexed = cli('index', ws, '--db', db);
    assert.equal(indexed.code, 0, indexed.stderr);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('its code cells compute the same per-variation table and comparisons as variations --metric --json', () => {
    const out = path.join(dir, 'analysis.ipynb');
    const written = cli('notebook', BATCH, '--metric', 'cooperation_level', '--db', db, '--out', out);
    assert.equal(written.code, 0, written.stderr);
    const notebook = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(notebook.nbformat, 4);
    assert.equal(notebook.cells[0].cell_type, 'markdown');
    assert.ok(notebook.cells.some((c: any) => c.cell_type === 'markdown' && c.source.join('').includes('Database(f"sqlite:///{INDEX_FILE}")')));
    const computed = JSON.parse(executeCells(notebook, 'import json\nprint(json.dumps({"table": json.loads(table.to_json(orient="records", double_precision=15)), "comparisons": json.loads(comparisons.to_json(orient="records", double_precision=15))}))'));
    const expected = JSON.parse(cli('variations', BATCH, '--metric', 'cooperation_level', '--db', db, '--json').stdout);
    assert.ok(expected.variations.some((v: any) => v.runs_failed > 0), 'the batch has failed runs');
    assert.equal(computed.table.length, expected.variations.length);
    expected.variations.forEach((v: any, i: number) => {
      const row = computed.table[i];
      for (const key of ['variation_id', 'description', 'runs_completed', 'runs_failed', 'total_cost', 'avg_cost_per_run']) close(row[key], v[key], `${key} of variation ${v.variation_id}`);
      assert.deepEqual(JSON.parse(row.modifications), v.modifications);
      for (const key of Object.keys(v.final)) close(row[key], v.final[key], `final.${key} of variation ${v.variation_id}`);
    });
    assert.equal(computed.comparisons.length, expected.comparisons.length);
    expected.comparisons.forEach((c: any, i: number) => {
      for (const key of Object.keys(c)) close(computed.comparisons[i][key], c[key], `comparison ${c.variation_id} ${key}`);
    });
  });

  it('never overwrites: an existing --out is refused and kept; without --out a free name beside the index', () => {
    const taken = path.join(dir, 'taken.ipynb');
    fs.writeFileSync(taken, 'mine');
    const refused = cli('notebook', BATCH, '--db', db, '--out', taken);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /never written over a file/);
    assert.equal(fs.readFileSync(taken, 'utf8'), 'mine');
    assert.equal(cli('notebook', BATCH, '--db', db).code, 0);
    assert.equal(cli('notebook', BATCH, '--db', db).code, 0);
    assert.ok(fs.existsSync(path.join(dir, 'model-comparison.ipynb')));
    assert.ok(fs.existsSync(path.join(dir, 'model-comparison-2.ipynb')));
    assert.equal(cli('notebook', 'no-such-batch', '--db', db).code, 1);
  });

  it('names from run files reach Python as exact string literals, never as code', () => {
    const hostile = 'x"; import os; os.system("touch pwned") #\n\'\'\' \\ ü';
    const notebook = experimentNotebook({ indexFile: path.join(dir, 'index.db'), experimentFolder: hostile, experimentName: '<img src=x onerror=alert(1)> *bold*', metric: hostile });
    const [first, setup] = notebook.cells;
    assert.ok(!/(^|[^\\])<img/.test(first.source.join('')) && first.source.join('').includes('\\<img'), 'markdown text is escaped');
    const printed = executeCells({ cells: [setup] }, 'import json\nprint(json.dumps([EXPERIMENT, METRIC]))');
    assert.deepEqual(JSON.parse(printed), [hostile, hostile]);
    assert.ok(!fs.existsSync('pwned'));
  });
});
