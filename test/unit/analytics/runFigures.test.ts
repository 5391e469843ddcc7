/** A run's figures are defined once (core/analytics/runFigures): order, labels, units, breakdowns that sum to the total. */
import { strict as assert } from 'node:assert';
import { costBreakdowns, figureTable, formatFigure, namedBreakdowns, runFigures, sentenceCase } from '../../../src/core/analytics/runFigures';
import { NOT_ITEMISED_COST, type RunStatistics } from '../../../src/core/analytics/types';

function stats(over: Partial<RunStatistics> = {}): RunStatistics {
  return {
    runId: 'run-1',
    folder: null,
    scenarioName: 'Summit',
    status: 'completed',
    turnCount: 4,
    decisionCount: 16,
    communicationCount: 1234,
    metricCount: 40,
    annotationCount: 2,
    totalCost: 1.5,
    costByPhase: [{ phase: 'decision', total: 1 }, { phase: 'communication', total: 0.25 }],
    costByActor: [{ actor: 'EU', total: 1.25 }],
    costByModel: [{ model: 'gpt', total: 1.25 }],
    notItemisedCost: 0.25,
    tokens: { input: 10000, output: 2000, total: 12000 },
    created: '2025-11-24T09:47:55',
    ...over,
  };
}

describe('run figures', () => {
  it('lists the figures once, in display order, with their units', () => {
    assert.deepEqual(
      runFigures(stats()).map((f) => [f.key, f.label, f.value, f.unit]),
      [
        ['turns', 'turns', 4, 'turns'],
        ['decisions', 'decisions', 16, 'count'],
        ['communications', 'communications', 1234, 'count'],
        ['metrics', 'metrics', 40, 'count'],
        ['annotations', 'annotations', 2, 'count'],
        ['totalCost', 'total cost', 1.5, 'USD'],
        ['inputTokens', 'input tokens', 10000, 'tokens'],
        ['outputTokens', 'output tokens', 2000, 'tokens'],
        ['totalTokens', 'total tokens', 12000, 'tokens'],
      ],
    );
  });

  it('formats USD as costs and everything else as counts, through numberFormat', () => {
    assert.deepEqual(
      runFigures(stats()).map((f) => formatFigure(f.value, f.unit)),
      ['4', '16', '1,234', '40', '2', '$1.5000', '10,000', '2,000', '12,000'],
    );
    assert.equal(formatFigure(undefined, 'USD'), '–');
    assert.equal(sentenceCase('total cost'), 'Total cost');
  });

  it('ends each breakdown with the not-itemised line, so each sums to the total cost', () => {
    const s = stats();
    const breakdowns = costBreakdowns(namedBreakdowns(s));
    assert.deepEqual(breakdowns.map((b) => b.key), ['phase', 'actor', 'model']);
    for (const b of breakdowns) {
      assert.equal(b.lines.at(-1)?.name, NOT_ITEMISED_COST);
      assert.ok(Math.abs(b.lines.reduce((n, c) => n + c.total, 0) - s.totalCost) < 1e-12, b.key);
    }
    assert.ok(costBreakdowns(namedBreakdowns(stats({ notItemisedCost: 0 }))).every((b) => !b.lines.some((c) => c.name === NOT_ITEMISED_COST)));
  });

  it('puts runs side by side: counts and total cost, every breakdown line (not itemised last, missing undefined), then tokens', () => {
    const a = stats({ notItemisedCost: 0, totalCost: 1.25 });
    const b = stats({ costByPhase: [{ phase: 'world', total: 1.25 }] });
    const rows = figureTable([a, b].map((s) => ({ ...s, ...namedBreakdowns(s) })));
    assert.deepEqual(rows.map((r) => r.key), [
      'turns', 'decisions', 'communications', 'metrics', 'annotations', 'totalCost',
      'phase:decision', 'phase:communication', 'phase:world', `phase:${NOT_ITEMISED_COST}`,
      'actor:EU', `actor:${NOT_ITEMISED_COST}`,
      'model:gpt', `model:${NOT_ITEMISED_COST}`,
      'inputTokens', 'outputTokens', 'totalTokens',
    ]);
    const row = (key: string) => rows.find((r) => r.key === key)!;
    assert.equal(row('phase:world').label, 'cost by phase: world');
    assert.deepEqual(row('phase:world').values, [undefined, 1.25]);
    assert.deepEqual(row(`phase:${NOT_ITEMISED_COST}`).values, [undefined, 0.25]);
    assert.deepEqual(row('totalCost').values, [1.25, 1.5]);
  });
});
