/**
 * A run folder written from scratch with the run-file builders indexes into the rows Scenario Lab's
 * database phase would write (docs/format.md#persistence, #reconstruction): every figure below is
 * computed from the values the builders were given, not read from the sample workspace.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { aCostRecord, aMetricRecord, type DecisionValues, writeRunFolder } from '../helpers/runFiles';

const DECISIONS: DecisionValues[] = [1, 2].flatMap((turn) => [
  { actor: 'European Union', turn, goals: ['**Long-term:**', '- Audit labs', ''], reasoning: `EU reasoning ${turn}`, action: `EU action ${turn}` },
  { actor: "Côte d'Ivoire", turn, goals: [], reasoning: `CI reasoning ${turn}`, action: `CI action ${turn}` },
]);
const METRICS = [
  aMetricRecord({ name: 'cooperation_level', value: 4.5, turn: 1 }),
  aMetricRecord({ name: 'trust_level', value: 3, turn: 2, timestamp: '2025-11-24T09:55:00.000001', metadata: { actor: 'European Union', extraction_type: 'pattern' } }),
];
const COSTS = [
  aCostRecord({ actor: 'European Union', cost: 0.25, timestamp: '2025-11-24T09:48:00.000001' }),
  aCostRecord({ actor: "Côte d'Ivoire", cost: 0.5, timestamp: '2025-11-24T09:48:01.000001' }),
  aCostRecord({ actor: null, phase: 'world_update', cost: 0.125, timestamp: '2025-11-24T09:49:00.000001' }),
];

describe('a run folder built from scratch', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  const rows = (sql: string, params: (string | number)[] = []) => index.db.exec(sql, params)[0]?.values ?? [];

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-built-'));
    writeRunFolder(path.join(workspace, 'output', 'built', 'run-001'), { decisions: DECISIONS, metrics: METRICS, costs: COSTS, state: { run_id: 'run-20251124-094700' } });
    index = await openConnectedScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
  });
  after(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('stores the run as its state file says, with the total of every cost (the world update too)', () => {
    assert.deepEqual(rows('SELECT id, scenario_name, status, total_turns, total_cost FROM runs'), [['run-20251124-094700', 'Test Scenario', 'running', 2, 0.875]]);
    assert.deepEqual(rows("SELECT COUNT(*) FROM sl_problems WHERE severity = 'error'"), [[0]]);
  });

  it('reads each decision back from its persistence file (slug names, goals list with header and empty lines)', () => {
    const stored = rows('SELECT t.turn_num, d.actor, d.goals, d.reasoning, d.action FROM decisions d JOIN turns t ON t.id = d.turn_id ORDER BY 1, 2');
    const expected = DECISIONS.map((d) => [d.turn, d.actor, JSON.stringify(d.goals), d.reasoning, d.action]).sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])));
    assert.deepEqual(
      stored.map(([turn, actor, goals, reasoning, action]) => [turn, actor, JSON.stringify(JSON.parse(String(goals))), reasoning, action]),
      expected,
    );
  });

  it('takes each world state by the off-by-one rule: turn 1 from world-state-000.md, the last from the state file', () => {
    assert.deepEqual(rows('SELECT turn_num, world_state FROM turns ORDER BY turn_num'), [[1, 'The world after turn 1.'], [2, 'The world after turn 2.']]);
  });

  it("keeps Scenario Lab's costs table without the null-actor call, and its metrics.actor NULL", () => {
    assert.deepEqual(rows('SELECT actor, cost FROM costs ORDER BY cost'), [['European Union', 0.25], ["Côte d'Ivoire", 0.5]]);
    assert.deepEqual(rows('SELECT m.name, m.value, m.actor FROM metrics m ORDER BY m.name'), [['cooperation_level', 4.5, null], ['trust_level', 3, null]]);
  });
});
