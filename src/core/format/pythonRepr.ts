/**
 * Python's text forms of plain values, for strings Scenario Lab builds with `str()` or f-strings
 * (batch variation descriptions) and for files the sample generator writes byte for byte.
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    const fixed = String(x); // JS uses plain notation in this whole range, with the same shortest digits
    return fixed.includes('.') ? fixed : `${fixed}.0`;
  }
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * `str(value)` for a YAML scalar as PyYAML loads it: `True`/`False`/`None`, floats in repr form
 * (`isFloat`: the YAML source was a float, e.g. `1.0`, which JavaScript cannot tell from `1`).
 */
export function pythonStr(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
    return isFloat || !Number.isInteger(value) ? pyFloatRepr(value) : String(value);
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  return String(value);
}

/** `repr()` as it appears inside a list or dict: strings quoted with single quotes. */
function pythonRepr(value: unknown): string {
  if (typeof value !== 'string') return pythonStr(value);
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
