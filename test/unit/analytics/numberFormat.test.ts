/** The product's one number formatter: the same cost precision everywhere, separators, no trailing dot. */
import { strict as assert } from 'node:assert';
import { formatCost, formatCount, formatDelta, formatNumber, plural } from '../../../src/core/analytics/numberFormat';

describe('number formatter', () => {
  it('prints every cost with 4 decimals and thousands separators, whatever its size', () => {
    assert.equal(formatCost(0.04376212000000001), '$0.0438');
    assert.equal(formatCost(1234.5), '$1,234.5000');
    assert.equal(formatCost(0), '$0.0000');
    assert.equal(formatCost(-0.00001), '$0.0000');
    assert.equal(formatCost(-2.5), '-$2.5000');
    assert.equal(formatCost(null), '–');
    assert.equal(formatCost(undefined), '–');
  });

  it('prints counts with thousands separators', () => {
    assert.equal(formatCount(9710), '9,710');
    assert.equal(formatCount(1000), '1,000');
    assert.equal(formatCount(7), '7');
    assert.equal(plural(1000, 'run'), '1,000 runs');
    assert.equal(plural(1, 'turn'), '1 turn');
  });

  it('prints values without a trailing dot or zeros ("avg 6." was printed before)', () => {
    assert.equal(formatNumber(6.0001), '6');
    assert.equal(formatNumber(6), '6');
    assert.equal(formatNumber(6.5), '6.5');
    assert.equal(formatNumber(6.12549), '6.125');
    assert.equal(formatNumber(12345.678), '12,345.678');
    assert.equal(formatNumber(0.00012345), '0.000123');
    assert.equal(formatNumber(Number.NaN), '–');
    assert.equal(formatNumber(Infinity), 'Infinity');
    assert.equal(formatNumber(-Infinity), '-Infinity');
    for (const v of [6.0001, 5.9999, 0.1, 1e6 + 0.0004]) assert.doesNotMatch(formatNumber(v), /\.$|\.\d*0$/);
  });

  it('signs deltas', () => {
    assert.equal(formatDelta(0.5), '+0.5');
    assert.equal(formatDelta(-1.25), '-1.25');
    // One minus sign everywhere: a delta and a negative value read alike.
    assert.equal(formatDelta(-1.939).charAt(0), formatNumber(-1.939).charAt(0));
    assert.equal(formatDelta(0), '±0');
  });
});
