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
