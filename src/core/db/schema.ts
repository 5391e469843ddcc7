/**
 * The one module that owns the database schema: its version, its DDL per engine and its Kysely types.
 *
 * Scenario Lab's own tables are created with exactly the DDL its SQLAlchemy models produce
 * (docs/format.md#schema, in schemaScenarioLab.ts), so `sqlite3` and Scenario Lab's Python
 * `Database` class read our file as their own. Everything the extension needs beyond that lives in
 * `sl_*` tables that Scenario Lab never looks at (schemaExtension.ts). Bump SCHEMA_VERSION whenever
 * any statement of either changes: an index file with another version is set aside and rebuilt
 * from the run folders. Importers take everything from here; the schema*.ts parts import nothing
 * from this module, so there is no cycle.
 */
import { EXTENSION_DDL } from './schemaExtension';
import { postgresDdl } from './schemaPostgres';

export { POSTGRES_INDEX_NAMES, postgresIndexChanges } from './schemaPostgres';
export { SCOPE_SCENARIO_SYNC, SCOPE_SOURCES } from './schemaScope';
import { SCENARIO_LAB_DDL } from './schemaScenarioLab';
import { SCOPE_TABLES_DDL, scopeIndexDdl, scopeUpgrade, VERSION_BEFORE_SCOPE } from './schemaScope';

export { SCENARIO_LAB_TABLES } from './schemaScenarioLab';
export type {
  AnnotationsTable,
  BatchCostsTable,
  BatchRunsTable,
  CommunicationsTable,
  CostsTable,
  DecisionsTable,
  ExperimentsTable,
  FilesTable,
  FolderFormat,
  FolderRowsTable,
  FoldersTable,
  IndexDatabase,
  MetricActorsTable,
  MetricsTable,
  OriginTable,
  OriginsTable,
  ProblemsTable,
  RunsTable,
  ScenarioDecisionsTable,
  ScenarioMetricsTable,
  ScenariosTable,
  SchemaVersionTable,
  TurnsTable,
  VariationsTable,
} from './schemaTables';

/** 9: the per-scenario tables (schemaScope.ts); an index of 8 is upgraded in place (schemaUpgrade()), older ones are rebuilt. */
export const SCHEMA_VERSION = 9;

/** The engines an index can live in: the embedded sql.js file, or a shared PostgreSQL database. */
export type Engine = 'sqlite' | 'postgres';

/**
 * The schema as DDL for one engine: Scenario Lab's tables, then ours, as SQLite statements, or
 * mapped to PostgreSQL the way SQLAlchemy maps Scenario Lab's models there (schemaPostgres.ts).
 */
export function schemaStatements(engine: Engine = 'sqlite'): string {
  const ddl = `${SCENARIO_LAB_DDL}${EXTENSION_DDL}${SCOPE_TABLES_DDL}`;
  return `${engine === 'sqlite' ? ddl : postgresDdl(ddl)}${scopeIndexDdl(engine)}`;
}

/**
 * The statements that bring an index of schema version `from` to SCHEMA_VERSION in place, to be
 * run in one transaction (the caller then records the version), or undefined when it must be
 * rebuilt. Only 8 → 9 is in place: it adds our own tables and fills them from rows the index
 * already holds, seconds where a rebuild re-reads every run folder (minutes to half an hour).
 */
export function schemaUpgrade(from: number | undefined, engine: Engine): string[] | undefined {
  if (from !== VERSION_BEFORE_SCOPE || SCHEMA_VERSION !== VERSION_BEFORE_SCOPE + 1) return undefined;
  return scopeUpgrade(engine, engine === 'sqlite' ? SCOPE_TABLES_DDL : postgresDdl(SCOPE_TABLES_DDL));
}
