import { strict as assert } from 'node:assert';
import { describeRunProgress, RUN_QUIET_PERIOD_MS } from '../../../src/core/analytics/runProgress';
import { localSqlTime } from '../../../src/core/format/timestamps';

const NOW = Date.parse('2025-11-24T12:00:00Z');
const LONG_AGO = NOW - 2 * RUN_QUIET_PERIOD_MS;
const folder = (fields: Partial<Parameters<typeof describeRunProgress>[0]> = {}) => ({
  status: 'running',
  pending: false,
  leftoverTurn: null,
  lastTurn: 4,
  completedAt: null,
  error: null,
  lastWrittenAt: null,
  ...fields,
});

describe('describeRunProgress', () => {
  it('derives nothing when the stored status is final', () => {
    for (const status of ['completed', 'halted', 'failed', null]) {
      assert.deepEqual(describeRunProgress(folder({ status }), LONG_AGO, NOW), { kind: 'recorded' });
    }
  });

  it('calls a recently written run active and says when it will count as quiet', () => {
    const written = NOW - 30_000;
    assert.deepEqual(describeRunProgress(folder({ leftoverTurn: 5 }), written, NOW), {
      kind: 'active',
      text: 'running, last write 30 s ago',
      quietAtMs: written + RUN_QUIET_PERIOD_MS,
    });
  });

  it('calls a run with a half-written JSON file active whatever its age', () => {
    assert.equal(describeRunProgress(folder({ pending: true }), LONG_AGO, NOW).kind, 'active');
  });

  it('reports a quiet run with leftover turn files as interrupted in that turn', () => {
    assert.deepEqual(describeRunProgress(folder({ lastTurn: 2, leftoverTurn: 3 }), LONG_AGO, NOW), {
      kind: 'interrupted',
      text: 'interrupted in turn 3, status not recorded',
      turn: 3,
    });
  });

  it('reports a quiet complete run as ended after its last turn', () => {
    assert.deepEqual(describeRunProgress(folder(), LONG_AGO, NOW), { kind: 'ended', text: 'ended after turn 4, status not recorded', turn: 4 });
  });

  it('a copied folder (file times long after the times its files record) is not active, however new its file times', () => {
    const copiedJustNow = NOW - 5_000;
    const writtenLastWeek = localSqlTime(NOW - 7 * 24 * 3600_000);
    assert.deepEqual(describeRunProgress(folder({ lastWrittenAt: writtenLastWeek }), copiedJustNow, NOW), {
      kind: 'ended',
      text: 'ended after turn 4, status not recorded',
      turn: 4,
    });
  });

  it('a run whose files record recent times and recent file times is active', () => {
    const written = NOW - 20_000;
    assert.equal(describeRunProgress(folder({ lastWrittenAt: localSqlTime(NOW - 60_000) }), written, NOW).kind, 'active');
  });

  it('a state file that records an end (completed_at or an error) ends the run whatever the file times say', () => {
    const justNow = NOW - 1_000;
    assert.equal(describeRunProgress(folder({ completedAt: '2025-11-24 11:59:00.000000' }), justNow, NOW).kind, 'ended');
    assert.equal(describeRunProgress(folder({ error: 'Credit limit exceeded: $0.41 >= $0.40', leftoverTurn: 5 }), justNow, NOW).kind, 'interrupted');
  });
});
