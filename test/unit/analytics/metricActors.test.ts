/**
 * Actor-specific metrics keep their actor in our own table: Scenario Lab's `metrics.actor` stays
 * NULL (as its runner stores extracted metrics), while the CLI's `--actor`, the chart's actor
 * choice and the hovers use the actor the files record (`metadata.actor`).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { SAMPLE_WORKSPACE_SMALL as WORKSPACE, savedSampleIndex, type SavedSampleIndex } from '../helpers/savedSampleIndex';
import { REPO_ROOT } from '../helpers/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** China's trust_level records in the sample workspace, counted from its metrics.json files themselves. */
function chinaTrustRecordsInFiles(): number {
  let n = 0;
  for (const entry of fs.readdirSync(WORKSPACE, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== 'metrics.json') continue;
    const records = JSON.parse(fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8'));
    if (!Array.isArray(records)) continue;
    n += records.filter((r: { name: string; metadata?: { actor?: string } }) => r.name === 'trust_level' && r.metadata?.actor === 'China').length;
  }
  return n;
}

describe('actor-specific metrics', function () {
  this.timeout(60000);
  let sample: SavedSampleIndex;
  let index: ConnectedScenarioIndex;
  let db: string;

  before(async () => {
    sample = await savedSampleIndex();
    ({ index, db } = sample);
  });
  after(async () => sample.dispose());

  it('answers the README example: metrics --name trust_level --actor China lists China\'s records', () => {
    const expected = chinaTrustRecordsInFiles();
    assert.ok(expected > 0);
    const result = spawnSync(process.execPath, [CLI, 'metrics', '--name', 'trust_level', '--actor', 'China', '--json', '--db', db], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as Array<{ actor: string; metric_name: string }>;
    assert.equal(rows.length, expected);
    assert.ok(rows.every((r) => r.actor === 'China' && r.metric_name === 'trust_level'));
  });

  it('keeps Scenario Lab\'s metrics.actor NULL for them, and its own filter answers as its Database class does', async () => {
    const nonNull = Number(index.db.exec("SELECT COUNT(*) FROM metrics WHERE name = 'trust_level' AND actor IS NOT NULL")[0].values[0][0]);
    assert.equal(nonNull, 0);
    assert.equal((await index.analytics.queryMetrics({ metricName: 'trust_level', scenarioLabActor: 'China' })).length, 0);
    const ours = await index.analytics.queryMetrics({ metricName: 'trust_level', actor: 'China' });
    assert.ok(ours.length > 0 && ours.every((m) => m.actor === 'China' && m.scenarioLabActor === null));
  });

  it('gives the chart its actors and a per-actor series, and aggregates per actor', async () => {
    const actors = await index.analytics.listMetricActors('trust_level', { scenario: 'AI Safety Summit 2026' });
    assert.deepEqual(actors, ['China', 'European Union', 'United Kingdom', 'United States']);
    const all = await index.analytics.aggregateMetrics('trust_level', {});
    const china = await index.analytics.aggregateMetrics('trust_level', { actor: 'China' });
    assert.ok(china.count > 0 && china.count < all.count);
    const series = await index.analytics.metricSeriesByRun('trust_level', { actor: 'China' });
    assert.ok(series.length > 0);
  });

  it('names the actor of each value in a hover', async () => {
    const runId = 'run-20251124-094755';
    const points = await index.analytics.runMetricSeries(runId, 'trust_level');
    assert.ok(points.length > 0 && points.every((p) => p.actor !== null), JSON.stringify(points.slice(0, 3)));
  });
});
