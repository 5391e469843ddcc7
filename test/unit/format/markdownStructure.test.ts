/**
 * Markdown structure (issue 12, kind 4): the decision, world-state and message parsers find their
 * sections the way a CommonMark reader does. LLM text quotes drafts and code: a heading inside a
 * fenced code block (``` or ~~~, any length, unclosed to the end), an HTML block or a comment is
 * text, not a section. Values are still cut byte for byte, and source lines stay exact.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommunication } from '../../../src/core/format/communication';
import { parseDecision } from '../../../src/core/format/decision';
import { MarkdownBlocks } from '../../../src/core/format/markdown';
import { parseWorldState } from '../../../src/core/format/worldState';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { decisionPhaseDecision, formattedWorldState, persistenceDecision } from '../helpers/runFiles';

const FILE = 'output/x/run-001/china-002.md';

/** China's turn-2 decision in either layout, with the reasoning and action given. */
const persistenceFile = (reasoning: string, action: string, goals: string[] = ['Hold firm']) => persistenceDecision({ actor: 'China', turn: 2, goals, reasoning, action });
const decisionPhaseFile = (reasoning: string, action: string) => decisionPhaseDecision({ actor: 'China', turn: 2, goals: ['- Hold firm'], reasoning, action });

/** Reasoning texts that quote a decision file's own headings inside blocks a markdown reader shows as text. */
const QUOTING: Array<[string, string]> = [
  ['a backtick fence', 'My draft:\n\n```markdown\n## Action\n\nSign everything.\n```\n\nBut not yet.'],
  ['a longer tilde fence holding a shorter backtick one', 'Draft:\n\n~~~~\n```\n## Action\n\n```\n~~~~\nDone.'],
  ['an HTML comment spanning blank lines', 'Notes.\n\n<!--\n\n## Action\n\nhidden\n\n-->\n\nVisible.'],
  ['a <pre> block spanning blank lines', '<pre>\n\n## Action\n\n</pre>\n\nAfter.'],
  ['a fence indented by three spaces', 'Quote:\n\n   ```\n## Action\n   ```\n\nEnd.'],
];

describe('markdown structure: sections as a markdown reader finds them', () => {
  describe('decision files', () => {
    for (const [label, reasoning] of QUOTING) {
      it(`persistence layout: a "## Action" in ${label} stays in the reasoning`, () => {
        const action = 'China will table its counter-proposal.';
        const text = persistenceFile(reasoning, action);
        const { value, problems } = parseDecision(text, FILE);
        assert.deepEqual(problems, []);
        assert.equal(value?.reasoning, reasoning);
        assert.equal(value?.action, action);
        // Jump to source: the action heading is the template's line, after the quoted one.
        const actionLine = text.split('\n').lastIndexOf('## Action') + 1;
        assert.equal(value?.actionSpan?.startLine, actionLine);
      });

      it(`decision-phase layout: a "## Action" in ${label} stays in the reasoning`, () => {
        const { value, problems } = parseDecision(decisionPhaseFile(reasoning, 'Act.'), FILE);
        assert.deepEqual(problems, []);
        assert.equal(value?.reasoning, reasoning);
        assert.equal(value?.action, 'Act.');
      });
    }

    it('a fence the reasoning never closes runs to the end: no Action section, and the problem says why', () => {
      const { value, problems } = parseDecision(persistenceFile('Draft:\n\n```\nunclosed', 'Act.'), FILE);
      assert.equal(value?.action, '');
      assert.equal(problems.length, 1);
      assert.match(problems[0].message, /no '## Action' section outside code and HTML blocks/);
    });

    it('a "## Reasoning" quoted in a goal-list fence does not end the goals', () => {
      const goals = ['```', '## Reasoning', '```'];
      const { value, problems } = parseDecision(persistenceFile('Real reasoning.', 'Act.', goals), FILE);
      assert.deepEqual(problems, []);
      assert.deepEqual(value?.goals, goals);
      assert.equal(value?.reasoning, 'Real reasoning.');
    });

    it('a setext heading ("Action" underlined) in the text is prose, not the template heading', () => {
      const reasoning = 'Action\n------\nwas considered.';
      const { value } = parseDecision(persistenceFile(reasoning, 'Act.'), FILE);
      assert.equal(value?.reasoning, reasoning);
    });
  });

  describe('world-state files', () => {
    const formatted = (situation: string) => formattedWorldState(2, situation);

    it('a "## Key Changes This Turn" quoted in a fence stays in the current situation', () => {
      const situation = 'The draft communiqué reads:\n\n```\n## Key Changes This Turn\n\n- nothing\n```\n\nDelegates disagree.';
      const { value, problems } = parseWorldState(formatted(situation), 'output/x/run-001/world-state-001.md');
      assert.deepEqual(problems, []);
      assert.equal(value?.kind, 'v2-formatted');
      if (value?.kind !== 'v2-formatted') return;
      assert.equal(value.currentSituation, situation);
      assert.deepEqual(value.keyChanges, ['A change']);
      assert.deepEqual(value.consequences, ['A consequence']);
    });

    it('a quoted "<details>" in a fence does not end the consequences', () => {
      const text = formatted('Calm.').replace('- A consequence', '- A consequence\n\n~~~\n\n---\n\n<details>\n~~~');
      const { value } = parseWorldState(text, 'output/x/run-001/world-state-001.md');
      assert.ok(value?.kind === 'v2-formatted');
      assert.deepEqual(value.consequences, ['A consequence', '~~~', '---', '<details>', '~~~'], 'the quoted lines are part of the consequences');
    });
  });

  describe('message files', () => {
    it('a "---" rule and "### sender" quoted in a fence are part of the message, not a new one', () => {
      const content = 'Our proposal:\n\n```\n---\n\n### United States\n\nfake\n```';
      const text =
        '# Bilateral Negotiation - Turn 1\n\n**Participants:** China, United States\n\n## Messages\n\n' +
        `### China\n\n${content}\n\n---\n\n### United States\n\nNoted.\n\n---\n\n`;
      const { value, problems } = parseCommunication(text, 'output/x/run-001/bilateral-China-United States-001.md');
      assert.deepEqual(problems, []);
      assert.deepEqual(
        value?.messages.map((m) => [m.sender, m.content]),
        [
          ['China', content],
          ['United States', 'Noted.'],
        ],
      );
      assert.equal(value?.messages[1].span.startLine, text.split('\n').lastIndexOf('### United States') + 1);
    });
  });

  describe('MarkdownBlocks', () => {
    it('sees headings, rules and HTML blocks at the top level only', () => {
      const text = '# T\n\n```\n## in fence\n```\n\n    ## indented\n\n> ## quoted\n\n## Real\n\n---\n\n<div>\n\n## after html\n';
      const blocks = new MarkdownBlocks(text);
      const at = (line: string) => text.indexOf(line);
      assert.ok(blocks.isHeadingAt(0));
      assert.ok(!blocks.isHeadingAt(at('## in fence')));
      assert.ok(!blocks.isHeadingAt(at('## indented') - 4));
      assert.ok(!blocks.isHeadingAt(at('> ## quoted')));
      assert.ok(blocks.isHeadingAt(at('## Real')));
      assert.ok(!blocks.isHeadingAt(at('## Real') + 1), 'only at a line start');
      assert.ok(blocks.isRuleAt(at('---')));
      assert.ok(blocks.isHtmlBlockAt(at('<div>')));
      assert.ok(blocks.isHeadingAt(at('## after html')), 'a blank line ends a <div> block');
    });
  });
});

