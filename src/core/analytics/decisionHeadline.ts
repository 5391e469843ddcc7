/**
 * A decision described in one line by its first concrete step. Scenario Lab's actors open most
 * actions with the same preamble ("India will take the following steps this turn:"), so the first
 * line of an action says nothing; the first step after it does. Derived from the action text the
 * index already holds; no file is read.
 */

/** A line that introduces what follows rather than saying anything: it ends with a colon, or is a heading / rule. */
const PREAMBLE = /:\s*$/;
const HEADING_OR_RULE = /^(#{1,6}\s|[-*_]{3,}\s*$)/;
/** List markers and emphasis around a step: "- ", "1. ", "2) ", "* ", "**Step:**". */
const LIST_MARKER = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;

/**
 * The first concrete step of an action: the first line that is not a preamble (ending with ":"),
 * a heading or a rule, without its list marker or bold markers, cut to `max` characters with "…".
 * Falls back on the first non-empty line when every line is a preamble; '' for an empty action.
 */
export function decisionHeadline(action: string | null | undefined, max = 80): string {
  const lines = (action ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const concrete = lines.find((line) => !PREAMBLE.test(line) && !HEADING_OR_RULE.test(line)) ?? lines[0] ?? '';
  const text = concrete
    .replace(LIST_MARKER, '')
    .replace(/\*\*|__/g, '')
    .replace(/^>\s*/, '')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
