/**
 * Exports of annotations and metrics carry untrusted text (run files are LLM output; comments are
 * typed by anyone): the review report rendered by markdown-it as VS Code's Markdown preview
 * configures it (HTML on, links found in text) shows the text and nothing live, and CSV read by
 * SheetJS, as a spreadsheet reads it, holds no formula.
 */
import { strict as assert } from 'node:assert';
import * as XLSX from 'xlsx';
import type { AnnotationRecord } from '../../../src/core/analytics/annotations';
import { toCsv } from '../../../src/core/analytics/csv';
import { reviewReport } from '../../../src/core/analytics/annotationReport';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: object) => { render(text: string): string };

const HOSTILE = [
  '<img src="http://127.0.0.1:9/pixel.png">',
  '![pixel](http://127.0.0.1:9/pixel.png)',
  '[click me](command:workbench.action.terminal.new)',
  '[run](javascript:alert(1))',
  '<command:workbench.action.openSettings>',
  '<a href="command:scenarioLab.reindexWorkspace">reindex</a>',
  '<script>alert(1)</script><iframe src="http://127.0.0.1:9/"></iframe>',
  '````\n# not a heading\n````',
  '```\n<img src=x onerror=alert(1)>',
  '&lt;img src=x&gt; &#106;avascript:',
].join('\n');

function record(overrides: Partial<AnnotationRecord>): AnnotationRecord {
  return {
    id: 'a1', runId: 'run-1', folder: 'output/s/run-001', file: 'output/s/run-001/china-001.md', startLine: 3, endLine: 5, outdated: false,
    quote: 'quoted', label: null, rating: null, resolved: false, turnNum: 1, actor: 'China',
    comments: [{ id: 'c1', author: 'reviewer', body: 'fine', created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z' }],
    created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z',
    ...overrides,
  } as AnnotationRecord;
}

describe('exports of untrusted text', () => {
  it('the review report quotes run text and comments so the Markdown preview renders nothing live', () => {
    const report = reviewReport('run-1<img src=x>', [
      record({
        quote: HOSTILE,
        actor: '<img src="http://127.0.0.1:9/actor.png">',
        comments: [{ id: 'c1', author: '[me](command:x)', body: HOSTILE, created: '2026-01-01', updated: '2026-01-01' } as AnnotationRecord['comments'][number]],
      }),
    ]);
    const html = new MarkdownIt({ html: true, linkify: true }).render(report);
    assert.doesNotMatch(html, /<img|<script|<iframe|<a\s/i, 'no image, script, frame or link element');
    assert.doesNotMatch(html, /<[a-z]+[^>]*\s(href|src)=/i, 'no element with a link or source attribute');
    assert.doesNotMatch(html, /<h1>not a heading/, 'a backtick fence in the quote cannot close ours');
    // The text itself is all there, shown as text.
    const shown = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    for (const line of HOSTILE.split('\n')) assert.ok(shown.includes(line), line);
  });

  it('CSV: formula starts, also after spaces or line breaks and in full-width forms, are text in a spreadsheet', () => {
    const hostile = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1+1', '\r=1+1', ' =1+1', '  @SUM(1)', '\n=1+1', '\n\n+1', '\u3000=1+1', '＝1+1', '＋1', '－1', '＠SUM(1)', ' ＝1'];
    const csv = toCsv(['text', 'n'], hostile.map((text, i) => [text, i]));
    const sheet = XLSX.read(csv, { type: 'string', raw: false }).Sheets.Sheet1;
    hostile.forEach((text, i) => {
      const cell = sheet[`A${i + 2}`];
      assert.equal(cell.f, undefined, `no formula from ${JSON.stringify(text)}`);
      assert.equal(cell.t, 's', `text, not a number, from ${JSON.stringify(text)}`);
      assert.equal(cell.v, `'${text}`, 'the value is the text behind one apostrophe');
      assert.equal(sheet[`B${i + 2}`].v, i, 'the row stays one row');
    });
    // The reader does evaluate what is not neutralised: this test can fail.
    assert.equal(XLSX.read('x\r\n=1+1\r\n', { type: 'string' }).Sheets.Sheet1.A2.f, '1+1');
    // Ordinary text and numbers are untouched.
    assert.equal(toCsv(['a'], [['plain - text'], [-3.5]]), 'a\r\nplain - text\r\n-3.5\r\n');
  });
});