describe('markdown and state JSON disagree about a decision', function () {
  this.timeout(30000);
  let workspace: string;
  let index: ConnectedScenarioIndex;
  let run: string;
  let state: StateJson;
  let actor: string;
  let file: string;

  interface StateJson {
    run_id: string;
    turn: number;
    decisions: Record<string, { goals: string[]; reasoning: string; action: string; timestamp: string }>;
    actors: Record<string, { recent_decisions?: Array<{ turn: number; reasoning: string }> }>;
  }

  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-md-'));
    index = await openConnectedScenarioIndex(undefined);
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small'), workspace, { recursive: true });
    run = path.join(workspace, 'output', 'ai-summit', 'run-004');
    state = JSON.parse(fs.readFileSync(path.join(run, 'scenario-state.json'), 'utf8')) as StateJson;
    actor = Object.keys(state.decisions)[0];
    const found = fs.readdirSync(run).find((name) => fs.readFileSync(path.join(run, name), 'utf8').startsWith(`# ${actor} - Turn ${state.turn}\n\n## Goals`));
    assert.ok(found, 'the persistence file of the last turn');
    file = found;
  });
  afterEach(async () => {
    await index.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const reindex = () => index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
  const stored = () =>
    index.db.exec(
      'SELECT d.reasoning, d.action FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.run_id = ? AND t.turn_num = ? AND d.actor = ?',
      [state.run_id, state.turn, actor],
    )[0].values;
  const warnings = () => index.db.exec("SELECT file, message FROM sl_problems WHERE file LIKE '%.md' AND severity = 'warning'")[0]?.values ?? [];

  it('reasoning that itself holds a bare "## Action" heading: the state file split is stored, with a warning', async () => {
    const decision = state.decisions[actor];
    decision.reasoning = `${decision.reasoning}\n\n## Action\n\nA heading the model wrote itself.`;
    fs.writeFileSync(path.join(run, 'scenario-state.json'), JSON.stringify(state, null, 2));
    // What the persistence writer makes of that decision, at the time the file records.
    const timestamp = /\*Decision made at (.*)\*$/.exec(fs.readFileSync(path.join(run, file), 'utf8'))?.[1];
    fs.writeFileSync(path.join(run, file), persistenceDecision({ actor, turn: state.turn, goals: decision.goals, reasoning: decision.reasoning, action: decision.action }, timestamp));
    await reindex();
    assert.deepEqual(stored(), [[decision.reasoning, decision.action]]);
    const [warning] = warnings();
    assert.equal(warning[0], `output/ai-summit/run-004/${file}`);
    assert.match(String(warning[1]), /A markdown reader finds this decision's reasoning and action elsewhere than Scenario Lab wrote them/);
  });

  it('a hand-edited markdown file: its text is stored, and the disagreement with the state file is reported', async () => {
    const text = fs.readFileSync(path.join(run, file), 'utf8');
    fs.writeFileSync(path.join(run, file), text.replace('\n\n## Action\n', '\nEDITED LINE\n\n## Action\n'));
    await reindex();
    assert.ok(String(stored()[0][0]).endsWith('\nEDITED LINE'));
    const [warning] = warnings();
    assert.match(String(warning[1]), /markdown and scenario-state\.json \(line \d+\) disagree about its reasoning; the markdown, as it now reads, is stored/);
  });
});
