/**
 * Values encoded the way Scenario Lab's SQLAlchemy models store them (docs/format.md#value-encoding), so that a
 * `sqlite3` user comparing our file with Scenario Lab's own sees the same text.
 */

/** `json.dumps(value)` with Python's defaults: ", " and ": " separators, non-ASCII escaped as \uXXXX. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : nonFiniteText(value);
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

/**
 * The word for a non-finite number, as Python's json.dump writes it (NaN, Infinity, -Infinity).
 * Everything we print (tables, CSV, and as a string in --json, which has no such number) uses it,
 * so an Infinity stored in the index reads the same everywhere.
 */
export function nonFiniteText(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** JSON.stringify's replacer for output: a non-finite number becomes its word (JSON would write null, which reads as "no value"). */
export function nonFiniteAsText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? nonFiniteText(value) : value;
}

/**
 * pythonJson text as PostgreSQL's json type accepts it: its bare NaN, Infinity and -Infinity (which
 * Python writes and PostgreSQL refuses, so that the whole run would be refused with them) become
 * the strings "NaN", "Infinity", "-Infinity", the words everything we print uses. Text inside
 * strings is left alone; text without such a number is returned unchanged.
 */
export function postgresJsonText(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const word = /^(?:-Infinity|Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
    if (word) {
      out += `"${word}"`;
      i += word.length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
