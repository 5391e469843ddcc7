/**
 * What a hover position in a run's markdown points at, judged from the line's text and the
 * scenario's definitions alone (no index, no file reads): a metric's name (spelled out,
 * "cooperation level", or snake_case, `cooperation_level`), a value the metric's extraction
 * pattern pulls from this line, or an actor's name.
 */
import type { MetricDefinition } from '../format/records';

export type HoverTarget =
  | { kind: 'metric'; metric: MetricDefinition; start: number; end: number; /** The text the pattern captured here, when hovering a value. */ matched: string | undefined }
  | { kind: 'actor'; actor: string; start: number; end: number };

/** `character` is the 0-based column in `line`; metrics win over actors on overlap. */
export function findHoverTarget(line: string, character: number, metrics: readonly MetricDefinition[], actors: readonly string[]): HoverTarget | undefined {
  for (const metric of metrics) {
    const value = patternMatchAt(line, character, metric);
    if (value) return value;
    for (const form of nameForms(metric.name)) {
      const hit = occurrenceAt(line, character, form);
      if (hit) return { kind: 'metric', metric, ...hit, matched: undefined };
    }
  }
  // Longest name first: "Frontier Labs Consortium" before a hypothetical "Frontier Labs".
  for (const actor of [...actors].sort((a, b) => b.length - a.length)) {
    const hit = occurrenceAt(line, character, actor);
    if (hit) return { kind: 'actor', actor, ...hit };
  }
  return undefined;
}

/** `cooperation_level` and `cooperation level`. */
function nameForms(name: string): string[] {
  const spelled = name.replace(/_/g, ' ');
  return spelled === name ? [name] : [name, spelled];
}

/** Case-insensitive, whole-word occurrence of `needle` covering `character`. */
function occurrenceAt(line: string, character: number, needle: string): { start: number; end: number } | undefined {
  const haystack = line.toLowerCase();
  const lower = needle.toLowerCase();
  for (let i = haystack.indexOf(lower); i >= 0; i = haystack.indexOf(lower, i + 1)) {
    const end = i + lower.length;
    if (character >= i && character <= end && isBoundary(line, i - 1) && isBoundary(line, end)) return { start: i, end };
  }
  return undefined;
}

function isBoundary(line: string, index: number): boolean {
  return index < 0 || index >= line.length || !/[\p{L}\p{N}_]/u.test(line[index]);
}

const compiled = new Map<string, RegExp | null>();

/**
 * Scenario Lab applies patterns with Python's `re`, IGNORECASE. Most patterns are valid
 * JavaScript too; a pattern that is not is skipped rather than guessed at.
 */
function regexOf(pattern: string): RegExp | null {
  if (!compiled.has(pattern)) {
    try {
      compiled.set(pattern, new RegExp(pattern, 'giu'));
    } catch {
      compiled.set(pattern, null);
    }
  }
  return compiled.get(pattern)!;
}

function patternMatchAt(line: string, character: number, metric: MetricDefinition): HoverTarget | undefined {
  if (metric.extractionType !== 'pattern' || !metric.pattern) return undefined;
  const regex = regexOf(metric.pattern);
  if (!regex) return undefined;
  regex.lastIndex = 0;
  for (let m = regex.exec(line); m; m = regex.exec(line)) {
    const end = m.index + m[0].length;
    if (character >= m.index && character <= end) {
      const value = m.slice(1).find((g) => g !== undefined && g !== '') ?? m[0];
      return { kind: 'metric', metric, start: m.index, end, matched: value };
    }
    if (m[0].length === 0) regex.lastIndex++;
  }
  return undefined;
}
