/**
 * The per-scenario tables (`sl_scenario_metrics`, `sl_scenario_decisions`), part of the schema that
 * db/schema.ts owns: their DDL per engine, the statement that fills them from Scenario Lab's
 * tables, and the upgrade of an index of the schema version before them (8) to theirs.
 *
 * Why they exist: every view of a scenario (a metric's aggregate and evolution, the metric and
 * decision lists and their totals) asked for runs → turns → metrics/decisions over the whole
 * scenario, ~30,000 rows at 10,000 runs, about half of it hashing the scenario's turns (EXPLAIN:
 * 40–70 ms on PostgreSQL). These carry, per metric row and per decision row, the few columns those
 * views filter, group and order on, under the scenario first, so each view is one index range.
 *
 * Named for what they are in Scenario Lab's terms: a scenario's metrics and a scenario's decisions,
 * each row the metric or decision with the scenario, run and turn it belongs to (the turn's number,
 * not its id). Kept by the folder writers in the transaction that writes the folder
 * (indexer/writeFolder.ts, indexer/postgres/writeFolderPg.ts), removed by the folder's id ranges,
 * and their `scenario_id` follows the `runs` row (folders sharing a run id share that row).
 * Scenario Lab never looks at them.
 */

/**
 * The tables, in the SQLite DDL that db/schemaPostgres.ts maps to PostgreSQL.
 * `actor` of a metric is the actor the run files record (sl_metric_actors, NULL when none), not
 * Scenario Lab's metrics.actor; `value` and `timestamp` are the metric's own.
 */
export const SCOPE_TABLES_DDL = `
CREATE TABLE sl_scenario_metrics (
	metric_id INTEGER PRIMARY KEY,
	scenario_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	turn_num INTEGER NOT NULL,
	name TEXT NOT NULL,
	actor TEXT,
	value REAL NOT NULL,
	timestamp DATETIME NOT NULL
);
CREATE TABLE sl_scenario_decisions (
	decision_id INTEGER PRIMARY KEY,
	scenario_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	turn_num INTEGER NOT NULL,
	actor TEXT NOT NULL
);
`;

/**
 * The indexes per engine. Both answer the same queries from the index alone: SQLite's by putting
 * every column read in the key (its entries also carry the row id, here metric_id/decision_id),
 * PostgreSQL's by INCLUDE (its entries carry no id). One index per order the views read in:
 * by turn (aggregate, evolution, per-run series, counts), by record time (the metric list's order),
 * and the decision list's order (turn number, run, id) under one actor.
 */
const SCOPE_INDEXES = {
  sqlite: `
CREATE INDEX sl_ix_scenario_metrics_turn ON sl_scenario_metrics (scenario_id, name, turn_num, actor, value, run_id);
CREATE INDEX sl_ix_scenario_metrics_time ON sl_scenario_metrics (scenario_id, name, timestamp);
CREATE INDEX sl_ix_scenario_decisions_actor ON sl_scenario_decisions (scenario_id, actor, turn_num, run_id);
`,
  postgres: `
CREATE INDEX sl_ix_scenario_metrics_turn ON sl_scenario_metrics (scenario_id, name, turn_num) INCLUDE (actor, value, run_id);
CREATE INDEX sl_ix_scenario_metrics_time ON sl_scenario_metrics (scenario_id, name, timestamp, metric_id) INCLUDE (actor, turn_num);
CREATE INDEX sl_ix_scenario_decisions_actor ON sl_scenario_decisions (scenario_id, actor, turn_num, run_id, decision_id);
`,
} as const;

/** The indexes of the per-scenario tables for one engine (after the tables: postgresDdl() maps only the tables). */
export function scopeIndexDdl(engine: 'sqlite' | 'postgres'): string {
  return SCOPE_INDEXES[engine];
}

/**
 * What each table holds, as a query over Scenario Lab's rows that the analytics join the same way
 * (a row whose turn or run is missing is in neither), with the table's columns in its order: the
 * upgrade's backfill, and what the tests compare the kept tables with. Same SQL on both engines.
 */
export const SCOPE_SOURCES = [
  {
    table: 'sl_scenario_metrics',
    key: 'metric_id',
    select: `SELECT m.id AS metric_id, r.scenario_id, t.run_id, t.turn_num, m.name, a.actor, m.value, m.timestamp
    FROM metrics m JOIN turns t ON t.id = m.turn_id JOIN runs r ON r.id = t.run_id LEFT JOIN sl_metric_actors a ON a.metric_id = m.id`,
  },
  {
    table: 'sl_scenario_decisions',
    key: 'decision_id',
    select: `SELECT d.id AS decision_id, r.scenario_id, t.run_id, t.turn_num, d.actor
    FROM decisions d JOIN turns t ON t.id = d.turn_id JOIN runs r ON r.id = t.run_id`,
  },
] as const;

/** Fills both tables from Scenario Lab's rows (SCOPE_SOURCES). */
const SCOPE_BACKFILL = SCOPE_SOURCES.map(({ table, select }) => `INSERT INTO ${table} ${select}`);

/** The schema version before the per-scenario tables: an index of it is upgraded in place (scopeUpgrade), not rebuilt. */
export const VERSION_BEFORE_SCOPE = 8;

/**
 * Brings an index of VERSION_BEFORE_SCOPE to the current schema: the tables (`tablesDdl`, in the
 * engine's form), the backfill, then the indexes (building them after the rows is faster than
 * keeping them while inserting). The caller runs these in one transaction and records the version.
 */
export function scopeUpgrade(engine: 'sqlite' | 'postgres', tablesDdl: string): string[] {
  return [tablesDdl, ...SCOPE_BACKFILL, scopeIndexDdl(engine)];
}

/**
 * Makes the `scenario_id` of every per-scenario row of a run id the one its `runs` row now has. The
 * rows are found by the id ranges the run's folders wrote (sl_folder_rows: a primary-key range per
 * folder, no index by run; a subquery form made PostgreSQL scan the whole table per folder written,
 * 45 ms at 1,000 runs). A run id's folders normally agree on the scenario, so this changes nothing;
 * when they differ, the newest folder decides the run row (refreshRunRows), and these follow it.
 * Parameter: the run id (`?1`, SQLite's numbered form; numberedParametersFor() gives PostgreSQL's `$1`).
 */
export const SCOPE_SCENARIO_SYNC = (['metrics', 'decisions'] as const).map((table) => {
  const scope = table === 'metrics' ? 'sl_scenario_metrics' : 'sl_scenario_decisions';
  const id = table === 'metrics' ? 'metric_id' : 'decision_id';
  return `UPDATE ${scope} SET scenario_id = r.scenario_id
    FROM runs r, sl_folders f, sl_folder_rows fr
    WHERE r.id = ?1 AND f.run_id = ?1 AND fr.folder_id = f.id AND fr.tbl = '${table}'
      AND ${scope}.${id} BETWEEN fr.first_id AND fr.last_id AND ${scope}.scenario_id <> r.scenario_id`;
});
