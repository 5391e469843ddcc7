/**
 * Text shortened to fit where it is shown (a chart label, a tree description, a tab title, a
 * tooltip, a terminal line), marked so nobody takes the cut text for the whole.
 */

/**
 * `text` when it has at most `max` UTF-16 code units, else its start followed by `mark` ('…' unless
 * given, e.g. '...' for plain-ASCII output), so the result never exceeds `max`. `max` is at least
 * the length of `mark`.
 */
export function ellipsize(text: string, max: number, mark = '…'): string {
  return text.length > max ? `${text.slice(0, max - mark.length)}${mark}` : text;
}

/** `text` on one line (every run of white space, line breaks included, one space; trimmed), then ellipsize()d. */
export function oneLine(text: string, max: number, mark = '…'): string {
  return ellipsize(text.replace(/\s+/g, ' ').trim(), max, mark);
}
