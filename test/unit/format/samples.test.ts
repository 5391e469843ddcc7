import { strict as assert } from 'node:assert';
import { parseCommunication } from '../../../src/core/format/communication';
import { parseDecision } from '../../../src/core/format/decision';
import type { DecisionDoc, Parsed, SourceSpan, WorldStateDoc } from '../../../src/core/format/records';
import { parseWorldState } from '../../../src/core/format/worldState';
import { querySampleDb, type RunFile, type RunFolder, sampleRunFolders, stateJsonOf } from './sampleRuns';

/** Parses a markdown run file with the parser its name calls for; undefined for other kinds. */
function parseRunFile(file: RunFile): Parsed<unknown> | undefined {
  switch (file.kind.kind) {
    case 'world-state':
      return parseWorldState(file.text, file.key);
    case 'decision':
      return parseDecision(file.text, file.key);
    case 'communication':
      return parseCommunication(file.text, file.key);
    default:
      return undefined;
  }
}

/** Every SourceSpan inside a parsed record. */
function spansIn(value: unknown): SourceSpan[] {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  if ('startLine' in value && 'endLine' in value) {
    return [value as SourceSpan];
  }
  return Object.values(value).flatMap(spansIn);
}

function worldStates(folder: RunFolder): Array<{ fileTurn: number; doc: WorldStateDoc }> {
  return folder.files.flatMap((f) => {
    const doc = f.kind.kind === 'world-state' ? parseWorldState(f.text, f.key).value : undefined;
    return doc && f.kind.kind === 'world-state' ? [{ fileTurn: f.kind.turn, doc }] : [];
  });
}

function decisions(folder: RunFolder): DecisionDoc[] {
  return folder.files.flatMap((f) => {
    const doc = f.kind.kind === 'decision' ? parseDecision(f.text, f.key).value : undefined;
    return doc ? [doc] : [];
  });
}

