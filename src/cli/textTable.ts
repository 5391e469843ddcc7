/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */
export type Cell = string | number | null | undefined;

export function textTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const cells = [header.map(String), ...rows.map((r) => r.map(show))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function show(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 6 : 3);
  // One line per row: run text can hold newlines and tabs.
  return value.replace(/\s+/g, ' ');
}

function width(text: string): number {
  return [...text].length;
}
