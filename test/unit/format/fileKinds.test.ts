import { strict as assert } from 'node:assert';
import { classifyRunFile } from '../../../src/core/format/fileKinds';

describe('classifyRunFile', () => {
  const cases: Array<[string, ReturnType<typeof classifyRunFile>]> = [
    ['world-state-000.md', { kind: 'world-state', turn: 0 }],
    ['world-state-1000.md', { kind: 'world-state', turn: 1000 }],
    ['bilateral-China-United Kingdom-001.md', { kind: 'communication', channel: 'bilateral', participants: 'China-United Kingdom', turn: 1 }],
    [
      "coalition-Côte d'Ivoire-Japan (METI)-L'Oréal Group-012.md",
      { kind: 'communication', channel: 'coalition', participants: "Côte d'Ivoire-Japan (METI)-L'Oréal Group", turn: 12 },
    ],
    ['bilateral-Labs-Government Taskforce-US-003.md', { kind: 'communication', channel: 'bilateral', participants: 'Labs-Government Taskforce-US', turn: 3 }],
    ['metrics.json', { kind: 'metrics-json' }],
    ['costs.json', { kind: 'costs-json' }],
    ['scenario-state.json', { kind: 'scenario-state' }],
    ['scenario-state-v2.json', { kind: 'scenario-state-v2' }],
    ['validation-002.md', { kind: 'validation', turn: 2 }],
    ['validation-summary.md', { kind: 'validation-summary' }],
    ['scenario.log', { kind: 'scenario-log' }],
    ['eu-004.md', { kind: 'decision', stem: 'eu', turn: 4 }],
    ['european-union-004.md', { kind: 'decision', stem: 'european-union', turn: 4 }],
    ["l'oréal-group-001.md", { kind: 'decision', stem: "l'oréal-group", turn: 1 }],
    ['japan-(meti)-010.md', { kind: 'decision', stem: 'japan-(meti)', turn: 10 }],
    ['world-state-005.md.bak', { kind: 'unknown' }],
    ['china-01.md', { kind: 'unknown' }],
    ['README.md', { kind: 'unknown' }],
    ['batch-state.json', { kind: 'unknown' }],
    ['constructor', { kind: 'unknown' }],
    ['-001.md', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
  ];

  for (const [name, expected] of cases) {
    it(`classifies ${JSON.stringify(name)}`, () => {
      assert.deepEqual(classifyRunFile(name), expected);
    });
  }

  it('returns a fresh object for fixed names, so callers cannot corrupt the table', () => {
    const first = classifyRunFile('costs.json') as { kind: string };
    first.kind = 'changed';
    assert.deepEqual(classifyRunFile('costs.json'), { kind: 'costs-json' });
  });
});
