import { strict as assert } from 'node:assert';
import { parseCostsJson } from '../../../src/core/format/costsJson';
import { toSqlDatetime } from '../../../src/core/format/timestamps';
import { linesOf, queryReferenceDb, readSample, sql, V1_RUN_FOLDER, V2_RUN_FOLDERS } from './formatSamples';

interface DbCost {
  timestamp: string;
  actor: string;
  phase: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost: number;
}

describe('parseCostsJson', () => {
  for (const folder of V2_RUN_FOLDERS) {
    it(`reads ${folder}/costs.json and its actor records equal the reference DB's costs rows`, () => {
      const file = `${folder}/costs.json`;
      const text = readSample(file);
      const { value, problems } = parseCostsJson(text, file);
      assert.deepEqual(problems, []);
      assert.ok(value?.version === 'v2');
      const runId = (JSON.parse(readSample(`${folder}/scenario-state.json`)) as { run_id: string }).run_id;
      const dbRows = queryReferenceDb<DbCost>(
        `SELECT timestamp, actor, phase, model, input_tokens, output_tokens, cost FROM costs WHERE run_id = ${sql(runId)} ORDER BY id`,
      );
      // docs/format.md#persistence: only records with an actor reach the table (fresh runs hold no duplicates).
      const fromFile = value.records
        .filter((r) => r.actor !== null)
        .map((r) => ({
          timestamp: toSqlDatetime(r.timestamp), actor: r.actor, phase: r.phase, model: r.model,
          input_tokens: r.inputTokens, output_tokens: r.outputTokens, cost: r.cost,
        }));
      assert.deepEqual(fromFile, dbRows);
      const dbTotal = queryReferenceDb<{ total_cost: number }>(`SELECT total_cost FROM runs WHERE id = ${sql(runId)}`)[0].total_cost;
      assert.ok(Math.abs((value.totalCost ?? NaN) - dbTotal) < 1e-12);
      for (const record of value.records) {
        assert.ok(linesOf(text, record.span.startLine, record.span.endLine).includes(`"timestamp": "${record.timestamp}"`));
      }
    });
  }

  it('keeps by_actor and null-actor records of output/ai-summit/run-002', () => {
    const { value } = parseCostsJson(readSample('output/ai-summit/run-002/costs.json'), 'costs.json');
    assert.ok(value?.version === 'v2');
    assert.deepEqual(value.byActor, { China: 0.00137984, 'European Union': 0.041397, 'United Kingdom': 0.00361485, 'United States': 0.0379225 });
    assert.equal(value.totalCost, 0.08681064);
    assert.deepEqual(new Set(value.records.filter((r) => r.actor === null).map((r) => r.phase)), new Set(['world_update', 'qa_validation']));
  });

  it('reads the V1 cost summary of output/ai-summit/run-001', () => {
    const file = `${V1_RUN_FOLDER}/costs.json`;
    const text = readSample(file);
    const { value, problems } = parseCostsJson(text, file);
    assert.deepEqual(problems, []);
    assert.ok(value?.version === 'v1');
    assert.equal(value.actorCosts.length, 27);
    assert.deepEqual(value.actorCosts[0], {
      actor: 'China', model: 'deepseek/deepseek-chat', turn: 1, tokens: 422, cost: 0.001097, span: value.actorCosts[0].span,
    });
    assert.equal(value.actorCosts.filter((c) => c.actor === 'European Union').length, 9);
    assert.deepEqual(value.worldStateCosts.map((c) => c.turn), [1, 2, 3]);
    assert.equal(value.totalCost, 0.2052);
    assert.equal(value.totalTokens, 55230);
    assert.equal(value.startTime, '2025-11-10T14:05:00.115287');
    for (const entry of [...value.actorCosts, ...value.worldStateCosts]) {
      assert.ok(linesOf(text, entry.span.startLine, entry.span.endLine).includes(`"tokens": ${entry.tokens}`));
    }
  });

  it('handles unicode actor names and reports wrong types with safe defaults', () => {
    const text = [
      '{"total_cost": "lots", "by_actor": {"C\\u00f4te d\'Ivoire": 0.5, "OpenBrain/DeepCent Coalition": "x"},',
      ' "records": [',
      '  {"timestamp": "2025-11-24T09:48:00", "actor": "C\\u00f4te d\'Ivoire", "phase": "decision", "model": "m", "input_tokens": 1, "output_tokens": 2, "cost": 0.5},',
      '  {"timestamp": "2025-11-24T09:48:01", "actor": "OpenBrain/DeepCent Coalition", "phase": "decision", "model": "m", "input_tokens": "many", "cost": 0.1}',
      ']}',
    ].join('\n');
    const { value, problems } = parseCostsJson(text, 'run/costs.json');
    assert.ok(value?.version === 'v2');
    assert.equal(value.totalCost, undefined);
    assert.deepEqual(value.byActor, { "Côte d'Ivoire": 0.5 });
    assert.deepEqual(value.records.map((r) => [r.actor, r.inputTokens, r.span.startLine]), [["Côte d'Ivoire", 1, 3], ['OpenBrain/DeepCent Coalition', 0, 4]]);
    assert.deepEqual(problems.map((p) => [p.severity, p.line]), [['warning', 1], ['warning', 1], ['warning', 4]]);
    assert.match(problems[2].message, /"input_tokens" of cost record 2 should be a number but is a string/);
  });

  it('skips a record without a usable cost (never an invented $0), with a problem at its line', () => {
    const text = [
      '{"records": [',
      '  {"timestamp": "2025-11-24T09:48:00", "actor": "China", "phase": "decision", "model": "m", "input_tokens": 1, "output_tokens": 2, "cost": 0.5},',
      '  {"timestamp": "2025-11-24T09:48:01", "actor": "China", "phase": "decision", "model": "m", "input_tokens": 1, "output_tokens": 2},',
      '  {"timestamp": "2025-11-24T09:48:02", "actor": "China", "phase": "decision", "model": "m", "input_tokens": 1, "output_tokens": 2, "cost": null}',
      ']}',
    ].join('\n');
    const { value, problems } = parseCostsJson(text, 'run/costs.json');
    assert.ok(value?.version === 'v2');
    assert.deepEqual(value.records.map((r) => r.cost), [0.5]);
    assert.deepEqual(problems.map((p) => p.line), [3, 4]);
    assert.match(problems[0].message, /cost record 2 has no usable "cost"; the record is skipped/);
  });

  it('reports truncated, empty and wrongly shaped files without throwing', () => {
    const text = readSample('output/ai-summit/run-003/costs.json');
    for (const cut of [1, 100, 2000, text.length - 2]) {
      const { value, problems } = parseCostsJson(text.slice(0, cut), 'costs.json');
      assert.equal(value, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].line, text.slice(0, cut).split('\n').length);
    }
    assert.equal(parseCostsJson('', 'costs.json').problems[0].message, 'costs.json is empty');
    assert.equal(parseCostsJson('[1]', 'costs.json').problems[0].severity, 'error');
  });
});
