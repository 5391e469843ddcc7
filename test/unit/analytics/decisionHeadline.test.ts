/** Decisions described by their first concrete step rather than Scenario Lab's boilerplate preamble. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { decisionHeadline } from '../../../src/core/analytics/decisionHeadline';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');

describe('decision headline', () => {
  it('skips "X will take the following steps this turn:" and takes the first step', () => {
    const action = 'India will take the following steps this turn:\n\n- Brief cloud providers on the emerging compromise\n- Table draft language';
    assert.equal(decisionHeadline(action), 'Brief cloud providers on the emerging compromise');
  });

  it('handles numbered steps, headings, bold markers and a preamble alone', () => {
    assert.equal(decisionHeadline('### Actions\nWe will do the following:\n1. **Propose** a moratorium\n2. Wait'), 'Propose a moratorium');
    assert.equal(decisionHeadline('Hold the line on export controls.'), 'Hold the line on export controls.');
    assert.equal(decisionHeadline('The following steps:'), 'The following steps:');
    assert.equal(decisionHeadline(''), '');
    assert.equal(decisionHeadline(`- ${'x'.repeat(200)}`, 20), `${'x'.repeat(19)}…`);
  });

  it('describes no decision of the sample workspace by the boilerplate', async function () {
    this.timeout(30000);
    const index = await openScenarioIndex(undefined);
    try {
      await index.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
      const runs = await index.analytics.listRuns();
      const decisions = (await Promise.all(runs.map(async (r) => (await Promise.all((await index.analytics.listTurns(r.id)).map((t) => index.analytics.listDecisions(r.id, t.turnNum)))).flat()))).flat();
      const boilerplate = decisions.filter((d) => /will take the following steps this turn/.test(d.action));
      assert.ok(boilerplate.length > 0, 'the sample has the boilerplate');
      for (const d of boilerplate) {
        // The oracle: the first "- " item of the action, as the markdown shows it.
        const firstStep = /^\s*[-*] (.+)$/m.exec(d.action)?.[1].replace(/\*\*/g, '').trim() ?? '';
        assert.equal(decisionHeadline(d.action, 1000), firstStep, d.action.slice(0, 80));
      }
    } finally {
      index.close();
    }
  });
});
