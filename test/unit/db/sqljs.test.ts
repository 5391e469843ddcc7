import { strict as assert } from 'node:assert';
import { loadSqlJs } from '../../../src/core/db/sqljs';

describe('loadSqlJs', () => {
  it('loads the module once per process', async () => {
    assert.equal(await loadSqlJs(), await loadSqlJs());
  });

  it('uses SQLite’s own math functions, not the deprecated legacy ones', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      assert.deepEqual(db.exec('SELECT sqrt(16), power(2, 10)')[0].values, [[4, 1024]]);
    } finally {
      console.warn = warn;
      db.close();
    }
    assert.deepEqual(warnings, []);
  });
});
