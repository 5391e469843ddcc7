import { strict as assert } from 'node:assert';
import { parseDecision } from '../../../src/core/format/decision';
import type { DecisionDoc } from '../../../src/core/format/records';
import { decodeText } from '../../../src/core/format/text';
import { decisionPhaseDecision, type DecisionValues, persistenceDecision } from '../helpers/runFiles';

const FILE = 'output/x/run-002/actor-001.md';

const EU: DecisionValues = {
  actor: 'European Union',
  turn: 1,
  goals: ['**Long-term:**', '- Create a shared registry', '- Protect rights', '', '**Short-term:**', '- Build a coalition'],
  reasoning: 'Domestically, agencies are watching.\n\nInternal assessment (trust level: 4/10).',
  action: 'European Union will take the following steps this turn:\n\n- Brief insurers\n- Commit 24 million',
};

const CASES: DecisionValues[] = [
  EU,
  { actor: 'China', turn: 2, goals: [], reasoning: '', action: '' },
  { actor: "Côte d'Ivoire", turn: 3, goals: ['- only a bullet'], reasoning: '\nStarts with a blank line', action: 'Ends with a newline\n' },
  { actor: "L'Oréal Group", turn: 1000, goals: ['日本語の目標'], reasoning: 'See the plan.\n## Action plan\nnot a section', action: '## Reasoning\n\nquoted heading' },
  { actor: 'Japan (METI)', turn: 4, goals: ['a'], reasoning: 'Trailing spaces   ', action: '*Decision made at an earlier line*\n\nreal action' },
  { actor: 'Labs/Government Taskforce - Turn 3 Team', turn: 7, goals: ['x', '- y'], reasoning: 'r', action: 'a' },
];

const content = (d: DecisionDoc | undefined) => d && { actor: d.actor, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action };
const expected = (d: DecisionValues) => ({ actor: d.actor, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action });