describe('format parsers on the sample workspace', () => {
  const folders = sampleRunFolders();
  const v2Folders = folders.filter((f) => stateJsonOf(f)?.run_id !== undefined);
  const v1Folder = folders.find((f) => f.key === 'output/ai-summit/run-001');

  it('finds the sample run folders', () => {
    assert.ok(v2Folders.length >= 9, `expected the 9 V2 sample runs, found ${v2Folders.length}`);
    assert.ok(v1Folder);
    assert.ok(folders.some((f) => f.key.includes('calibration-runs')));
  });

  it('parses every markdown file of every sample folder without problems', () => {
    let parsed = 0;
    for (const folder of folders) {
      for (const file of folder.files) {
        const result = parseRunFile(file);
        if (!result) {
          continue;
        }
        parsed++;
        assert.deepEqual(result.problems, [], file.key);
        assert.ok(result.value, file.key);
      }
    }
    assert.ok(parsed >= 250, `only ${parsed} markdown files parsed`);
  });

  it('never throws on a cut-off copy of a sample file of each layout, and keeps spans inside the text', () => {
    const layouts = [
      'output/ai-summit/run-002/world-state-000.md',
      'output/ai-summit/run-002/world-state-004.md',
      'output/ai-summit/run-001/world-state-002.md',
      'output/ai-summit/run-002/eu-001.md',
      'output/ai-summit/run-002/european-union-001.md',
      'output/ai-summit/run-001/eu-002.md',
      'output/ai-summit/run-002/coalition-China-United Kingdom-United States-004.md',
    ];
    for (const key of layouts) {
      const file = folders.flatMap((f) => f.files).find((f) => f.key === key);
      assert.ok(file, key);
      for (let length = 0; length <= file.text.length; length += 3) {
        const text = file.text.slice(0, length);
        const result = parseRunFile({ ...file, text });
        const lineCount = text.split('\n').length;
        for (const span of spansIn(result?.value)) {
          assert.ok(span.startLine >= 1 && span.startLine <= span.endLine && span.endLine <= lineCount, `${key} cut at ${length}`);
        }
      }
    }
  });

  describe('V2 world states against turns.world_state', () => {
    for (const folder of v2Folders) {
      it(`reproduces every stored world state of ${folder.key}`, () => {
        const runId: string = stateJsonOf(folder).run_id;
        const rows = querySampleDb<{ turn_num: number; world_state: string }>(
          `select turn_num, world_state from turns where run_id = '${runId}'`,
        );
        const stored = new Map(rows.map((r) => [r.turn_num, r.world_state]));
        const matched = new Set<number>();
        for (const { fileTurn, doc } of worldStates(folder)) {
          assert.notEqual(doc.kind, 'v1');
          // The off-by-one: world-state-(k-1).md holds the formatted state after turn k.
          const turn = doc.kind === 'v2-formatted' ? fileTurn + 1 : fileTurn;
          const text = doc.kind === 'v2-formatted' ? doc.currentSituation : doc.kind === 'v2-raw' ? doc.text : '';
          if (doc.kind === 'v2-formatted') {
            assert.equal(doc.titleTurn, fileTurn, 'the title repeats the file number, not the turn');
          }
          if (stored.has(turn)) {
            assert.equal(text, stored.get(turn), `${folder.key} world state after turn ${turn}`);
            matched.add(turn);
          }
        }
        assert.deepEqual([...matched].sort(), [...stored.keys()].sort());
      });
    }

    it('holds the same text in the last formatted file and the raw file', () => {
      const run = v2Folders.find((f) => f.key === 'output/ai-summit/run-002');
      assert.ok(run);
      const docs = worldStates(run);
      const formatted = docs.find((d) => d.fileTurn === 3)?.doc;
      const raw = docs.find((d) => d.fileTurn === 4)?.doc;
      assert.equal(formatted?.kind, 'v2-formatted');
      assert.equal(raw?.kind, 'v2-raw');
      assert.equal(formatted?.kind === 'v2-formatted' && formatted.currentSituation, raw?.kind === 'v2-raw' && raw.text);
    });
  });

  describe('V2 decisions against the decisions table', () => {
    interface Row {
      run_id: string;
      turn_num: number;
      actor: string;
      goals: string;
      reasoning: string;
      action: string;
    }
    const rows = querySampleDb<Row>(
      'select t.run_id, t.turn_num, d.actor, d.goals, d.reasoning, d.action from decisions d join turns t on t.id = d.turn_id',
    );

    it('reproduces every stored decision from the persistence-format files', () => {
      const unmatched = new Set(rows.map((r) => `${r.run_id}|${r.turn_num}|${r.actor}`));
      let compared = 0;
      for (const folder of v2Folders) {
        const state = stateJsonOf(folder);
        for (const doc of decisions(folder).filter((d) => d.format === 'persistence' && d.turn <= state.turn)) {
          const row = rows.find((r) => r.run_id === state.run_id && r.turn_num === doc.turn && r.actor === doc.actor);
          assert.ok(row, `${doc.span.file}: no decision row for ${doc.actor} turn ${doc.turn}`);
          assert.deepEqual(doc.goals, JSON.parse(row.goals), `${doc.span.file} goals`);
          assert.equal(doc.reasoning, row.reasoning, `${doc.span.file} reasoning`);
          assert.equal(doc.action, row.action, `${doc.span.file} action`);
          unmatched.delete(`${row.run_id}|${row.turn_num}|${row.actor}`);
          compared++;
        }
      }
      assert.equal(compared, rows.length);
      assert.deepEqual([...unmatched], []);
    });

    it('reads the same decision from the decision-phase and the persistence file', () => {
      let pairs = 0;
      for (const folder of v2Folders) {
        const docs = decisions(folder);
        for (const phase of docs.filter((d) => d.format === 'decision-phase')) {
          const persisted = docs.find((d) => d.format === 'persistence' && d.actor === phase.actor && d.turn === phase.turn);
          if (!persisted) {
            continue;
          }
          pairs++;
          const pick = (d: DecisionDoc) => ({ actor: d.actor, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action });
          assert.deepEqual(pick(phase), pick(persisted), `${phase.span.file} vs ${persisted.span.file}`);
        }
      }
      assert.ok(pairs >= 20, `only ${pairs} decision pairs found`);
    });

    it('shows the interrupted turn of ai-regulatory-negotiation/run-003 in decision-phase format only', () => {
      const run = v2Folders.find((f) => f.key === 'output/ai-regulatory-negotiation/run-003');
      assert.ok(run);
      const turn3 = decisions(run).filter((d) => d.turn === 3);
      assert.ok(turn3.length >= 4);
      assert.ok(turn3.every((d) => d.format === 'decision-phase'));
    });

    it('points actionSpan at the "## Action" heading', () => {
      for (const folder of v2Folders) {
        for (const file of folder.files.filter((f) => f.kind.kind === 'decision')) {
          const doc = parseDecision(file.text, file.key).value;
          assert.equal(file.text.split('\n')[(doc?.actionSpan?.startLine ?? 0) - 1], '## Action', file.key);
        }
      }
    });
  });

  describe('V2 communication files against scenario-state.json', () => {
    it('reproduces the content of every exported message', () => {
      let compared = 0;
      for (const folder of v2Folders) {
        const stored: Array<{ turn: number; sender: string; content: string }> = stateJsonOf(folder).communications;
        for (const file of folder.files.filter((f) => f.kind.kind === 'communication')) {
          const doc = parseCommunication(file.text, file.key).value;
          assert.ok(doc);
          if (doc.turn > stateJsonOf(folder).turn) {
            continue;
          }
          for (const message of doc.messages) {
            const match = stored.find((c) => c.turn === doc.turn && c.sender === message.sender && c.content === message.content);
            assert.ok(match, `${file.key}: message from ${message.sender} not in scenario-state.json`);
            assert.ok(doc.participants.includes(message.sender));
            compared++;
          }
        }
      }
      assert.ok(compared > 30, `only ${compared} messages compared`);
    });
  });

  describe('the V1 run output/ai-summit/run-001', () => {
    it('reproduces world states, actions and decisions of its scenario-state.json', () => {
      assert.ok(v1Folder);
      const worldState = stateJsonOf(v1Folder).world_state;
      const docs = worldStates(v1Folder);
      assert.equal(docs.length, 4);
      for (const { fileTurn, doc } of docs) {
        assert.equal(doc.kind, 'v1');
        if (doc.kind !== 'v1') {
          continue;
        }
        assert.equal(doc.turn, fileTurn, 'V1 numbers world-state files correctly');
        assert.equal(doc.scenarioName, 'AI Safety Summit 2026');
        assert.equal(doc.currentSituation, worldState.states[String(fileTurn)]);
        const decided = worldState.actor_decisions[String(fileTurn)] ?? {};
        assert.deepEqual(
          doc.actions.map((a) => [a.actor, a.text]),
          Object.entries(decided).map(([actor, d]: [string, any]) => [actor, d.action]),
        );
      }
      const v1Decisions = decisions(v1Folder);
      assert.equal(v1Decisions.length, 12);
      for (const doc of v1Decisions) {
        const stored = worldState.actor_decisions[String(doc.turn)][doc.actor];
        assert.equal(doc.format, 'v1');
        assert.equal(doc.goals.join('\n'), stored.goals);
        assert.equal(doc.reasoning, stored.reasoning);
        assert.equal(doc.action, stored.action);
        assert.match(doc.timestamp ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      }
    });
  });
});
