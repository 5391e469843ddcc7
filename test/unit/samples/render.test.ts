import { strict as assert } from 'node:assert';
import { ACTOR_POOL } from '../../../src/tools/samples/catalog';
import { decisionPhaseMarkdown, persistenceMarkdown } from '../../../src/tools/samples/render';
import { microsAt } from '../../../src/tools/samples/python';
import type { Decision } from '../../../src/tools/samples/runRecord';

// Byte-exact expectations taken from the real sample workspace (shared/samples/workspace-small).
const china = ACTOR_POOL.find((a) => a.name === 'China')!;

function decision(goalsText: string, reasoning: string, action: string, timestamp: number): Decision {
  return {
    actor: { spec: china, model: china.model }, turn: 2, goalsText,
    goals: goalsText === '' ? [] : goalsText.split('\n'), reasoning, action, timestamp,
  };
}

describe('samples/render: decision markdown', () => {
  it('renders an unstructured (empty) decision like ai-regulatory-negotiation/run-002/china-002.md', () => {
    const d = decision('', '', '', microsAt(2025, 11, 24, 16, 42) + 3_952_036);
    assert.equal(
      persistenceMarkdown(d),
      '# China - Turn 2\n\n## Goals\n\n## Reasoning\n\n\n## Action\n\n\n*Decision made at 2025-11-24T16:42:03.952036*',
    );
  });

  it('renders goals as "- - x" and "- " lines in the persistence format, verbatim in the decision-phase format', () => {
    const d = decision('**Long-term:**\n- Protect fundamental rights\n\n**Short-term:**\n- Build a coalition', 'R1\n\nR2', 'A1', microsAt(2025, 11, 24, 9, 48) + 35_949_534);
    assert.equal(
      persistenceMarkdown(d),
      '# China - Turn 2\n\n## Goals\n- **Long-term:**\n- - Protect fundamental rights\n- \n- **Short-term:**\n- - Build a coalition\n\n' +
        '## Reasoning\nR1\n\nR2\n\n## Action\nA1\n\n*Decision made at 2025-11-24T09:48:35.949534*',
    );
    assert.equal(
      decisionPhaseMarkdown(d),
      '# China - Turn 2\n\n*Decision made at 2025-11-24 09:48:35*\n\n## Goals\n\n**Long-term:**\n- Protect fundamental rights\n\n' +
        '**Short-term:**\n- Build a coalition\n\n## Reasoning\n\nR1\n\nR2\n\n## Action\n\nA1\n',
    );
  });
});
