/**
 * Text for terminals: run files hold LLM output, which can carry escape sequences (ESC/CSI/OSC, e.g.
 * a window-title change, a screen clear, an OSC 52 clipboard write) and other control characters.
 * Shown raw, a terminal obeys them. This is the one place that makes such text inert.
 */

// C0 controls, DEL, C1 controls (incl. the 8-bit CSI 0x9b and OSC 0x9d), and the Unicode
// direction overrides and isolates that reorder what a reader sees ("Trojan Source").
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character written visibly as an escape: ESC as `\x1b`, BEL as
 * `\x07`, U+202E as `\u202e`; a backslash stays a backslash. Newlines and tabs are escaped too,
 * unless `keepLines` is set (then `\n` and `\t` pass, for multi-line messages).
 */
export function terminalText(text: string, options: { keepLines?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => {
    if (options.keepLines && (c === '\n' || c === '\t')) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}


/**
 * JSON text (from JSON.stringify) that a terminal shows inert and a parser reads as the same value:
 * JSON.stringify escapes C0 controls itself; DEL, C1 controls and direction marks become \u escapes.
 * The C0 characters left in the text are the layout's own line breaks.
 */
export function terminalJson(jsonText: string): string {
  return jsonText.replace(UNSAFE, (c) => (c.charCodeAt(0) < 0x20 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
