/** The SQL results grid's data for one query, from what the SQL door returned. */
import { formatCount, plural } from '../../../core/analytics/numberFormat';
import { toGridCell } from '../../../core/sql/resultGrid';
import type { QueryResult } from '../../../core/sql/sqlDoor';
import { oneLine } from '../../../core/text/shortText';
import type { SqlResultSelection, SqlResultSnapshot } from '../../../protocol/messages';

/**
 * Cells converted for the webview (BLOBs and infinities as small objects), and the note under the
 * grid: how many rows and how long the query took, or that the row limit (or the byte limit of a
 * query's result) cut it.
 */
export function buildSqlResultSnapshot(selection: SqlResultSelection, result: QueryResult, elapsedMs: number): SqlResultSnapshot {
  const shown = result.rows.length;
  const note = result.more
    ? `Showing the first ${formatCount(shown)} rows; the query returned more${result.cutBy === 'bytes' ? ' (the result is larger than a query may return)' : ''}. Add LIMIT/OFFSET or a WHERE clause to see the rest.`
    : result.columns.length === 0
      ? 'The statement returned no rows.'
      : `${plural(shown, 'row')} in ${formatCount(elapsedMs)} ms.`;
  return {
    panel: 'sqlResult',
    title: `SQL: ${oneLine(selection.query, 60)}`,
    selection,
    columns: result.columns,
    rows: result.rows.map((row) => row.map(toGridCell)),
    note,
    truncated: result.more,
  };
}
