/**
 * Decides, with SQLite's own compiler, whether user SQL only reads. Each statement (split by
 * SQLite's tokenizer, so `;` inside strings and comments, case and whitespace tricks do not
 * matter) is compiled with EXPLAIN and its bytecode inspected: a statement that could write to
 * any database (main, temp, attached), change the schema, open or end a transaction, or change
 * the connection (every PRAGMA, ATTACH, DETACH and ANALYZE compile to OP_Expire) is refused.
 *
 * Compiling is not harmless: SQLite applies many PRAGMAs (query_only, writable_schema,
 * hard_heap_limit, …) while it prepares them. So this check only ever runs on a disposable
 * snapshot connection (see sqlSandbox.ts), never on the index's own connection.
 */
import type { SqlJsDatabase } from '../db/sqljs';

/** Why a statement was refused, in words for the user. */
const REFUSED_OPCODES: Record<string, string> = {
  OpenWrite: 'writes to a table',
  Clear: 'deletes rows',
  Destroy: 'drops a table or index',
  CreateBtree: 'creates a table or index',
  DropTable: 'drops a table',
  DropIndex: 'drops an index',
  DropTrigger: 'drops a trigger',
  ParseSchema: 'changes the schema',
  SetCookie: 'changes the schema or a database header field',
  VUpdate: 'writes to a virtual table',
  VCreate: 'creates a virtual table',
  VDestroy: 'drops a virtual table',
  VBegin: 'writes to a virtual table',
  VRename: 'renames a virtual table',
  AutoCommit: 'begins or ends a transaction',
  Savepoint: 'opens or releases a savepoint',
  Expire: "changes the connection's settings or databases (PRAGMA, ATTACH, DETACH, ANALYZE; read a pragma as a table instead, e.g. SELECT * FROM pragma_table_info('runs'))",
  JournalMode: 'changes the journal mode',
  Vacuum: 'vacuums the database (or copies it with VACUUM INTO)',
  IncrVacuum: 'vacuums the database',
  Checkpoint: 'checkpoints the database',
  SqlExec: 'runs further statements that change the database',
  LoadAnalysis: 'reloads statistics',
  MaxPgcnt: 'changes the maximum page count',
};

export type StatementVerdict =
  | { kind: 'read'; sql: string }
  /** The statement is itself an EXPLAIN: it shows bytecode and runs none of it. */
  | { kind: 'explain'; sql: string }
  | { kind: 'refused'; sql: string; reason: string };

/**
 * Compiles every statement of `text` on `db` and returns one verdict per statement, stopping at
 * the first refusal. Throws SQLite's message for a statement that does not compile.
 */
export function checkStatements(db: SqlJsDatabase, text: string): StatementVerdict[] {
  const verdicts: StatementVerdict[] = [];
  for (const statement of db.iterateStatements(text)) {
    const sql = statement.getSQL();
    const verdict = checkOne(db, sql, statement.getColumnNames());
    verdicts.push(verdict);
    if (verdict.kind === 'refused') break;
  }
  return verdicts;
}

function checkOne(db: SqlJsDatabase, sql: string, columns: string[]): StatementVerdict {
  let program: unknown[][];
  try {
    program = explain(db, sql);
  } catch (error) {
    // SQLite's grammar has no EXPLAIN EXPLAIN: a statement that compiles alone, fails after
    // EXPLAIN with a syntax error and has EXPLAIN's columns is itself an EXPLAIN, which only lists
    // bytecode and runs none of it. Anything else that fails here is refused.
    if (/syntax error/.test(String((error as Error).message)) && EXPLAIN_COLUMNS.has(columns.join(','))) return { kind: 'explain', sql };
    return { kind: 'refused', sql, reason: `could not be checked (${(error as Error).message})` };
  }
  for (const [, opcode, , p2, p3, p4] of program) {
    const op = String(opcode);
    if (op === 'Transaction' && Number(p2) !== 0) return { kind: 'refused', sql, reason: 'writes to the database' };
    if (op === 'MaxPgcnt' && Number(p3) === 0) continue; // reading max_page_count
    if ((op === 'Function' || op === 'PureFunc') && /sqlite_(attach|detach)/i.test(String(p4))) {
      return { kind: 'refused', sql, reason: 'attaches or detaches a database' };
    }
    const reason = REFUSED_OPCODES[op];
    if (reason) return { kind: 'refused', sql, reason };
  }
  return { kind: 'read', sql };
}

const EXPLAIN_COLUMNS = new Set(['addr,opcode,p1,p2,p3,p4,p5,comment', 'id,parent,notused,detail']);

/** The bytecode of the first statement of `sql`: rows of addr, opcode, p1, p2, p3, p4, p5, comment. */
function explain(db: SqlJsDatabase, sql: string): unknown[][] {
  const statement = db.prepare(`EXPLAIN ${sql}`);
  try {
    const rows: unknown[][] = [];
    while (statement.step()) rows.push(statement.get());
    return rows;
  } finally {
    statement.free();
  }
}
