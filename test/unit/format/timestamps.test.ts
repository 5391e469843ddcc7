import { strict as assert } from 'node:assert';
import { toSqlDatetime } from '../../../src/core/format/timestamps';

describe('toSqlDatetime', () => {
  it('converts isoformat with microseconds', () => {
    assert.equal(toSqlDatetime('2025-11-24T09:48:35.886395'), '2025-11-24 09:48:35.886395');
  });

  it('adds six zero digits when isoformat omitted the microseconds', () => {
    assert.equal(toSqlDatetime('2025-11-24T09:48:35'), '2025-11-24 09:48:35.000000');
  });

  it('converts markdown header times', () => {
    assert.equal(toSqlDatetime('2025-11-24 09:48:35'), '2025-11-24 09:48:35.000000');
  });

  it('pads short fractions on the right (".123" is 123 milliseconds)', () => {
    assert.equal(toSqlDatetime('2025-11-24T09:48:35.123'), '2025-11-24 09:48:35.123000');
  });

  it('keeps naive times as they are, never shifting them by a time zone', () => {
    assert.equal(toSqlDatetime('2025-12-31T23:59:59.999999'), '2025-12-31 23:59:59.999999');
    assert.equal(toSqlDatetime('2025-03-30T02:30:00'), '2025-03-30 02:30:00.000000');
  });

  it('rejects anything that is not a naive Scenario Lab timestamp', () => {
    for (const text of ['', 'yesterday', '2025-11-24', '2025-11-24T09:48:35Z', '2025-11-24T09:48:35+01:00', '2025-13-01 00:00:00', '2025-11-24 24:00:00', '2025-11-24T09:48:35.1234567']) {
      assert.equal(toSqlDatetime(text), undefined, text);
    }
  });
});
