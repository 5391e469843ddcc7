/** What a hover finds on a line, and what the index answers for it, on the sample workspace. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnalytics, type Analytics } from '../../../src/core/analytics/analytics';
import { findHoverTarget } from '../../../src/core/hover/hoverTargets';
import { sparkline } from '../../../src/core/hover/sparkline';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { indexOn } from '../helpers/engineIndex';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const RUN = 'output/ai-regulatory-negotiation/run-003';
const WORLD = `${RUN}/world-state-000.md`;

describe('metric hovers', function () {
  this.timeout(30000);
  let index: ConnectedScenarioIndex;
  let queries: Analytics;
  before(async () => {
    index = await openConnectedScenarioIndex(undefined);
    await index.index({ roots: [{ name: 'ws', absPath: FIXTURE }] });
    queries = createAnalytics(index.kysely);
  });
  after(() => index.close());

  it('knows the run, scenario metrics and actors of a run file', async () => {
    const context = (await queries.runFileContext(WORLD))!;
    assert.equal(context.runId, 'run-20251124-193239');
    assert.equal(context.scenarioId, 'AI Regulatory Negotiation');
    assert.ok(context.metrics.some((m) => m.name === 'cooperation_level' && m.pattern));
    assert.ok(context.actors.includes('China'));
    assert.equal(await queries.runFileContext('output/nowhere/x.md'), undefined);
  });

  it('falls back on the run\'s own scenario folder when the recorded scenario name differs from scenario.yaml', async () => {
    // A copy of the workspace whose scenario.yaml was renamed after the runs were written.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hover-renamed-'));
    try {
      fs.cpSync(path.join(FIXTURE, 'scenarios', 'ai-regulatory-negotiation'), path.join(copy, 'scenarios', 'ai-regulatory-negotiation'), { recursive: true });
      fs.cpSync(path.join(FIXTURE, RUN), path.join(copy, RUN), { recursive: true });
      const yaml = path.join(copy, 'scenarios', 'ai-regulatory-negotiation', 'scenario.yaml');
      fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^name: .*$/m, 'name: AI Regulatory Talks (renamed)'));
      const renamed = await openConnectedScenarioIndex(undefined);
      try {
        await renamed.index({ roots: [{ name: 'ws', absPath: copy }] });
        const context = (await createAnalytics(renamed.kysely).runFileContext(WORLD))!;
        assert.equal(context.scenarioId, 'AI Regulatory Negotiation', 'the name the run recorded');
        assert.ok(context.metrics.some((m) => m.name === 'cooperation_level' && m.pattern), 'definitions from the run\'s own scenario folder');
      } finally {
        renamed.close();
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('finds the metric under "cooperation level", `cooperation_level` and the value its pattern pulls', async () => {
    const { metrics, actors } = (await queries.runFileContext(WORLD))!;
    const line = fs.readFileSync(path.join(FIXTURE, WORLD), 'utf8').split('\n').find((l) => l.includes('cooperation level'))!;
    const name = findHoverTarget(line, line.indexOf('cooperation level') + 3, metrics, actors);
    assert.equal(name?.kind === 'metric' && name.metric.name, 'cooperation_level');
    const value = findHoverTarget(line, line.indexOf('6.5'), metrics, actors);
    assert.ok(value?.kind === 'metric' && value.metric.name === 'cooperation_level' && value.matched === '6.5');
    const snake = findHoverTarget('see cooperation_level here', 6, metrics, actors);
    assert.equal(snake?.kind === 'metric' && snake.metric.name, 'cooperation_level');
    assert.equal(findHoverTarget(line, 0, metrics, actors), undefined);
    const actor = findHoverTarget('while China signalled', 8, metrics, actors);
    assert.deepEqual(actor, { kind: 'actor', actor: 'China', start: 6, end: 11 });
  });

  it('places a world-state line in its turn and answers the run series and the scenario summary', async () => {
    const context = (await queries.runFileContext(WORLD))!;
    const place = await queries.linePlace(context.folderId, WORLD, 9);
    assert.equal(place?.turnNum, 1);
    const series = await queries.runMetricSeries(context.runId!, 'cooperation_level');
    assert.deepEqual(series.map((p) => [p.turnNum, p.value]), [[1, 6.5], [2, 6]]);
    const summary = await queries.scenarioMetricSummary(context.scenarioId!, 'cooperation_level');
    assert.equal(summary.runCount, 6);
    assert.ok(summary.byTurn.get(1)!.count >= 6);
    const decision = await queries.actorDecision(context.runId!, 1, 'China');
    assert.equal(decision?.source?.file, `${RUN}/china-001.md`);
  });

  it('draws a sparkline scaled to the series', () => {
    assert.equal(sparkline([1, 2, 3]), '▁▅█');
    assert.equal(sparkline([4, 4]), '▄▄');
    assert.equal(sparkline([]), '');
  });
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`metric hovers place a line on ${engine}`, function () {
    this.timeout(60000);
    let index: Awaited<ReturnType<typeof indexOn>> | undefined;
    const source = 'lab1:/ws';
    const key = (rel: string) => (engine === 'postgres' ? `${source}/${rel}` : rel);
    before(async function () {
      index = await indexOn(engine, this, [{ name: 'ws', absPath: FIXTURE }], { prefix: 'hover_place', source });
    });
    after(() => index?.close());

    // PostgreSQL took LINE_PLACE_SQL's ?1 for an operator: every hover on a shared index failed.
    it('the turn of a world-state line and the actor of a decision line', async () => {
      const context = (await index!.analytics.runFileContext(key(WORLD)))!;
      assert.equal((await index!.analytics.linePlace(context.folderId, key(WORLD), 9))?.turnNum, 1);
      const decision = await index!.analytics.linePlace(context.folderId, key(`${RUN}/china-001.md`), 5);
      assert.deepEqual([decision?.turnNum, decision?.actor], [1, 'China']);
    });
  });
}
