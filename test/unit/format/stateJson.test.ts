import { strict as assert } from 'node:assert';
import type { StateFile, V1State } from '../../../src/core/format/records';
import { parseStateJson } from '../../../src/core/format/stateJson';
import { toSqlDatetime } from '../../../src/core/format/timestamps';
import { linesOf, queryReferenceDb, readSample, sql, V1_RUN_FOLDER, V2_RUN_FOLDERS } from './formatSamples';

function v2State(file: string): { state: StateFile; text: string } {
  const text = readSample(file);
  const { value, problems } = parseStateJson(text, file);
  assert.deepEqual(problems, []);
  assert.ok(value?.version === 'v2', `${file} is read as V2`);
  return { state: value.state, text };
}

describe('parseStateJson', () => {
  for (const folder of V2_RUN_FOLDERS) {
    describe(folder, () => {
      const s = v2State(`${folder}/scenario-state.json`);
      const v = v2State(`${folder}/scenario-state-v2.json`);
      const runId = s.state.runId;

      it('tells scenario-state.json and scenario-state-v2.json apart', () => {
        assert.equal(s.state.variant, 'state');
        assert.equal(s.state.version, undefined);
        assert.equal(v.state.variant, 'state-v2');
        assert.equal(v.state.version, '2.0');
        assert.equal(v.state.runId, runId);
      });

      it('agrees with the runs row of the reference DB', () => {
        const [run] = queryReferenceDb<{ scenario_id: string; scenario_name: string; status: string; total_turns: number; total_cost: number; config: string }>(
          `SELECT scenario_id, scenario_name, status, total_turns, total_cost, config FROM runs WHERE id = ${sql(runId)}`,
        );
        assert.equal(s.state.scenarioId, run.scenario_id);
        assert.equal(s.state.scenarioName, run.scenario_name);
        assert.equal(s.state.status, run.status);
        assert.equal(s.state.turn, run.total_turns);
        assert.ok(Math.abs((s.state.totalCost ?? NaN) - run.total_cost) < 1e-12);
        assert.deepEqual(s.state.scenarioConfig, JSON.parse(run.config));
      });

      it('has the metrics (with actor) of the reference DB in scenario-state-v2.json', () => {
        const dbRows = queryReferenceDb<{ turn: number; name: string; value: number; actor: string | null; timestamp: string }>(
          `SELECT t.turn_num AS turn, m.name, m.value, m.actor, m.timestamp FROM metrics m JOIN turns t ON m.turn_id = t.id
           WHERE t.run_id = ${sql(runId)} ORDER BY m.id`,
        );
        const fromFile = v.state.metrics
          .filter((m) => m.turn <= s.state.turn)
          .map((m) => ({ turn: m.turn, name: m.name, value: m.value, actor: m.actor, timestamp: toSqlDatetime(m.timestamp) }));
        assert.deepEqual(fromFile, dbRows);
        assert.ok(v.state.metrics.some((m) => m.actor !== null));
        assert.ok(s.state.metrics.every((m) => m.actor === null), 'scenario-state.json never writes MetricRecord.actor');
      });

      it('has the communications of the reference DB', () => {
        const dbRows = queryReferenceDb<{ id: string; type: string; sender: string; recipients: string; content: string; timestamp: string }>(
          `SELECT c.id, c.type, c.sender, c.recipients, c.content, c.timestamp FROM communications c JOIN turns t ON c.turn_id = t.id
           WHERE t.run_id = ${sql(runId)} ORDER BY c.id`,
        );
        const fromFile = s.state.communications
          .filter((c) => c.turn <= s.state.turn)
          .map((c) => ({ id: c.id, type: c.type, sender: c.sender, recipients: c.recipients, content: c.content, timestamp: toSqlDatetime(c.timestamp) }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        assert.deepEqual(fromFile, dbRows.map((row) => ({ ...row, recipients: JSON.parse(row.recipients) as string[] })));
      });

      it("has the last turn's decisions of the reference DB", () => {
        const dbRows = queryReferenceDb<{ actor: string; goals: string; reasoning: string; action: string }>(
          `SELECT d.actor, d.goals, d.reasoning, d.action FROM decisions d JOIN turns t ON d.turn_id = t.id
           WHERE t.run_id = ${sql(runId)} AND t.turn_num = ${s.state.turn} ORDER BY d.actor`,
        );
        const fromFile = [...s.state.decisions]
          .sort((a, b) => (a.actor < b.actor ? -1 : 1))
          .map((d) => ({ actor: d.actor, goals: d.goals, reasoning: d.reasoning, action: d.action }));
        assert.deepEqual(fromFile, dbRows.map((row) => ({ ...row, goals: JSON.parse(row.goals) as string[] })));
        assert.ok(s.state.decisions.every((d) => d.turn === s.state.turn && d.timestamp !== undefined));
        assert.ok(v.state.decisions.every((d) => d.timestamp === undefined), 'scenario-state-v2.json decisions have no timestamp');
      });

      it("has the reference DB's world state of the last turn", () => {
        const [turn] = queryReferenceDb<{ world_state: string }>(
          `SELECT world_state FROM turns WHERE run_id = ${sql(runId)} AND turn_num = ${s.state.turn}`,
        );
        assert.equal(s.state.worldState?.content, turn.world_state);
        assert.equal(s.state.worldState?.turn, s.state.turn);
      });

      it('gives every record a span on lines that hold it', () => {
        for (const { state, text } of [s, v]) {
          for (const record of [...state.metrics, ...state.costs]) {
            assert.ok(linesOf(text, record.span.startLine, record.span.endLine).includes(`"timestamp": "${record.timestamp}"`));
          }
          for (const metric of state.metrics) {
            assert.ok(linesOf(text, metric.span.startLine, metric.span.endLine).includes(`"name": "${metric.name}"`));
          }
          for (const message of state.communications) {
            assert.ok(linesOf(text, message.span.startLine, message.span.endLine).includes(`"id": "${message.id}"`));
          }
          for (const decision of [...state.decisions, ...state.actors.flatMap((a) => a.recentDecisions)]) {
            const lines = linesOf(text, decision.span.startLine, decision.span.endLine);
            assert.ok(lines.includes(`"actor": "${decision.actor}"`) && lines.includes(`"turn": ${decision.turn}`));
          }
          const world = state.worldState;
          assert.ok(world);
          assert.ok(linesOf(text, world.span.startLine, world.span.endLine).startsWith('    "content": "'));
        }
      });
    });
  }

  it('recovers recent decisions and actor models from scenario-state.json', () => {
    const { state } = v2State('output/ai-summit/run-002/scenario-state.json');
    assert.deepEqual(state.actors.map((a) => [a.name, a.shortName, a.model, a.recentDecisions.map((d) => d.turn).join(',')]), [
      ['China', 'china', 'deepseek/deepseek-chat', '1,2,3,4'],
      ['European Union', 'eu', 'anthropic/claude-3.5-sonnet', '1,2,3,4'],
      ['United Kingdom', 'united-kingdom', 'google/gemini-2.5-flash', '1,2,3,4'],
      ['United States', 'united-states', 'openai/gpt-4o', '1,2,3,4'],
    ]);
    assert.equal(state.startedAt, '2025-11-24T09:47:55.492848');
  });

  it('keeps the halt reason of output/ai-summit/run-004', () => {
    const { state } = v2State('output/ai-summit/run-004/scenario-state.json');
    assert.equal(state.status, 'halted');
    assert.equal(state.error, 'Manual stop requested');
  });

  describe('V1 output/ai-summit/run-001/scenario-state.json', () => {
    const file = `${V1_RUN_FOLDER}/scenario-state.json`;
    const text = readSample(file);
    const parsed = parseStateJson(text, file);
    const state = parsed.value?.state as V1State;

    it('is read as V1 with no problems', () => {
      assert.deepEqual(parsed.problems, []);
      assert.equal(parsed.value?.version, 'v1');
      assert.equal(state.scenarioName, 'AI Safety Summit 2026');
      assert.equal(state.scenarioPath, 'scenarios/ai-summit');
      assert.equal(state.status, 'completed');
      assert.equal(state.haltReason, null);
      assert.equal(state.currentTurn, 3);
      assert.equal(state.totalTurns, 3);
      assert.deepEqual(state.completedTurns, [1, 2, 3]);
      assert.equal(state.startedAt, '2025-11-10T14:05:00.005618');
      assert.equal(state.lastUpdated, '2025-11-10T14:13:36.278060');
      assert.equal(state.totalTokens, 55230);
      assert.deepEqual(state.span, { file, startLine: 1, endLine: text.split('\n').length });
    });

    it('has the world states of turns 0-3 and 4 decisions per turn', () => {
      assert.deepEqual([...state.states.keys()], [0, 1, 2, 3]);
      assert.ok(state.states.get(0)?.startsWith('## Setting: Geneva, March 2026'));
      assert.equal(state.decisions.length, 12);
      const first = state.decisions[0];
      assert.deepEqual([first.turn, first.actor, first.tokens], [1, 'China', 3559]);
      assert.ok(first.goals.startsWith('**LONG-TERM GOALS:**'));
      for (const decision of state.decisions) {
        assert.ok(linesOf(text, decision.span.startLine, decision.span.startLine).includes(`"${decision.actor}": {`));
      }
    });

    it('flattens channels into messages and reads actors and metrics', () => {
      const raw = JSON.parse(text) as { communication_manager_state: { channels: Record<string, { messages: unknown[] }> } };
      const expected = Object.values(raw.communication_manager_state.channels).reduce((n, c) => n + c.messages.length, 0);
      assert.equal(state.messages.length, expected);
      const message = state.messages[0];
      assert.deepEqual([message.channelId, message.channelType, message.turn, message.participants, message.sender], [
        'bilateral-China-European Union-1', 'bilateral', 1, ['China', 'European Union'], 'China',
      ]);
      for (const m of state.messages) {
        assert.ok(linesOf(text, m.span.startLine, m.span.endLine).includes(JSON.stringify(m.timestamp)));
      }
      assert.deepEqual(state.actors[1], { name: 'European Union', shortName: 'eu', model: 'anthropic/claude-3.5-sonnet' });
      assert.equal(state.metricsByTurn.length, 9);
    });
  });

  describe('bad input', () => {
    it('reports wrong types with a safe default and tolerates missing optional keys', () => {
      const text = '{\n"run_id": "run-1",\n"turn": "3",\n"communications": {},\n"decisions": {"OpenBrain/DeepCent Coalition": {"turn": 1, "goals": "be first"}}\n}';
      const { value, problems } = parseStateJson(text, 'out/scenario-state.json');
      assert.ok(value?.version === 'v2');
      const state = value.state;
      assert.equal(state.turn, 0);
      assert.deepEqual(state.communications, []);
      assert.deepEqual(state.decisions.map((d) => [d.actor, d.turn, d.goals, d.span.startLine]), [['OpenBrain/DeepCent Coalition', 1, [], 5]]);
      assert.equal(state.worldState, undefined);
      assert.deepEqual(state.metadata, {});
      assert.equal(state.scenarioConfig, null);
      assert.ok(problems.every((p) => p.severity === 'warning' && p.file === 'out/scenario-state.json'));
      assert.ok(problems.some((p) => p.message === '"turn" of scenario-state.json should be a number but is a string; it is ignored'));
      assert.ok(problems.some((p) => p.line === 5 && p.message.includes('"goals"')));
    });

    it('reads decisions keyed by unicode names from escaped JSON', () => {
      const header = { scenario_id: 's', scenario_name: 's', run_id: 'r', status: 'running', turn: 1 };
      const text = JSON.stringify({ ...header, decisions: { "Côte d'Ivoire": { actor: "Côte d'Ivoire", turn: 1, goals: [] } } }, null, 2)
        .replace("Côte d'Ivoire", "C\\u00f4te d'Ivoire");
      const { value, problems } = parseStateJson(text, 'scenario-state.json');
      assert.deepEqual(problems, []);
      assert.ok(value?.version === 'v2');
      assert.equal(value.state.decisions[0].span.startLine, 8);
      assert.equal(value.state.decisions[0].actor, "Côte d'Ivoire");
    });

    it('never throws on truncated state files', () => {
      const text = readSample('output/ai-summit/run-002/scenario-state.json');
      for (let cut = 0; cut < text.length; cut += 997) {
        const { value, problems } = parseStateJson(text.slice(0, cut), 'scenario-state.json');
        assert.equal(value, undefined);
        assert.equal(problems.length, 1);
        assert.equal(problems[0].line, text.slice(0, cut).split('\n').length);
      }
    });

    it('rejects a top-level value that is not an object', () => {
      const { value, problems } = parseStateJson('[]', 'scenario-state.json');
      assert.equal(value, undefined);
      assert.equal(problems[0].severity, 'error');
    });
  });
});
