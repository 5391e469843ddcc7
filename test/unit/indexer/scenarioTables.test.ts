/**
 * The per-scenario tables (sl_scenario_metrics, sl_scenario_decisions) must hold exactly what
 * Scenario Lab's rows joined to their turn and run give (SCOPE_SOURCES), on both engines: after a
 * first index, after a folder's metrics change, after a folder is removed, with two folders sharing
 * a run id (even when they name different scenarios), and after an index of schema 8 is upgraded.
 * The scenario views read these tables, so a drift would be a wrong figure.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createAnalytics } from '../../../src/core/analytics/analytics';
import { SCOPE_SOURCES, type IndexDatabase } from '../../../src/core/db/schema';
import { openConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { openSharedIndex } from '../../../src/core/sharedIndex';
import { REPO_ROOT } from '../helpers/paths';
import { createDatabase, dropDatabase, requirePostgres } from '../helpers/postgres';
import { sqlite3 } from '../helpers/processes';

const SMALL = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const SHARED = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', 'shared-run-id-batch');
const SHARED_RUNS = path.join('experiments', 'model-comparison', 'runs');
const REGULATORY_RUN = path.join('output', 'ai-regulatory-negotiation', 'run-001');

/** An index on one engine, as the test drives it. */
interface Opened {
  kysely: Kysely<IndexDatabase>;
  index(): Promise<void>;
  close(): Promise<void>;
}

/** Asserts each table equals its source query, row for row, and holds rows. */
async function assertNoDrift(db: Kysely<IndexDatabase>): Promise<void> {
  for (const { table, key, select } of SCOPE_SOURCES) {
    const kept = (await sql.raw(`SELECT * FROM ${table} ORDER BY ${key}`).execute(db)).rows;
    const joined = (await sql.raw(`${select} ORDER BY 1`).execute(db)).rows;
    assert.ok(joined.length > 0, `${table}: the workspace has rows`);
    assert.deepEqual(kept, joined, `${table} drifted from Scenario Lab's rows`);
  }
}

/** The scenario each per-scenario row of a run id carries, and the run row's. */
async function scenariosOfRun(db: Kysely<IndexDatabase>, runId: string): Promise<{ run: string[]; kept: string[] }> {
  const run = (await db.selectFrom('runs').select('scenario_id').where('id', '=', runId).execute()).map((r) => r.scenario_id);
  const metrics = await db.selectFrom('sl_scenario_metrics').select('scenario_id').distinct().where('run_id', '=', runId).execute();
  const decisions = await db.selectFrom('sl_scenario_decisions').select('scenario_id').distinct().where('run_id', '=', runId).execute();
  return { run, kept: [...new Set([...metrics, ...decisions].map((r) => r.scenario_id))].sort() };
}

function copyOf(fixture: string, dir: string, name: string): string {
  const to = path.join(dir, name);
  fs.cpSync(fixture, to, { recursive: true });
  return to;
}

