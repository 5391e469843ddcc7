/**
 * The PostgreSQL form of the schema's SQLite DDL, for db/schema.ts's schemaStatements('postgres').
 */

/**
 * Maps the SQLite DDL (Scenario Lab's tables, then ours) to PostgreSQL the way SQLAlchemy maps
 * Scenario Lab's models there (`test/python/read_with_sqlalchemy.py` prints them):
 * DATETIME → TIMESTAMP WITHOUT TIME ZONE, an integer `id` primary key → SERIAL, FLOAT stays
 * double precision, JSON stays JSON; our REAL → DOUBLE PRECISION (PostgreSQL's REAL is 4 bytes);
 * SQL comments and WITHOUT ROWID are dropped. One addition: `communications.rowid`, the implicit
 * row number SQLite gives every table, which sl_origins uses to key a communication's origin (its
 * own id is text). SQLAlchemy reads only the columns its models name, so Scenario Lab never sees it.
 */
export function postgresDdl(ddl: string): string {
  return ddl
    .replace(/--[^\n]*\n/g, '\n')
    .replace(/\bDATETIME\b/g, 'TIMESTAMP WITHOUT TIME ZONE')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\) WITHOUT ROWID;/g, ');')
    .replace(/\bid INTEGER PRIMARY KEY\b/g, 'id SERIAL PRIMARY KEY')
    // Scenario Lab's integer ids (declared `id INTEGER NOT NULL, ... PRIMARY KEY (id)`).
    .replace(/\bid INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,')
    .replace(/(CREATE TABLE communications \(\n)/, '$1\trowid BIGSERIAL UNIQUE, \n');
}

/**
 * Indexes only the PostgreSQL index has (name → definition), beside postgresDdl()'s. Scenario
 * Lab's Python `Database` reads rows, never indexes, so they change nothing for it.
 *
 * Why they differ: every SQLite index carries its row's integer id (the rowid), so the sl_ix_*
 * indexes on turns, decisions and metrics answer the analytics from the index alone. PostgreSQL's
 * carry only their columns: the same query then reads one table row per index entry (a turns row
 * holds its world state), so at 10,000 runs each query by scenario read ~30,000 table rows
 * (EXPLAIN: a metric page 2.4 s, a decision page 3.7 s). These carry the ids (INCLUDE) and add the
 * orders the paged lists walk, so that a page stops at its last row. Index-only scans also need the
 * visibility map, which the indexer refreshes after a big pass (indexer/postgres/indexPg.ts: VACUUM).
 */
const POSTGRES_INDEXES: ReadonlyArray<[string, string]> = [
  // A scenario's turns (runs → turns) with their ids: aggregates, evolutions and counts by scenario.
  ['sl_pg_turns_run', 'turns (run_id, turn_num) INCLUDE (id)'],
  // Turns in the decision list's order (turn number, run): a page of decisions walks it.
  ['sl_pg_turns_turn_run', 'turns (turn_num, run_id) INCLUDE (id)'],
  ['sl_pg_decisions_actor', 'decisions (actor, turn_id) INCLUDE (id)'],
  ['sl_pg_metrics_name', 'metrics (name, turn_id) INCLUDE (value, actor, timestamp, id)'],
  // Metrics of a name in record order: a page of metrics walks it.
  ['sl_pg_metrics_name_time', 'metrics (name, timestamp, id) INCLUDE (turn_id)'],
  // list_runs' order.
  ['sl_pg_runs_created', 'runs (created DESC, id)'],
  // A folder's newest file (folderActivity): one index probe per folder instead of a scan of every
  // file's row (1.15 million at 10,000 runs: 134 ms for all folders).
  ['sl_pg_files_folder_mtime', 'sl_files (folder_id, mtime_ms)'],
];

/** schemaExtension.ts indexes that those above supersede here (same leading columns, no ids): dropped, as each costs every insert. */
const SUPERSEDED_INDEXES = ['sl_ix_turns_run_turn', 'sl_ix_decisions_actor_turn', 'sl_ix_metrics_name_turn', 'ix_sl_files_folder'];

/** Every index name postgresIndexChanges() looks at. */
export const POSTGRES_INDEX_NAMES: readonly string[] = [...POSTGRES_INDEXES.map(([name]) => name), ...SUPERSEDED_INDEXES];

/**
 * The statements that bring a PostgreSQL index's indexes to these, given which of
 * POSTGRES_INDEX_NAMES it has: a new schema gets them all, an index made by an earlier version of
 * this schema version the ones it lacks (no version bump, so embedded index files, whose DDL is
 * unchanged, are not rebuilt for it).
 */
export function postgresIndexChanges(present: ReadonlySet<string>): string[] {
  return [
    ...POSTGRES_INDEXES.filter(([name]) => !present.has(name)).map(([name, definition]) => `CREATE INDEX ${name} ON ${definition}`),
    ...SUPERSEDED_INDEXES.filter((name) => present.has(name)).map((name) => `DROP INDEX ${name}`),
  ];
}
