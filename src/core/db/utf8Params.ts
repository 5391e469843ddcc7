/**
 * Long text bound as UTF-8 bytes to a `CAST(? AS TEXT)` parameter.
 *
 * sql.js encodes every bound string to UTF-8 with a JS loop, one character at a time, after a
 * second loop that measures it: at batch scale that was the largest JS cost of a cold index
 * (profile in issue 3). TextEncoder is native, sql.js copies a bound Uint8Array into the WASM heap
 * in one call, and SQLite's cast of a blob to TEXT stores exactly those bytes as text, so the
 * stored value is the one a bound string gives (~30 % faster inserts of 3 KB rows, measured).
 */
const encoder = new TextEncoder();

export class Utf8Params {
  private scratch = new Uint8Array(64 * 1024);
  private used = 0;

  /** Starts a row: the views handed out for the previous row may be overwritten from now on. */
  startRow(): void {
    this.used = 0;
  }

  /**
   * `text` as UTF-8 bytes (a view valid until the next startRow), or the value itself when it is
   * null or empty: sql.js may bind an empty blob as NULL, which the cast would keep.
   */
  of(text: string | null): Uint8Array | string | null {
    if (text === null || text === '') return text;
    // Every character, NUL included: SQLite text holds NUL, and sql.js reads a column back by its byte length.
    const worstCase = text.length * 3;
    if (this.scratch.length - this.used < worstCase) {
      // Views already handed out keep the old buffer alive; the new one serves the rest of the row.
      this.scratch = new Uint8Array(Math.max(worstCase, this.scratch.length * 2));
      this.used = 0;
    }
    const { written } = encoder.encodeInto(text, this.scratch.subarray(this.used));
    const view = this.scratch.subarray(this.used, this.used + written);
    this.used += written;
    return view;
  }
}