describe('parseDecision', () => {
  describe('persistence format', () => {
    for (const d of CASES) {
      it(`reads back exactly what was written for ${d.actor} turn ${d.turn}`, () => {
        const { value, problems } = parseDecision(persistenceDecision(d), FILE);
        assert.deepEqual(problems, []);
        assert.equal(value?.format, 'persistence');
        assert.deepEqual(content(value), expected(d));
        assert.equal(value?.timestamp, '2025-11-24T09:48:35.886395');
      });
    }

    it('reads lists of empty goals ("- " lines)', () => {
      for (const goals of [[''], ['', ''], ['', 'x', '']]) {
        assert.deepEqual(parseDecision(persistenceDecision({ ...EU, goals }), FILE).value?.goals, goals);
      }
    });

    it('gives section spans from the heading through the last content line', () => {
      const { value } = parseDecision(persistenceDecision(EU), FILE);
      assert.deepEqual(value?.span, { file: FILE, startLine: 1, endLine: 22 });
      assert.deepEqual(value?.goalsSpan, { file: FILE, startLine: 3, endLine: 9 });
      assert.deepEqual(value?.reasoningSpan, { file: FILE, startLine: 11, endLine: 14 });
      assert.deepEqual(value?.actionSpan, { file: FILE, startLine: 16, endLine: 20 });
    });

    it('points empty sections at their headings', () => {
      const { value } = parseDecision(persistenceDecision(CASES[1]), FILE);
      assert.deepEqual(
        [value?.goalsSpan, value?.reasoningSpan, value?.actionSpan].map((s) => s && [s.startLine, s.endLine]),
        [
          [3, 3],
          [5, 5],
          [8, 8],
        ],
      );
    });

    it('accepts a final newline added by an editor', () => {
      const { value, problems } = parseDecision(`${persistenceDecision(EU)}\n`, FILE);
      assert.deepEqual(problems, []);
      assert.deepEqual(content(value), expected(EU));
    });

    it('keeps goal lines without the "- " prefix and says so', () => {
      const text = persistenceDecision(EU).replace('- **Short-term:**', '**Short-term:**');
      const { value, problems } = parseDecision(text, FILE);
      assert.deepEqual(value?.goals, EU.goals);
      assert.deepEqual(
        problems.map((p) => [p.line, p.severity]),
        [[8, 'warning']],
      );
    });

    it('reports every truncated prefix of the file', () => {
      const text = persistenceDecision(EU);
      for (let length = 0; length < text.length; length++) {
        const { value, problems } = parseDecision(text.slice(0, length), FILE);
        assert.ok(problems.length > 0, `prefix of ${length} characters parsed without complaint`);
        assert.ok(!value || (value.actor === EU.actor && value.turn === EU.turn), `prefix of ${length} characters`);
      }
    });
  });

  describe('decision-phase format', () => {
    for (const d of CASES) {
      it(`reads the same decision as the persistence file for ${d.actor} turn ${d.turn}`, () => {
        const { value, problems } = parseDecision(decisionPhaseDecision(d), FILE);
        assert.deepEqual(problems, []);
        assert.equal(value?.format, 'decision-phase');
        assert.deepEqual(content(value), content(parseDecision(persistenceDecision(d), FILE).value));
        assert.equal(value?.timestamp, '2025-11-24 09:48:35');
      });
    }

    it('points actionSpan at the "## Action" heading', () => {
      const text = decisionPhaseDecision(EU);
      const { value } = parseDecision(text, FILE);
      assert.equal(text.split('\n')[(value?.actionSpan?.startLine ?? 0) - 1], '## Action');
      assert.equal(value?.actionSpan?.endLine, text.split('\n').length - 1);
    });

    it('warns when the file does not end with its final newline', () => {
      const text = decisionPhaseDecision(EU);
      const { value, problems } = parseDecision(text.slice(0, -3), FILE);
      assert.equal(value?.action, EU.action.slice(0, -2));
      assert.equal(problems[0].severity, 'warning');
    });

    it('reports a file cut before the action', () => {
      const text = decisionPhaseDecision(EU);
      const { value, problems } = parseDecision(text.slice(0, text.indexOf('## Action')), FILE);
      assert.ok(value?.reasoning.startsWith(EU.reasoning));
      assert.equal(value?.actionSpan, undefined);
      assert.match(problems[0].message, /'## Action'/);
    });
  });

  describe('V1 format', () => {
    const v1 = (goals: string | undefined) =>
      '# European Union - Turn 2\n\n**Scenario:** AI Safety Summit 2026\n\n**Turn Duration:** 1 week\n\n' +
      '**Generated:** 2025-11-10 14:08:16\n\n---\n\n' +
      (goals === undefined ? '' : `## Current Goals\n${goals}\n\n---\n\n`) +
      '## Reasoning\nWhy.\n\n---\n\n## Action\nWhat.\n\n---\nnot a rule\n';

    it('reads goals, reasoning and action between the --- rules', () => {
      const { value, problems } = parseDecision(v1('**LONG-TERM GOALS:**\n- Export the AI Act'), FILE);
      assert.deepEqual(problems, []);
      assert.deepEqual(content(value), {
        actor: 'European Union',
        turn: 2,
        goals: ['**LONG-TERM GOALS:**', '- Export the AI Act'],
        reasoning: 'Why.',
        action: 'What.\n\n---\nnot a rule',
      });
      assert.equal(value?.format, 'v1');
      assert.equal(value?.timestamp, '2025-11-10 14:08:16');
      assert.deepEqual(value?.goalsSpan, { file: FILE, startLine: 11, endLine: 13 });
    });

    it('accepts a file without goals', () => {
      const { value, problems } = parseDecision(v1(undefined), FILE);
      assert.deepEqual(problems, []);
      assert.deepEqual([value?.goals, value?.goalsSpan, value?.reasoning], [[], undefined, 'Why.']);
    });
  });

  describe('titles', () => {
    it('takes the last " - Turn N" as the turn', () => {
      const { value } = parseDecision(persistenceDecision({ ...EU, actor: 'Phase - Turn 2 - Team' }), FILE);
      assert.deepEqual([value?.actor, value?.turn], ['Phase - Turn 2 - Team', 1]);
    });

    it('reads titles of files written on Windows once decoded', () => {
      const crlf = persistenceDecision({ ...EU, actor: 'Société Générale' }).replace(/\n/g, '\r\n');
      const bytes = Uint8Array.from([...crlf].map((c) => c.charCodeAt(0)));
      const { value, problems } = parseDecision(decodeText(bytes).text, FILE);
      assert.deepEqual(problems, []);
      assert.equal(value?.actor, 'Société Générale');
      assert.equal(value?.action, EU.action);
    });
  });

  describe('bad input', () => {
    const cases = ['', '\n', 'no title', '# Nobody - Turn x', '# A - Turn 1', '# A - Turn 1\n\n## Something else', '\u0000\u0001\ufffd', '## Goals\n- a'];
    for (const text of cases) {
      it(`returns an error instead of throwing for ${JSON.stringify(text)}`, () => {
        const { value, problems } = parseDecision(text, FILE);
        assert.equal(value, undefined);
        assert.equal(problems.length, 1);
        assert.equal(problems[0].severity, 'error');
        assert.equal(problems[0].file, FILE);
      });
    }

    // 10 MB of reasoning: a parser that backtracks or goes quadratic does not finish within the
    // suite's time-out (.mocharc.json); how fast it is belongs to `npm run bench`, not to this test.
    it('parses a huge decision (10 MB, 20,000 goals) whole', () => {
      const big = { ...EU, reasoning: 'word '.repeat(2_000_000), goals: Array.from({ length: 20_000 }, (_, i) => `- goal ${i}`) };
      const { value, problems } = parseDecision(persistenceDecision(big), FILE);
      assert.deepEqual(problems, []);
      assert.deepEqual(content(value), expected(big));
    });
  });
});
