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
import { SCENARIO_LAB_DDL } from './schemaScenarioLab';

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
  ScenariosTable,
  SchemaVersionTable,
  TurnsTable,
  VariationsTable,
} from './schemaTables';

export const SCHEMA_VERSION = 8;

/** The engines an index can live in: the embedded sql.js file, or a shared PostgreSQL database. */
export type Engine = 'sqlite' | 'postgres';

/**
 * The schema as DDL for one engine: Scenario Lab's tables, then ours, as SQLite statements, or
 * mapped to PostgreSQL the way SQLAlchemy maps Scenario Lab's models there (schemaPostgres.ts).
 */
export function schemaStatements(engine: Engine = 'sqlite'): string {
  const ddl = `${SCENARIO_LAB_DDL}${EXTENSION_DDL}`;
  return engine === 'sqlite' ? ddl : postgresDdl(ddl);
}
