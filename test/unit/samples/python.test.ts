import { strict as assert } from 'node:assert';
import {
  comparePython, compactTime, isoformat, markdownTime, microsAt, pad3, py, pyFloatRepr, pyJson, pySlug, runIdTime,
} from '../../../src/tools/samples/python';

describe('samples/python: Python-compatible output', () => {
  it('writes floats like repr(float)', () => {
    const cases: Array<[number, string]> = [
      [5, '5.0'], [0, '0.0'], [-2.5, '-2.5'], [4.5, '4.5'], [1e25, '1e+25'], [1e16, '1e+16'],
      [1e15, '1000000000000000.0'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'],
      [0.00038114999999999997, '0.00038114999999999997'], [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [value, text] of cases) assert.equal(pyFloatRepr(value), text, String(value));
  });

  it('writes JSON like json.dump(indent=2) with ensure_ascii', () => {
    const value = { a: [], b: {}, c: [1, py(2), 'Côte d\'Ivoire — “x”\n'], d: { e: null, f: true } };
    assert.equal(
      pyJson(value),
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    2.0,\n    "C\\u00f4te d\'Ivoire \\u2014 \\u201cx\\u201d\\n"\n  ],\n' +
        '  "d": {\n    "e": null,\n    "f": true\n  }\n}',
    );
    const long = 'é'.repeat(300); // long strings take the cached path
    assert.equal(pyJson([long, long]), `[\n  "${'\\u00e9'.repeat(300)}",\n  "${'\\u00e9'.repeat(300)}"\n]`);
  });

  it('sorts like Python str: upper case before lower case, ASCII before accented letters', () => {
    const names = ['xAI Policy Team', "Côte d'Ivoire", 'Zambia', 'China', 'Émirats'];
    assert.deepEqual([...names].sort(comparePython), ['China', "Côte d'Ivoire", 'Zambia', 'xAI Policy Team', 'Émirats']);
    assert.ok(comparePython('\u{1F600}', '\uFFFF') > 0, 'astral characters sort after the BMP');
  });

  it('slugs only replace spaces', () => {
    assert.equal(pySlug("L'Oréal Group"), "l'oréal-group");
    assert.equal(pySlug('Japan (METI)'), 'japan-(meti)');
  });

  it('formats naive timestamps', () => {
    const us = microsAt(2025, 11, 24, 9, 48) + 35_886_395;
    assert.equal(isoformat(us), '2025-11-24T09:48:35.886395');
    assert.equal(isoformat(microsAt(2025, 11, 24, 9, 48)), '2025-11-24T09:48:00', 'no fraction when microseconds are 0');
    assert.equal(markdownTime(us), '2025-11-24 09:48:35');
    assert.equal(compactTime(us), '20251124094835886395');
    assert.equal(runIdTime(us), '20251124-094835');
    assert.equal(pad3(7), '007');
    assert.equal(pad3(1000), '1000');
  });
});
