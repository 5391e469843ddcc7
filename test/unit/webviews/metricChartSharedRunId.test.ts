/**
 * The metric chart on a run id two folders carry (parallel batch runs): one run, one line, and its
 * run search names it as the legend and every run picker do ("var-001-run-001 (+1 folder)"), not by
 * the last of its folders.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { buildMetricChartSnapshot } from '../../../src/extension/webviews/snapshots/metricChartSnapshot';
import { SourceLinks } from '../../../src/extension/webviews/sourceLinks';
import { REPO_ROOT } from '../helpers/paths';

const BATCH = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'shared-run-id-batch');

describe('metric chart: a run id carried by two folders', function () {
  this.timeout(30000);
  let index: ConnectedScenarioIndex;
  before(async () => {
    index = await openConnectedScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'batch', absPath: BATCH }] });
  });
  after(() => index.close());

  it('offers the run once in its run search, under the label of its line', async () => {
    const [metric] = (await index.analytics.listMetricNames()).map((m) => m.name);
    const s = await buildMetricChartSnapshot(index.analytics, { panel: 'metricChart', metric, view: 'runs' }, new SourceLinks());
    assert.equal(s.choices.runs.length, 1);
    const [choice] = s.choices.runs;
    assert.equal(choice.runId, 'run-20251124-090331');
    assert.equal(choice.label, 'var-001-run-001 (+1 folder)');
    assert.equal(s.series.find((x) => x.runId === choice.runId)?.label, choice.label, 'the line and the search name the run alike');
    assert.match(choice.folder, /var-001-run-001.*, .*var-001-run-002/, 'both folders stay searchable');
  });
});
