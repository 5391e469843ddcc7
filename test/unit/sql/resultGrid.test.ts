/**
 * The SQL results grid's pure part on real sql.js results of the sample workspace's index: what
 * is shown (one number formatter, NULL apart), how columns sort (numbers by value), and that
 * copies and exports keep the raw values SQLite returned (0.04376212000000001, not "$0.0438").
 */
import { strict as assert } from 'node:assert';
import type { ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { cellDisplay, compareGridCells, gridCsv, gridJson, gridTsv, rowObjects, sortedRowOrder, toGridCell, type GridCell } from '../../../src/core/sql/resultGrid';
import { indexSampleWorkspace } from '../webviews/sampleIndex';

describe('SQL results grid: cells, sorting, copy and export', function () {
  this.timeout(60000);
  let index: ConnectedScenarioIndex;
  before(async () => (index = await indexSampleWorkspace()));
  after(async () => index.close());

  function query(sql: string): { columns: string[]; rows: GridCell[][] } {
    const [result] = index.db.exec(sql);
    return { columns: result.columns, rows: result.values.map((row) => row.map(toGridCell)) };
  }

  it("shows PostgreSQL's own values (booleans, timestamps, json, arrays) as text the --json output agrees with", () => {
    assert.deepEqual(
      [true, false, new Date('2026-01-02T03:04:05.000Z'), { a: [1, 'x'] }, [1, 2], BigInt(7)].map(toGridCell),
      ['true', 'false', '2026-01-02T03:04:05.000Z', '{"a":[1,"x"]}', '[1,2]', 7],
    );
  });

  it('shows costs with the one formatter and keeps the raw cost for copy, CSV and JSON', () => {
    const { columns, rows } = query('SELECT id, scenario_name, total_cost FROM runs ORDER BY id');
    const raw = rows.map((r) => r[2] as number);
    const messy = raw.find((c) => String(c).length > 8);
    assert.ok(messy !== undefined, `a cost with a long binary expansion in the sample: ${raw.join(', ')}`);
    const i = raw.indexOf(messy);
    assert.match(cellDisplay('total_cost', rows[i][2]), /^\$\d+\.\d{4}$/);
    assert.equal(cellDisplay('scenario_name', rows[i][1]), rows[i][1], 'text as it is, no markdown escaping (scenario\\_name)');
    const tsv = gridTsv(columns, rows, [i], [0, 1, 2], true);
    assert.equal(tsv, `id\tscenario_name\ttotal_cost\r\n${rows[i][0]}\t${rows[i][1]}\t${messy}\r\n`);
    assert.ok(gridCsv(columns, rows).includes(`,${messy}\r\n`));
    assert.equal((JSON.parse(gridJson(columns, rows)) as Array<{ total_cost: number }>)[i].total_cost, messy);
  });

  it('shows identifiers and turn numbers plainly, other numbers grouped, NULL as NULL', () => {
    assert.equal(cellDisplay('id', 12345), '12345');
    assert.equal(cellDisplay('turn_num', 1200), '1200');
    assert.equal(cellDisplay('value', 12345.6789), '12,345.679');
    assert.equal(cellDisplay('avg', 6), '6');
    assert.equal(cellDisplay('value', null), 'NULL');
    assert.equal(cellDisplay('cost', 0.04376212000000001), '$0.0438');
  });

  it('carries SQLite infinities, BLOBs and NULL across JSON', () => {
    const { columns, rows } = query("SELECT 1e999 AS up, -1e999 AS down, x'0102ff' AS bytes, NULL AS missing, 'a' AS text");
    assert.deepEqual(rows[0], [{ real: 'Infinity' }, { real: '-Infinity' }, { blob: 3 }, null, 'a']);
    assert.deepEqual(JSON.parse(JSON.stringify(rows[0])), rows[0], 'the same after a webview message');
    assert.deepEqual(rows[0].map((c, i) => cellDisplay(columns[i], c)), ['Infinity', '-Infinity', '<3 bytes>', 'NULL', 'a']);
    assert.equal(gridTsv(columns, rows, [0], [0, 1, 2, 3, 4], false), 'Infinity\t-Infinity\t<3 bytes>\t\ta\r\n');
    assert.equal(gridCsv(columns, rows), 'up,down,bytes,missing,text\r\nInfinity,-Infinity,<3 bytes>,,a\r\n');
    assert.deepEqual(JSON.parse(gridJson(columns, rows)), [{ up: 'Infinity', down: '-Infinity', bytes: '<3 bytes>', missing: null, text: 'a' }]);
  });

  it('sorts numbers by value (not as text), NULL first, stable, and text as people read it', () => {
    const { rows } = query("SELECT column1 FROM (VALUES (10), (9), (NULL), (100), (-2.5), (1e999), ('run-10'), ('run-9'), ('Apple'), (9))");
    const sorted = (descending: boolean) => sortedRowOrder(rows, 0, descending).map((i) => rows[i][0]);
    assert.deepEqual(sorted(false), [null, -2.5, 9, 9, 10, 100, { real: 'Infinity' }, 'Apple', 'run-9', 'run-10']);
    assert.deepEqual(sorted(true), ['run-10', 'run-9', 'Apple', { real: 'Infinity' }, 100, 10, 9, 9, -2.5, null]);
    assert.deepEqual(sortedRowOrder(rows, 0, false).filter((i) => rows[i][0] === 9), [1, 9], 'equal cells keep the query order');
    assert.deepEqual(sortedRowOrder(rows, undefined, false), rows.map((_, i) => i));
    assert.ok(compareGridCells({ blob: 1 }, 'zzz') > 0, 'BLOBs after text, as ORDER BY puts them');
  });

  it('copies run text safely: tabs and line breaks stay in their cell, formulas get an apostrophe', () => {
    const { columns, rows } = query("SELECT 'a' || char(9) || 'b' AS t, 'line1' || char(10) || 'line2' AS l, '=HYPERLINK(\"x\")' AS f, 'say \"hi\"' AS q");
    assert.equal(gridTsv(columns, rows, [0], [0, 1, 2, 3], false), `"a\tb"\t"line1\nline2"\t"'=HYPERLINK(""x"")"\t"say ""hi"""\r\n`);
    assert.ok(gridCsv(columns, rows).includes(`"'=HYPERLINK(""x"")"`), 'the CSV writer guards the same way');
  });

  it('keeps both columns of a duplicated name in JSON (id, id:2), as the CLI prints them', () => {
    const { columns, rows } = query('SELECT r.id, t.id, t.turn_num FROM runs r JOIN turns t ON t.run_id = r.id ORDER BY t.id LIMIT 1');
    const [object] = JSON.parse(gridJson(columns, rows)) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(object), ['id', 'id:2', 'turn_num']);
    assert.deepEqual(rowObjects(['a', 'a', 'a'], [[1, 2, 3]]), [{ a: 1, 'a:2': 2, 'a:3': 3 }]);
  });
});
