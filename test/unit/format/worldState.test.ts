import { strict as assert } from 'node:assert';
import type { Problem } from '../../../src/core/format/records';
import { decodeText } from '../../../src/core/format/text';
import { parseWorldState } from '../../../src/core/format/worldState';
import { formattedWorldState } from '../helpers/runFiles';

const FILE = 'output/x/run-001/world-state-002.md';

/** A formatted world-state file of turn `t` (titled t-1), with this test's default change and consequence lists. */
const formatted = (t: number, state: string, keyChanges = '- A\n- B', consequences = '- C') => formattedWorldState(t, state, { keyChanges, consequences });

const V1 =
  '# World State - Turn 2\n\n**Scenario:** AI Safety Summit 2026\n\n**Turn Duration:** 1 week\n\n' +
  '**Generated:** 2025-11-10 14:09:01\n\n---\n\n## Current Situation\n\nState text.\n\n## Not a section\n\n---\n\n' +
  "## Actions Taken This Turn\n\n### Côte d'Ivoire\n\nFirst action.\n\n### Japan (METI)\n\nSecond.\n### Not an actor\n\n";

const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

describe('parseWorldState', () => {
  describe('V2 formatted (world-update phase)', () => {
    it('reads the current situation exactly, without trimming', () => {
      const state = '  Leading spaces.\n\n## A heading inside the state\n\nTrailing blank line follows.\n';
      const { value, problems } = parseWorldState(formatted(3, state), FILE);
      assert.deepEqual(problems, []);
      assert.equal(value?.kind, 'v2-formatted');
      if (value?.kind !== 'v2-formatted') {
        return;
      }
      assert.equal(value.titleTurn, 2);
      assert.equal(value.updatedAt, '2025-11-24 09:49:14');
      assert.equal(value.currentSituation, state);
      assert.deepEqual(value.keyChanges, ['A', 'B']);
      assert.deepEqual(value.consequences, ['C']);
      assert.deepEqual(value.currentSituationSpan, { file: FILE, startLine: 5, endLine: 11 });
    });

    it('turns the "nothing" placeholders into empty lists', () => {
      const { value } = parseWorldState(formatted(1, 'S', 'No key changes identified', 'No consequences noted'), FILE);
      assert.ok(value?.kind === 'v2-formatted');
      assert.deepEqual([value.keyChanges, value.consequences], [[], []]);
    });

    it('reads an empty situation as the empty string', () => {
      const { value, problems } = parseWorldState(formatted(1, ''), FILE);
      assert.deepEqual(problems, []);
      assert.ok(value?.kind === 'v2-formatted');
      assert.equal(value.currentSituation, '');
      assert.deepEqual(value.currentSituationSpan, { file: FILE, startLine: 5, endLine: 5 });
    });

    it('reports a file cut off inside the situation as an error, keeping what was there', () => {
      const text = formatted(2, 'Full state text.').slice(0, 90);
      const { value, problems } = parseWorldState(text, FILE);
      assert.equal(errors(problems).length, 1);
      assert.match(problems[0].message, /Key Changes This Turn/);
      assert.ok(value?.kind === 'v2-formatted');
      assert.ok('Full state text.'.startsWith(value.currentSituation));
    });

    it('treats a title alone as an unfinished formatted file', () => {
      const { value, problems } = parseWorldState('# World State - Turn 4\n\n', FILE);
      assert.equal(value, undefined);
      assert.match(errors(problems)[0].message, /Current Situation/);
    });

    it('reads a file written on Windows (cp1252 + CRLF) once decoded', () => {
      const crlf = formatted(2, 'Communiqu\u00e9 drafted.').replace(/\n/g, '\r\n');
      const cp1252 = Uint8Array.from([...crlf].map((c) => c.charCodeAt(0)));
      const { value, problems } = parseWorldState(decodeText(cp1252).text, FILE);
      assert.deepEqual(problems, []);
      assert.ok(value?.kind === 'v2-formatted');
      assert.equal(value.currentSituation, 'Communiqué drafted.');
    });
  });

  describe('V2 raw (persistence phase)', () => {
    it('takes the whole text as the state', () => {
      const text = 'By the end of turn 4, …\n\nNo newline at the end';
      assert.deepEqual(parseWorldState(text, FILE), {
        value: { kind: 'v2-raw', text, span: { file: FILE, startLine: 1, endLine: 3 } },
        problems: [],
      });
    });

    it('keeps a state that merely starts with a look-alike title raw', () => {
      const text = '# World State - Turn 3\n\nThe LLM chose to start with a heading.';
      assert.equal(parseWorldState(text, FILE).value?.kind, 'v2-raw');
    });

    it('warns about an empty file', () => {
      const { value, problems } = parseWorldState('', FILE);
      assert.equal(value?.kind, 'v2-raw');
      assert.equal(problems[0].severity, 'warning');
    });
  });

  describe('V1', () => {
    it('reads header, situation and the actions of each actor', () => {
      const { value, problems } = parseWorldState(V1, FILE);
      assert.deepEqual(problems, []);
      assert.ok(value?.kind === 'v1');
      assert.equal(value.turn, 2);
      assert.equal(value.scenarioName, 'AI Safety Summit 2026');
      assert.equal(value.generatedAt, '2025-11-10 14:09:01');
      assert.equal(value.currentSituation, 'State text.\n\n## Not a section');
      assert.deepEqual(
        value.actions.map((a) => [a.actor, a.text, a.span.startLine, a.span.endLine]),
        [
          ["Côte d'Ivoire", 'First action.', 21, 23],
          ['Japan (METI)', 'Second.\n### Not an actor', 25, 28],
        ],
      );
    });

    it('reads the initial state of turn 0, which has no actions', () => {
      const text = '# World State - Turn 0\n\n**Scenario:** S\n\n---\n\n## Current Situation\n\n# Setting\n\nInitial.\n\n\n';
      const { value, problems } = parseWorldState(text, FILE);
      assert.deepEqual(problems, []);
      assert.ok(value?.kind === 'v1');
      assert.equal(value.currentSituation, '# Setting\n\nInitial.\n');
      assert.deepEqual(value.actions, []);
    });

    it('warns when a later turn has no actions (file cut short)', () => {
      const { value, problems } = parseWorldState(V1.slice(0, V1.indexOf('\n\n---\n\n## Actions')), FILE);
      assert.ok(value?.kind === 'v1');
      assert.equal(problems[0].severity, 'warning');
    });
  });

  it('never throws on garbage or huge input', () => {
    for (const text of ['\n\n\n', '# World State - Turn x', '\u0000\uffff', '## Current Situation\n\n', '# World State - Turn 1\n\n*Updated at']) {
      assert.doesNotThrow(() => parseWorldState(text, FILE));
    }
    // 10 MB of state: a backtracking parser would not finish within the suite's time-out (.mocharc.json).
    const state = 'x'.repeat(200).concat('\n').repeat(50_000);
    const { value } = parseWorldState(formatted(5, state), FILE);
    assert.ok(value?.kind === 'v2-formatted' && value.currentSituation === state);
  });
});
