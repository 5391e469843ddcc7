/**
 * Names the CLI takes (metric, actor, scenario, experiment, run) checked against the index: a name
 * that matches nothing ends the command with exit status 1 and a message naming the closest known
 * names, instead of an empty table that reads as "no data". Closeness is the Levenshtein distance
 * (fastest-levenshtein) on lower-cased names.
 */
import { distance } from 'fastest-levenshtein';
import type { Analytics } from '../core/analytics/analyticsApi';
import { CliFailure } from './failures';

/** How many suggestions a message lists; a short list of known names is given in full. */
const SUGGESTIONS = 5;

/**
 * The closest known names to `name`, best first: every name within a third of its length in edits
 * (case ignored), or containing it / contained in it; at most {@link SUGGESTIONS}.
 */
export function closestNames(name: string, known: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  const scored = [...new Set(known)].map((k) => {
    const lower = k.toLowerCase();
    // A folder is also matched by its last segment; a name of 3+ characters inside another is close.
    const d = Math.min(distance(wanted, lower), distance(wanted, lower.slice(lower.lastIndexOf('/') + 1)));
    const contains = wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower));
    return { k, d: contains ? Math.min(1, d) : d };
  });
  const limit = Math.max(2, Math.ceil(wanted.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1))
    .slice(0, SUGGESTIONS)
    .map((s) => s.k);
}

/**
 * The failure (exit status 1) for a `kind` ("metric", "actor", ...) named `name` that the index does
 * not hold: "no metric named cooperationlevel in the index; did you mean cooperation_level?", else
 * the known names when they are few, else how to list them (`listHint`).
 */
export function unknownName(kind: string, name: string, known: readonly string[], listHint: string): CliFailure {
  const close = closestNames(name, known);
  const distinct = [...new Set(known)].sort();
  const tail =
    close.length > 0
      ? `; did you mean ${close.join(', ')}?`
      : distinct.length === 0
        ? ` (the index has no ${kind}s)`
        : distinct.length <= 12
          ? `; known ${kind}s: ${distinct.join(', ')}`
          : ` (${listHint})`;
  // Runs are named by id: the message keeps the words `stats` has always used.
  return new CliFailure(`no ${kind} ${kind === 'run' ? 'with id' : 'named'} ${name} in the index${tail}`, 1);
}

/** Fails with status 1 (naming the closest known names) when a metric, actor or scenario the command names is not in the index. */
export async function requireKnown(index: { analytics: Analytics }, names: { metric?: string; actor?: string; scenario?: string }): Promise<void> {
  const { analytics } = index;
  if (names.scenario !== undefined) {
    const known = (await analytics.listScenarios()).map((s) => s.scenarioId);
    if (!known.includes(names.scenario)) throw unknownName('scenario', names.scenario, known, 'the runs command lists them');
  }
  if (names.metric !== undefined) {
    const known = (await analytics.listMetricNames()).map((m) => m.name);
    if (!known.includes(names.metric)) throw unknownName('metric', names.metric, known, 'list them with: scenario-lab sql "SELECT DISTINCT name FROM metrics" --db …');
  }
  if (names.actor !== undefined) {
    // Actors with decisions, and those the files record for metric values (of the metric asked, else of any).
    const metricNames = names.metric !== undefined ? [names.metric] : [...new Set((await analytics.listMetricNames()).map((m) => m.name))];
    const metricActors = await Promise.all(metricNames.map((m) => analytics.listMetricActors(m)));
    const known = [...(await analytics.listActors()).map((a) => a.actor), ...metricActors.flat()];
    if (!known.includes(names.actor)) throw unknownName('actor', names.actor, known, 'list them with: scenario-lab sql "SELECT DISTINCT actor FROM decisions" --db …');
  }
}