function editJson(file: string, edit: (value: any) => unknown): void {
  fs.writeFileSync(file, JSON.stringify(edit(JSON.parse(fs.readFileSync(file, 'utf8'))), null, 2));
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`per-scenario tables follow the rows they copy (${engine})`, function () {
    this.timeout(120000);
    let dir: string;
    let small: string;
    let shared: string;
    let opened: Opened | undefined;
    let url: string | undefined;

    async function open(): Promise<Opened> {
      const roots = [{ name: 'small', absPath: small }, { name: 'shared', absPath: shared }];
      if (engine === 'postgres') {
        const index = await openSharedIndex(url!, { create: true });
        return { kysely: index.kysely, index: async () => void (await index.index({ roots })), close: () => index.close() };
      }
      const index = await openConnectedScenarioIndex(path.join(dir, 'index.db'));
      return {
        kysely: index.kysely,
        index: async () => {
          await index.index({ roots });
          await index.save();
        },
        close: () => index.close(),
      };
    }

    before(async function () {
      if (engine === 'postgres') {
        requirePostgres(this);
        url = await createDatabase('sl_scope');
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-scope-'));
      small = copyOf(SMALL, dir, 'small');
      shared = copyOf(SHARED, dir, 'shared');
      opened = await open();
      await opened.index();
    });
    after(async () => {
      await opened?.close();
      if (url) await dropDatabase(url);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('holds every metric and decision with its scenario, run and turn after a first index', async () => {
      await assertNoDrift(opened!.kysely);
    });

    it('answers the scenario views as the join of Scenario Lab\'s tables does', async () => {
      // The full lists (queryMetrics, queryDecisionsForActor) read the joined tables; the pages, aggregates and evolutions the per-scenario ones.
      const a = createAnalytics(opened!.kysely);
      const scenario = 'AI Regulatory Negotiation';
      for (const filters of [{ scenario }, { scenario, metricName: 'trust_level' }, { scenario, metricName: 'trust_level', actor: 'China' }, { scenario, turnNum: 3 }]) {
        const all = await a.queryMetrics(filters);
        assert.ok(all.length > 0, JSON.stringify(filters));
        const page = await a.queryMetricsPage(filters, { offset: 2, limit: 7 });
        assert.deepEqual([page.total, page.rows], [all.length, all.slice(2, 9)], JSON.stringify(filters));
        if (!filters.metricName) continue;
        const values = all.map((m) => m.value);
        const aggregate = await a.aggregateMetrics(filters.metricName, filters);
        assert.deepEqual([aggregate.count, aggregate.min, aggregate.max], [values.length, Math.min(...values), Math.max(...values)]);
        assert.ok(Math.abs(aggregate.avg! - values.reduce((x, y) => x + y, 0) / values.length) < 1e-9);
        const turns = [...new Set(all.map((m) => m.turnNum))].sort((x, y) => x - y);
        assert.deepEqual((await a.metricEvolution(filters.metricName, filters)).map((p) => [p.turn, p.count]), turns.map((t) => [t, all.filter((m) => m.turnNum === t).length]));
        const series = await a.metricSeriesByRun(filters.metricName, filters);
        assert.equal(series.reduce((n, p) => n + p.count, 0), all.length);
      }
      for (const { actor } of await a.listActors({ scenario })) {
        const all = await a.queryDecisionsForActor(actor, { scenario });
        const page = await a.queryDecisionsForActorPage(actor, { scenario }, { offset: 1, limit: 5 });
        assert.deepEqual([page.total, page.rows], [all.length, all.slice(1, 6)], actor);
      }
    });

    it('follows a folder re-indexed with changed metrics', async () => {
      // The run's metrics are in its metrics file and in its state file alike.
      const raise = (records: Array<{ value: number }>) => records.map((r) => ({ ...r, value: r.value + 1000 }));
      editJson(path.join(small, REGULATORY_RUN, 'metrics.json'), raise);
      editJson(path.join(small, REGULATORY_RUN, 'scenario-state-v2.json'), (state: { metrics: Array<{ value: number }> }) => ({ ...state, metrics: raise(state.metrics) }));
      await opened!.index();
      await assertNoDrift(opened!.kysely);
      const high = await opened!.kysely.selectFrom('sl_scenario_metrics').select('metric_id').where('value', '>=', 1000).execute();
      assert.ok(high.length > 0, 'the new values are kept');
    });

    it('drops the rows of a removed folder', async () => {
      const runId = 'run-20251124-094755';
      const folders = fs.readdirSync(path.join(small, 'output', 'ai-summit'));
      const folder = folders.find((f) => fs.readFileSync(path.join(small, 'output', 'ai-summit', f, 'scenario-state.json'), 'utf8').includes(runId));
      assert.ok(folder, `a folder of ${runId}`);
      fs.rmSync(path.join(small, 'output', 'ai-summit', folder), { recursive: true });
      await opened!.index();
      await assertNoDrift(opened!.kysely);
      assert.deepEqual(await scenariosOfRun(opened!.kysely, runId), { run: [], kept: [] });
    });

    it('gives both folders of a shared run id the run row\'s scenario, also when they name different ones', async () => {
      const runId = 'run-20251124-090331';
      assert.deepEqual(await scenariosOfRun(opened!.kysely, runId), { run: ['AI Safety Summit 2026'], kept: ['AI Safety Summit 2026'] });
      // One of the two folders now names another scenario: the newest folder decides the run row, and every row of the run follows it.
      for (const name of ['scenario-state.json', 'scenario-state-v2.json']) {
        editJson(path.join(shared, SHARED_RUNS, 'var-001-run-002', name), (state: { scenario_id?: string }) => ({ ...state, scenario_id: 'Renamed Summit' }));
      }
      await opened!.index();
      await assertNoDrift(opened!.kysely);
      const { run, kept } = await scenariosOfRun(opened!.kysely, runId);
      assert.equal(run.length, 1);
      assert.deepEqual(kept, run);
      // The folder that named it is removed: the run row goes back to the other folder's scenario, and so do its rows.
      fs.rmSync(path.join(shared, SHARED_RUNS, 'var-001-run-002'), { recursive: true });
      await opened!.index();
      await assertNoDrift(opened!.kysely);
      assert.deepEqual(await scenariosOfRun(opened!.kysely, runId), { run: ['AI Safety Summit 2026'], kept: ['AI Safety Summit 2026'] });
    });

    it('fills the tables of an index from before them (schema 8) when it is opened, with the same answers', async () => {
      const aggregate = await answers(opened!);
      await opened!.close();
      opened = undefined;
      await downgradeToVersion8();
      opened = await open();
      await assertNoDrift(opened.kysely);
      assert.deepEqual(await answers(opened), aggregate);
      const version = await opened.kysely.selectFrom('schema_version').select((eb) => eb.fn.max('version').as('v')).executeTakeFirstOrThrow();
      assert.equal(Number(version.v), 9);
    });

    /** What the views of a scenario read from the tables. */
    async function answers(index: Opened): Promise<unknown> {
      const a = createAnalytics(index.kysely);
      const scenario = 'AI Safety Summit 2026';
      return {
        aggregate: await a.aggregateMetrics('trust_level', { scenario }),
        evolution: await a.metricEvolution('trust_level', { scenario }),
        page: (await a.queryMetricsPage({ metricName: 'trust_level', scenario }, { offset: 0, limit: 5 })).total,
        decisions: (await a.queryDecisionsForActorPage('China', { scenario }, { offset: 0, limit: 5 })).total,
      };
    }

    /** The index as schema 8 left it: no per-scenario tables, version 8 recorded. */
    async function downgradeToVersion8(): Promise<void> {
      const statements = 'DROP TABLE sl_scenario_metrics; DROP TABLE sl_scenario_decisions; DELETE FROM schema_version; INSERT INTO schema_version (version, created) VALUES (8, CURRENT_TIMESTAMP);';
      if (engine === 'sqlite') {
        sqlite3(path.join(dir, 'index.db'), `${statements} PRAGMA user_version = 8;`);
        return;
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(statements);
      } finally {
        await client.end();
      }
    }
  });
}
