/**
 * spreadsheetField(): the one guard for text that CSV exports and the SQL grid's TSV copy hand to a
 * spreadsheet. What a spreadsheet reader (SheetJS) makes of the fields is what is asserted.
 */
import { strict as assert } from 'node:assert';
import * as XLSX from 'xlsx';
import { spreadsheetField } from '../../../src/core/text/spreadsheetText';

const FORMULAS = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1+1', '\r=1+1', ' =1+1', '\n\n+1', '\u3000=1+1', '＝1+1', '＋1', '－1', '＠SUM(1)', ' ＝1'];

describe('spreadsheetField', () => {
  for (const separator of [',', '\t'] as const) {
    const name = separator === ',' ? 'CSV' : 'TSV';

    it(`${name}: a formula start is text behind one apostrophe, and each field stays one cell`, () => {
      const text = FORMULAS.map((f, i) => `${spreadsheetField(f, separator)}${separator}${spreadsheetField(i, separator)}`).join('\r\n');
      const sheet = XLSX.read(text, { type: 'string', raw: false, FS: separator }).Sheets.Sheet1;
      FORMULAS.forEach((formula, i) => {
        const cell = sheet[`A${i + 1}`];
        assert.equal(cell.f, undefined, `no formula from ${JSON.stringify(formula)}`);
        assert.equal(cell.v, `'${formula}`);
        assert.equal(sheet[`B${i + 1}`].v, i, 'the row stays one row');
      });
      // The reader does evaluate what is not neutralised: this test can fail.
      assert.equal(XLSX.read(`x\r\n=1+1${separator}2\r\n`, { type: 'string', FS: separator }).Sheets.Sheet1.A2.f, '1+1');
    });
  }

  it('quotes text holding a quote, the separator or a line break; the other separator needs no quotes', () => {
    assert.equal(spreadsheetField('say "hi"', ','), '"say ""hi"""');
    assert.equal(spreadsheetField('a,b', ','), '"a,b"');
    assert.equal(spreadsheetField('a,b', '\t'), 'a,b');
    assert.equal(spreadsheetField('a\tb', '\t'), '"a\tb"');
    assert.equal(spreadsheetField('a\tb', ','), 'a\tb');
    assert.equal(spreadsheetField('line1\nline2', '\t'), '"line1\nline2"');
    assert.equal(spreadsheetField('=HYPERLINK("x")', '\t'), `"'=HYPERLINK(""x"")"`);
  });

  it('leaves ordinary text and numbers as they are; nothing is empty; non-finite numbers are words', () => {
    assert.equal(spreadsheetField('plain - text', ','), 'plain - text');
    assert.equal(spreadsheetField(-3.5, ','), '-3.5');
    assert.equal(spreadsheetField(0.04376212000000001, '\t'), '0.04376212000000001');
    assert.equal(spreadsheetField(null, ','), '');
    assert.equal(spreadsheetField(undefined, '\t'), '');
    assert.deepEqual([Infinity, -Infinity, NaN].map((n) => spreadsheetField(n, ',')), ['Infinity', '-Infinity', 'NaN']);
  });
});
