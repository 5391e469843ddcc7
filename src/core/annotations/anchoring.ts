/**
 * Finds where an annotation's quoted lines are in the current text of its file. An annotation
 * follows its text (lines inserted or removed above it, edits around it); when its text is gone
 * or was edited, it is outdated and keeps its recorded lines. It is never moved to text that
 * merely resembles the quote, and never dropped.
 */
import type { AnnotationAnchor } from '../format/annotationModel';

export type AnchorResolution =
  | { state: 'anchored'; startLine: number; endLine: number; moved: boolean }
  | { state: 'outdated'; startLine: number; endLine: number };

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Lines compare without trailing whitespace, so a CRLF checkout or an editor's trimming does not outdate anything. */
function same(a: string, b: string): boolean {
  return a.trimEnd() === b.trimEnd();
}

function matchesAt(lines: readonly string[], quote: readonly string[], index: number): boolean {
  if (index < 0 || index + quote.length > lines.length) return false;
  return quote.every((q, i) => same(lines[index + i], q));
}

/** `lines` are the file's current lines (splitLines); line numbers are 1-based. */
export function resolveAnchor(anchor: AnnotationAnchor, lines: readonly string[]): AnchorResolution {
  const height = anchor.endLine - anchor.startLine;
  const recorded = anchor.startLine - 1;
  if (anchor.quote.length === 0 || anchor.quote.every((q) => q.trim() === '')) {
    // Nothing distinctive to follow (an annotation on blank lines): it stays where it was written.
    return recorded < lines.length ? inPlace(anchor) : outdated(anchor, lines);
  }
  if (matchesAt(lines, anchor.quote, recorded)) return inPlace(anchor);
  // The nearest occurrence to the recorded place: repeated text (a bullet that appears twice) keeps its own copy.
  let best = -1;
  for (let i = 0; i + anchor.quote.length <= lines.length; i++) {
    if (matchesAt(lines, anchor.quote, i) && sectionAt(lines, i) === anchor.section && (best < 0 || Math.abs(i - recorded) < Math.abs(best - recorded))) best = i;
  }
  if (best >= 0) return { state: 'anchored', startLine: best + 1, endLine: best + 1 + height, moved: true };
  return outdated(anchor, lines);
}

function inPlace(anchor: AnnotationAnchor): AnchorResolution {
  return { state: 'anchored', startLine: anchor.startLine, endLine: anchor.endLine, moved: false };
}

/** Keeps the recorded lines, clamped to the file so the editor can still show the thread. */
function outdated(anchor: AnnotationAnchor, lines: readonly string[]): AnchorResolution {
  const last = Math.max(1, lines.length);
  const startLine = Math.min(anchor.startLine, last);
  return { state: 'outdated', startLine, endLine: Math.min(Math.max(anchor.endLine, startLine), last) };
}

const HEADING = /^#{1,6}\s/;

/** The nearest heading line above 0-based line `index`, or null. */
function sectionAt(lines: readonly string[], index: number): string | null {
  for (let i = Math.min(index, lines.length) - 1; i >= 0; i--) if (HEADING.test(lines[i])) return lines[i].trimEnd();
  return null;
}

/** The anchor for lines startLine..endLine (1-based, inclusive) of a file's current text. */
export function anchorFor(file: string, lines: readonly string[], startLine: number, endLine: number): AnnotationAnchor {
  const first = Math.max(1, Math.min(startLine, lines.length));
  const last = Math.max(first, Math.min(endLine, lines.length));
  return { file, startLine: first, endLine: last, quote: lines.slice(first - 1, last).map((l) => l.trimEnd()), section: sectionAt(lines, first - 1) };
}
