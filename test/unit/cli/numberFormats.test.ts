/**
 * CLI tables show figures as the panels do, through core/analytics/numberFormat: every cost as
 * `$0.0438` (4 decimals), a missing statistic as "–" (null in --json), one minus sign.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NO_VALUE } from '../../../src/core/analytics/numberFormat';
import { SHARED_SAMPLES } from '../helpers/paths';
import { runCli as cli } from '../helpers/processes';

const EXPERIMENT = 'Regulatory negotiation - model comparison';

describe('CLI number formats', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-formats-'));
    db = path.join(dir, 'index.db');
    assert.equal(cli('index', path.join(SHARED_SAMPLES, 'workspace-small'), '--db', db).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The cells of a column of a text table, by its header. */
  function column(text: string, header: string): string[] {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const head = lines[0];
    const rule = lines[1];
    const start = head.indexOf(header);
    const widths = rule.split('  ');
    let at = 0;
    const span = widths.map((w) => { const s = [at, at + w.length]; at += w.length + 2; return s; }).find(([, e]) => e >= start + header.length)!;
    return lines.slice(2).filter((l) => l.length >= span[0]).map((l) => l.slice(span[0], span[1]).trim());
  }

  it('experiments, variations and runs --where print every cost with $ and 4 decimals', () => {
    const outputs: Array<[string, string[]]> = [
      [cli('experiments', '--db', db).stdout, ['cost']],
      [cli('variations', EXPERIMENT, '--db', db).stdout, ['cost', 'avg cost']],
      [cli('runs', '--where', 'trust_level>=0', '--db', db).stdout, ['cost']],
    ];
    for (const [text, headers] of outputs) {
      assert.doesNotMatch(text, /cost \$/);
      for (const h of headers) {
        const cells = column(text.split('\n\n')[0].split('\n').slice(text.startsWith(EXPERIMENT) ? 1 : 0).join('\n'), h);
        assert.ok(cells.length > 0, h);
        for (const c of cells) assert.match(c, /^-?\$[\d,]+\.\d{4}$/, `${h}: ${c}`);
      }
    }
  });

  it('a statistic that does not exist (sd of one run) reads "–" as in the panels, and null in --json', () => {
    const text = cli('variations', EXPERIMENT, '--metric', 'cooperation_level', '--db', db).stdout;
    const table = text.split('\n\n')[0].split('\n').slice(1).join('\n');
    assert.deepEqual(column(table, 'sd'), [NO_VALUE, NO_VALUE]);
    const json = JSON.parse(cli('variations', EXPERIMENT, '--metric', 'cooperation_level', '--db', db, '--json').stdout);
    assert.equal(JSON.stringify(json).includes(NO_VALUE), false);
  });

  it('negative figures use the ASCII minus, never U+2212', () => {
    const text = cli('variations', EXPERIMENT, '--metric', 'cooperation_level', '--db', db).stdout;
    assert.match(text, /\s-1\.5\b/);
    assert.doesNotMatch(text, /\u2212/);
  });
});
