// Run statistics from the command palette: counts, cost by phase/actor/model as bars and tables,
// and turn-by-turn cost, equal to the CLI's `stats --json`.
import assert from 'node:assert/strict';
import { answerQuickPick, cliFor, panel, tableRows, waitForIndex } from './panelHelpers.mjs';

export const title = 'Run statistics panel: counts and cost breakdowns of `stats --json`, as bars and tables';
export const timeoutMs = 240_000;

const RUN = 'run-20251124-151111';
const NOT_ITEMISED = 'other / not itemised'; // NOT_ITEMISED_COST in src/core/analytics/types.ts
/** Costs as every surface shows them: 4 decimals, thousands separators. */
const money = (dollars) => `$${dollars.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`;

/** @param {ReturnType<typeof import('../../scripts/vscode-host/workbench.mjs').createWorkbench>} t */
export default async function (t) {
  const stats = cliFor(t.workspace).json('stats', RUN);

  await waitForIndex(t);
  await t.runCommand('Scenario Lab: Show Run Statistics…');
  await answerQuickPick(t, RUN);

  const web = panel(t);
  await web.locator('#counts').waitFor({ timeout: 30_000 });
  const counts = await web.locator('#counts').evaluate((dl) => Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
  assert.equal(counts['Decisions'], String(stats.decision_count));
  assert.equal(counts['Communications'], String(stats.communication_count));
  assert.equal(counts['Total cost'], money(stats.total_cost));
  // Each breakdown ends with the run's costs Scenario Lab's costs table does not itemise (world_update,
  // qa_validation), so it sums to the total; `stats --json` gives that figure as cost_not_itemised.
  const other = stats.cost_not_itemised !== 0 ? [NOT_ITEMISED] : [];
  const phases = await tableRows(web, '#cost-phase-table');
  assert.deepEqual(Object.keys(phases), [...stats.cost_by_phase.map((c) => c.phase), ...other]);
  stats.cost_by_phase.forEach((c) => assert.equal(phases[c.phase][0], money(c.total)));
  if (other.length) assert.equal(phases[NOT_ITEMISED][0], money(stats.cost_not_itemised));
  assert.deepEqual(Object.keys(await tableRows(web, '#cost-model-table')), [...stats.cost_by_model.map((c) => c.model), ...other]);
  assert.equal(await web.locator('svg.bar-chart').count(), 4, 'phase, actor, model and turn bars');
  assert.ok((await web.locator('#cost-turn-table tbody tr').count()) > 0, 'turn-by-turn cost');
  await t.page.mouse.move(700, 5);
  await t.screenshot('panel-run-statistics');
  await web.locator('#cost-model-table').scrollIntoViewIfNeeded();
  await t.screenshot('panel-run-statistics-costs');
}
