import { strict as assert } from 'node:assert';
import { parseMetricsJson } from '../../../src/core/format/metricsJson';
import { linesOf, readSample, V1_RUN_FOLDER, V2_RUN_FOLDERS } from './formatSamples';

describe('parseMetricsJson', () => {
  for (const folder of V2_RUN_FOLDERS) {
    it(`reads ${folder}/metrics.json with no problems and spans on each record's lines`, () => {
      const file = `${folder}/metrics.json`;
      const text = readSample(file);
      const { value, problems } = parseMetricsJson(text, file);
      assert.deepEqual(problems, []);
      assert.ok(value?.version === 'v2');
      const raw = JSON.parse(text) as Array<{ name: string; value: number; turn: number; timestamp: string; metadata?: { actor?: string | null } }>;
      assert.equal(value.records.length, raw.length);
      value.records.forEach((record, index) => {
        assert.equal(record.name, raw[index].name);
        assert.equal(record.value, raw[index].value);
        assert.equal(record.turn, raw[index].turn);
        assert.equal(record.timestamp, raw[index].timestamp);
        // metrics.json never carries the record's own actor (docs/format.md#metrics-file).
        assert.equal(record.actor, null);
        assert.equal(record.metadataActor, raw[index].metadata?.actor ?? null);
        assert.equal(record.span.file, file);
        const lines = linesOf(text, record.span.startLine, record.span.endLine);
        assert.ok(lines.includes(`"name": "${record.name}"`), `record ${index} span ${record.span.startLine}-${record.span.endLine}`);
        assert.ok(lines.includes(`"timestamp": "${record.timestamp}"`));
      });
    });
  }

  it('keeps metadata.actor of actor-specific extracted metrics', () => {
    const { value } = parseMetricsJson(readSample('output/ai-summit/run-002/metrics.json'), 'metrics.json');
    assert.ok(value?.version === 'v2');
    const trust = value.records.filter((r) => r.name === 'trust_level' && r.turn === 1).map((r) => r.metadataActor);
    assert.deepEqual(trust, ['China', 'European Union', 'United Kingdom', 'United States']);
  });

  it('reads the V1 summary of output/ai-summit/run-001', () => {
    const file = `${V1_RUN_FOLDER}/metrics.json`;
    const text = readSample(file);
    const { value, problems } = parseMetricsJson(text, file);
    assert.deepEqual(problems, []);
    assert.ok(value?.version === 'v1');
    assert.deepEqual(
      value.metricsByTurn.map(({ turn, name, value: v }) => [turn, name, v]),
      [
        [1, 'cooperation_level', 5],
        [1, 'compliance_cost_estimate', 4.1],
        [2, 'funding_committed_united_kingdom', 59],
        [2, 'cooperation_level', 5],
        [2, 'compliance_cost_estimate', 3.8],
        [3, 'funding_committed_china', 42],
        [3, 'funding_committed_united_states', 28],
        [3, 'cooperation_level', 6.5],
        [3, 'compliance_cost_estimate', 4],
      ],
    );
    for (const metric of value.metricsByTurn) {
      assert.ok(linesOf(text, metric.span.startLine, metric.span.endLine).includes(`"${metric.name}": `));
    }
  });

  it('turns V1 booleans and numeric strings into numbers and skips other text with an info problem', () => {
    const text = '{"metrics_by_turn": {"1": {\n"agreed": true, "no": false, "n": "4.5",\n"label": "high", "nothing": null}}}';
    const { value, problems } = parseMetricsJson(text, 'run/metrics.json');
    assert.ok(value?.version === 'v1');
    assert.deepEqual(value.metricsByTurn.map((m) => [m.name, m.value]), [['agreed', 1], ['no', 0], ['n', 4.5]]);
    assert.deepEqual(problems.map((p) => [p.severity, p.line]), [['info', 3], ['info', 3]]);
    assert.match(problems[0].message, /"label" in turn 1 is not a number/);
  });

  it('keeps Infinity and -Infinity written by Python, and skips NaN (no column can hold it) with a problem at its record', () => {
    const text = '[\n{"name": "x", "value": Infinity, "turn": 1},\n{"name": "x", "value": NaN, "turn": 2},\n{"name": "x", "value": -Infinity, "turn": NaN}\n]';
    const { value, problems } = parseMetricsJson(text, 'metrics.json');
    assert.ok(value?.version === 'v2');
    assert.deepEqual(value.records.map((r) => [r.value, r.turn]), [[Infinity, 1], [-Infinity, 0]]);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [
      [3, '"value" of metric record 2 is NaN (SQLite cannot store NaN); the record is skipped'],
      [4, '"turn" of metric record 3 is NaN (it has to be a whole number); it is ignored'],
    ]);
  });

  it('skips NaN in a V1 summary with a problem at its value, and keeps Infinity', () => {
    const text = '{"metrics_by_turn": {\n"1": {\n"a": NaN,\n"b": Infinity\n}\n}}';
    const { value, problems } = parseMetricsJson(text, 'metrics.json');
    assert.ok(value?.version === 'v1');
    assert.deepEqual(value.metricsByTurn.map((m) => [m.name, m.value]), [['b', Infinity]]);
    assert.deepEqual(problems.map((p) => [p.line, p.severity]), [[3, 'warning']]);
    assert.match(problems[0].message, /"a" in turn 1 is NaN/);
  });

  it('skips records without a name or a numeric value and reports them at their line', () => {
    const text = '[\n{"name": "a", "value": 1, "turn": 1},\n{"value": 2, "turn": 1},\n{"name": "c", "value": "high", "turn": 1},\n"junk"\n]';
    const { value, problems } = parseMetricsJson(text, 'metrics.json');
    assert.ok(value?.version === 'v2');
    assert.deepEqual(value.records.map((r) => r.name), ['a']);
    assert.deepEqual(problems.map((p) => [p.severity, p.line]), [['warning', 3], ['warning', 4], ['warning', 5]]);
  });

  it('reports truncated and wrongly shaped files without throwing', () => {
    const text = readSample('output/ai-summit/run-002/metrics.json');
    const truncated = parseMetricsJson(text.slice(0, 5000), 'metrics.json');
    assert.equal(truncated.value, undefined);
    assert.equal(truncated.problems[0].line, text.slice(0, 5000).split('\n').length);
    const scalar = parseMetricsJson('42', 'metrics.json');
    assert.equal(scalar.value, undefined);
    assert.equal(scalar.problems[0].severity, 'error');
    assert.deepEqual(parseMetricsJson('[]', 'metrics.json'), { value: { version: 'v2', records: [] }, problems: [] });
  });
});
