import { strict as assert } from 'node:assert';
import { parseJsonText, scanJsonLines } from '../../../src/core/format/jsonText';
import { linesOf, readSample } from './formatSamples';

describe('parseJsonText', () => {
  it('parses valid JSON with no problems', () => {
    assert.deepEqual(parseJsonText('{"a": [1, 2.5, "x"]}', 'run/costs.json'), { value: { a: [1, 2.5, 'x'] }, problems: [] });
  });

  it('reports an empty file instead of throwing', () => {
    const { value, problems } = parseJsonText('  \n', 'run/metrics.json');
    assert.equal(value, undefined);
    assert.deepEqual(problems, [{ file: 'run/metrics.json', line: 1, severity: 'error', message: 'metrics.json is empty' }]);
  });

  it('reports truncated text at the line where it ends, for many cut points', () => {
    const text = readSample('output/ai-summit/run-002/metrics.json');
    for (const fraction of [0.001, 0.1, 0.33, 0.5, 0.77, 0.999]) {
      const cut = text.slice(0, Math.floor(text.length * fraction));
      const { value, problems } = parseJsonText(cut, 'output/ai-summit/run-002/metrics.json');
      const lastLine = cut.split('\n').length;
      assert.equal(value, undefined, `cut at ${fraction}`);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].severity, 'error');
      assert.equal(problems[0].line, lastLine, `cut at ${fraction}`);
      assert.equal(problems[0].message, `metrics.json is truncated or not valid JSON: unexpected end at line ${lastLine}`);
    }
  });

  it('treats a cut inside a string, after an escape, or after a key as truncation', () => {
    for (const cut of ['{"a": "abc', '{"a": "ab\\', '{"a"', '{"a":', '[1,', '{"a": 1, "b', '[tru', '[1.', '[-']) {
      const { value, problems } = parseJsonText(cut, 'x.json');
      assert.equal(value, undefined);
      assert.match(problems[0].message, /truncated/, cut);
    }
  });

  it('points at the line and column of a syntax error in the middle', () => {
    const { value, problems } = parseJsonText('{\n  "a": 1,\n  "b": oops\n}', 'dir/state.json');
    assert.equal(value, undefined);
    assert.deepEqual(problems, [
      { file: 'dir/state.json', line: 3, severity: 'error', message: "state.json is not valid JSON: expected a value, found 'o' at line 3, column 8" },
    ]);
    assert.equal(parseJsonText('[1,\n2,\n]', 'x.json').problems[0].line, 3);
    assert.equal(parseJsonText('{"a": 1}\n{"b": 2}', 'x.json').problems[0].line, 2);
  });

  it("accepts Python's NaN, Infinity and -Infinity outside strings and leaves strings alone", () => {
    const text = '[{"value": NaN, "hi": Infinity, "lo": -Infinity, "label": "NaN or Infinity", "n": [NaN]}]';
    const { value, problems } = parseJsonText(text, 'metrics.json');
    assert.deepEqual(problems, []);
    const [record] = value as Array<Record<string, unknown>>;
    assert.ok(Number.isNaN(record.value));
    assert.equal(record.hi, Infinity);
    assert.equal(record.lo, -Infinity);
    assert.equal(record.label, 'NaN or Infinity');
    assert.ok(Number.isNaN((record.n as number[])[0]));
  });

  it('still reports real errors in files that contain NaN', () => {
    const { value, problems } = parseJsonText('[NaN,\n nope]', 'metrics.json');
    assert.equal(value, undefined);
    assert.equal(problems[0].line, 2);
  });

  it('ignores a byte order mark', () => {
    assert.deepEqual(parseJsonText('\ufeff[1]', 'x.json').value, [1]);
  });
});

describe('scanJsonLines', () => {
  it('finds the lines of the elements of the top-level array', () => {
    const text = '[\n  {"a": 1},\n  {\n    "b": "x]}\\"{"\n  },\n  3\n]';
    const lines = scanJsonLines(text, [[]]);
    assert.deepEqual(lines.get([0]), { startLine: 2, endLine: 2 });
    assert.deepEqual(lines.get([1]), { startLine: 3, endLine: 5 });
    assert.deepEqual(lines.get([2]), { startLine: 6, endLine: 6 });
    assert.equal(lines.size, 3);
  });

  it('starts object members at their key and decodes escaped keys', () => {
    const text = '{"decisions": {\n  "C\\u00f4te d\'Ivoire": {\n    "turn": 1\n  },\n  "OpenBrain/DeepCent Coalition": {"turn": 1}\n}}';
    const lines = scanJsonLines(text, [['decisions']]);
    assert.deepEqual(lines.get(['decisions', "Côte d'Ivoire"]), { startLine: 2, endLine: 4 });
    assert.deepEqual(lines.get(['decisions', 'OpenBrain/DeepCent Coalition']), { startLine: 5, endLine: 5 });
  });

  it('follows wildcards and several patterns in one pass', () => {
    const text = '{"a": {"x": {"list": [1,\n2]}, "y": {"list": [\n3]}}, "b": [\n"s"\n]}';
    const lines = scanJsonLines(text, [['a', '*', 'list'], ['b']]);
    assert.deepEqual(lines.get(['a', 'x', 'list', 1]), { startLine: 2, endLine: 2 });
    assert.deepEqual(lines.get(['a', 'y', 'list', 0]), { startLine: 3, endLine: 3 });
    assert.deepEqual(lines.get(['b', 0]), { startLine: 4, endLine: 4 });
    assert.equal(lines.size, 4);
  });

  it('gives line 1 for everything in compact JSON', () => {
    const compact = JSON.stringify(JSON.parse(readSample('output/ai-summit/run-002/costs.json')));
    const lines = scanJsonLines(compact, [['records']]);
    assert.equal(lines.size, 37);
    assert.deepEqual(lines.get(['records', 36]), { startLine: 1, endLine: 1 });
  });

  it('does not throw on truncated text and ends open elements at the last line', () => {
    const text = '[\n{"a": 1},\n{"b": [1,\n2';
    const lines = scanJsonLines(text, [[]]);
    assert.deepEqual(lines.get([1]), { startLine: 3, endLine: 4 });
    assert.doesNotThrow(() => scanJsonLines('}}]]"\\', [[], ['a']]));
  });

  it('locates every record of a sample costs.json at lines holding its timestamp', () => {
    const text = readSample('output/ai-summit/run-002/costs.json');
    const records = (JSON.parse(text) as { records: Array<{ timestamp: string }> }).records;
    const lines = scanJsonLines(text, [['records']]);
    records.forEach((record, index) => {
      const range = lines.get(['records', index]);
      assert.ok(range);
      assert.match(linesOf(text, range.startLine, range.startLine), /^\s*\{$/);
      assert.ok(linesOf(text, range.startLine, range.endLine).includes(`"timestamp": "${record.timestamp}"`));
    });
  });

  // A quadratic scan of these 12 MB would not finish within the time-out; speed itself is `npm run bench`'s.
  it('scans a large file (50,000 records) in one pass', function () {
    this.timeout(10000);
    const record = { name: 'trust_level', value: 6, turn: 1, timestamp: '2025-11-24T09:49:02.621673', metadata: { text: 'x'.repeat(200) } };
    const text = JSON.stringify(Array.from({ length: 50000 }, () => record), null, 2);
    const lines = scanJsonLines(text, [[]]);
    assert.equal(lines.size, 50000);
  });
});
