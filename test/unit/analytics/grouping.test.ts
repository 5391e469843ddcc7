import { strict as assert } from 'node:assert';
import { groupBy } from '../../../src/core/analytics/grouping';

describe('groupBy', () => {
  it('keeps groups in first-seen order and rows in query order within each', () => {
    const rows = [
      { actor: 'b', scenarioId: 's1' },
      { actor: 'a', scenarioId: 's1' },
      { actor: 'b', scenarioId: 's2' },
    ];
    const groups = groupBy(rows, (r) => r.actor);
    assert.deepEqual([...groups.keys()], ['b', 'a']);
    assert.deepEqual(groups.get('b')!.map((r) => r.scenarioId), ['s1', 's2']);
  });

  it('gives no group for no rows', () => {
    assert.equal(groupBy([], (r: number) => r).size, 0);
  });
});
