/**
 * The one way callers regroup flat query rows (per run, turn, actor, metric name, folder) into the
 * nested shape trees, pickers and panels show. Pure; no query.
 */

/**
 * `rows` grouped by `keyOf`: groups in the order their first row comes, rows in their query order
 * within each group (so a query's ORDER BY still orders what is shown).
 */
export function groupBy<T, K>(rows: Iterable<T>, keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
