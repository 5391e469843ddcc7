import { strict as assert } from 'node:assert';
import { parseCommunication } from '../../../src/core/format/communication';
import type { CommunicationDoc } from '../../../src/core/format/records';
import { decodeText } from '../../../src/core/format/text';

const FILE = "output/x/run-001/coalition-Côte d'Ivoire-Japan (METI)-L'Oréal Group-002.md";

/** The exporter's template (docs/format.md#communications): participants sorted and joined with ", ", one block per message. */
function communicationFile(title: string, participants: string[], messages: Array<[string, string]>): string {
  return (
    `# ${title} - Turn 2\n\n**Scenario:** AI Safety Summit 2026\n\n**Participants:** ${participants.join(', ')}\n\n` +
    `**Generated:** 2025-11-24 09:48:08\n\n---\n\n## Messages\n\n` +
    messages.map(([sender, content]) => `### ${sender}\n\n${content}\n\n---\n\n`).join('')
  );
}

const PARTICIPANTS = ["Côte d'Ivoire", 'Japan (METI)', "L'Oréal Group"];
const MESSAGES: Array<[string, string]> = [
  ["L'Oréal Group", 'Opening.\n\n### A heading the model wrote\n\n---\n\nStill the same message.'],
  ["Côte d'Ivoire", 'Short.'],
  ['Japan (METI)', ''],
];

const summary = (doc: CommunicationDoc | undefined) => doc?.messages.map((m) => [m.sender, m.content]);

describe('parseCommunication', () => {
  it('reads the header and every message, including text that looks like markdown structure', () => {
    const { value, problems } = parseCommunication(communicationFile('Coalition Communication', PARTICIPANTS, MESSAGES), FILE);
    assert.deepEqual(problems, []);
    assert.equal(value?.channel, 'coalition');
    assert.equal(value?.turn, 2);
    assert.equal(value?.scenarioName, 'AI Safety Summit 2026');
    assert.equal(value?.generatedAt, '2025-11-24 09:48:08');
    assert.deepEqual(value?.participants, PARTICIPANTS);
    assert.deepEqual(summary(value), MESSAGES);
  });

  it('gives each message a span from its "### sender" line through its last content line', () => {
    const { value } = parseCommunication(communicationFile('Coalition Communication', PARTICIPANTS, MESSAGES), FILE);
    assert.deepEqual(
      value?.messages.map((m) => [m.span.startLine, m.span.endLine]),
      [
        [13, 21],
        [25, 27],
        [31, 31],
      ],
    );
  });

  it('reads a bilateral file', () => {
    const { value, problems } = parseCommunication(communicationFile('Bilateral Negotiation', ['China', 'United Kingdom'], [['China', 'Hi']]), FILE);
    assert.deepEqual(problems, []);
    assert.deepEqual([value?.channel, value?.participants, summary(value)], ['bilateral', ['China', 'United Kingdom'], [['China', 'Hi']]]);
  });

  it('keeps a participant whose name contains ", " together when that name sent a message', () => {
    const participants = ['China', 'Korea, Republic of', 'United States'];
    const { value, problems } = parseCommunication(communicationFile('Coalition Communication', participants, [['Korea, Republic of', 'x']]), FILE);
    assert.deepEqual(problems, []);
    assert.deepEqual(value?.participants, participants);
  });

  it('warns about a sender that is not a listed participant', () => {
    const { problems } = parseCommunication(communicationFile('Bilateral Negotiation', ['A', 'B'], [['C', 'x']]), FILE);
    assert.deepEqual(
      problems.map((p) => [p.line, p.severity]),
      [[13, 'warning']],
    );
  });

  it('reads a file written on Windows once decoded', () => {
    const crlf = communicationFile('Bilateral Negotiation', ['Société Générale', 'Zürich'], [['Zürich', 'Grüße']]).replace(/\n/g, '\r\n');
    const bytes = Uint8Array.from([...crlf].map((c) => c.charCodeAt(0)));
    const { value, problems } = parseCommunication(decodeText(bytes).text, FILE);
    assert.deepEqual(problems, []);
    assert.deepEqual(summary(value), [['Zürich', 'Grüße']]);
  });

  it('reports every truncated prefix of a file and keeps the complete messages', () => {
    const text = communicationFile('Coalition Communication', PARTICIPANTS, MESSAGES);
    for (let length = 0; length < text.length; length++) {
      // A cut right after a "---" rule inside a message is a complete file with a shorter message.
      if (text.slice(0, length).endsWith('\n\n---\n\n')) {
        continue;
      }
      const { value, problems } = parseCommunication(text.slice(0, length), FILE);
      assert.ok(problems.length > 0, `prefix of ${length} characters parsed without complaint`);
      const complete = (value?.messages ?? []).slice(0, -1);
      assert.deepEqual(
        complete.map((m) => [m.sender, m.content]),
        MESSAGES.slice(0, complete.length),
        `prefix of ${length} characters`,
      );
    }
  });

  it('returns an error for files that are not communication exports', () => {
    for (const text of ['', '# European Union - Turn 1\n\n## Goals', '# Bilateral Negotiation - Turn', '\u0000']) {
      const { value, problems } = parseCommunication(text, FILE);
      assert.equal(value, undefined);
      assert.deepEqual(
        problems.map((p) => p.severity),
        ['error'],
      );
    }
  });

  it('warns when the messages section is missing', () => {
    const text = '# Bilateral Negotiation - Turn 3\n\n**Scenario:** S\n\n**Participants:** A, B\n\n';
    const { value, problems } = parseCommunication(text, FILE);
    assert.deepEqual([value?.messages, value?.participants], [[], ['A', 'B']]);
    assert.match(problems[0].message, /## Messages/);
  });
});
