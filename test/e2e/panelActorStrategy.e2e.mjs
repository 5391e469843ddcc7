// Compare Actor Strategies… from the command palette on the sample batch: the experiment and actor
// picked by typing descriptive text, the panel's counts and distinctive terms equal the CLI's
// `actor-strategy --json`, one column per variation, another turn chosen, and a decision's link
// opens its markdown at the decision's line.
import assert from 'node:assert/strict';
import { answerQuickPick, cliFor, openFirstSourceLink, panel, tableRows, waitForIndex } from './panelHelpers.mjs';

export const title = 'Actor strategy panel: counts and terms of `actor-strategy --json`, actions side by side, decision link';
export const timeoutMs = 240_000;

const BATCH = 'experiments/regulatory-model-comparison';

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const cli = cliFor(t.workspace);
  const expected = cli.json('actor-strategy', BATCH, '--actor', 'United States');

  await waitForIndex(t);
  await t.runCommand('Scenario Lab: Compare Actor Strategies…');
  // Matched on the folder (the description) and the base scenario (the detail), not only the name.
  await answerQuickPick(t, 'regulatory-model-comparison');
  await answerQuickPick(t, 'United States');

  const web = panel(t);
  await web.locator('#strategy-table').waitFor({ timeout: 30_000 });
  const rows = await tableRows(web, '#strategy-table');
  assert.deepEqual(Object.keys(rows), expected.groups.map((g) => g.label));
  for (const g of expected.groups) {
    const [description, runs, decisions, , terms] = rows[g.label];
    assert.equal(description, g.description);
    assert.equal(Number(runs), g.runs);
    assert.equal(Number(decisions), g.decisions);
    assert.equal(terms, g.terms.length ? g.terms.map((x) => `${x.term} (${x.count})`).join(' ') : '–');
  }
  const headers = await web.locator('#actions-table thead th').allTextContents();
  assert.deepEqual(headers, expected.groups.map((g) => g.label), 'one column per variation');
  const first = await web.locator('#actions-table .action-text').allTextContents();
  assert.deepEqual(first, expected.groups.flatMap((g) => g.actions.map((a) => a.action)).filter((a) => a !== null));
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-actor-strategy');

  // Another turn: the side-by-side actions follow.
  const turn2 = cli.json('actor-strategy', BATCH, '--actor', 'United States', '--turn', '2');
  await web.locator('#turn-choice').click();
  await web.locator('#turn-choice vscode-option', { hasText: 'Turn 2' }).click();
  await t.waitFor(async () => (await web.locator('#actions-table caption').textContent())?.startsWith('Actions in turn 2'), { message: 'turn 2 shown', timeout: 15_000 });
  assert.deepEqual(await web.locator('#actions-table .action-text').allTextContents(), turn2.groups.flatMap((g) => g.actions.map((a) => a.action)).filter((a) => a !== null));

  const line = await openFirstSourceLink(t, web, '#actions-table');
  assert.equal(line, turn2.groups[0].actions[0].line);
}
