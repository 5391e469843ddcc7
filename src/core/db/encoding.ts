/**
 * Values encoded the way Scenario Lab's SQLAlchemy models store them (spec §9.3), so that a
 * `sqlite3` user comparing our file with Scenario Lab's own sees the same text.
 */

/** `json.dumps(value)` with Python's defaults: ", " and ": " separators, non-ASCII escaped as \uXXXX. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${asciiJsonString(k)}: ${pythonJson(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return 'null';
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
