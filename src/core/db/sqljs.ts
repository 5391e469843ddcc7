/**
 * Loads the sql.js WASM module once per process. Every database (index, tests, worker) shares
 * the one module, so the ~1 MB wasm is compiled only once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsConfig, SqlJsStatic } from 'sql.js';

export type { SqlJsStatic };
export type SqlJsDatabase = Database;

const WASM_FILE = 'sql-wasm.wasm';

let loading: Promise<SqlJsStatic> | undefined;

/** The sql.js module; the first call compiles the wasm, later calls return the same promise. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  const config: SqlJsConfig & { useOldExtensionFunctions: boolean } = {
    locateFile: () => wasmPath(),
    // Without this, sql.js keeps its legacy JS math functions (sqrt, …) and warns on first use;
    // SQLite's own math functions are compiled in and behave like those of the `sqlite3` CLI.
    // (@types/sql.js 1.4 does not know the option yet.)
    useOldExtensionFunctions: false,
  };
  loading ??= initSqlJs(config).catch((error: unknown) => {
    loading = undefined; // let a later call retry, e.g. after the wasm file was restored
    throw error;
  });
  return loading;
}

/**
 * The bundles in dist/ have the wasm copied next to them by esbuild.mjs; compiled tests in out/
 * and ts-node runs do not, so they fall back to the copy in node_modules.
 */
function wasmPath(): string {
  const besideBundle = path.join(__dirname, WASM_FILE);
  return fs.existsSync(besideBundle) ? besideBundle : require.resolve(`sql.js/dist/${WASM_FILE}`);
}
