/**
 * Reads one scenario definition folder (docs/format.md#scenario-definitions): scenario.yaml, actors/*.yaml and metrics.yaml.
 * Definitions give display names for runs without state files and the metric patterns hovers use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FolderListing } from '../discover/discoverFolders';
import { joinKey } from '../folderKeys';
import type { LinkGuard } from '../discover/links';
import type { ActorDefinition, MetricDefinition, Parsed, Problem, ScenarioDefinition } from '../format/records';
import { parseActorYaml, parseMetricsYaml, parseScenarioYaml } from '../format/scenarioDefinition';
import { decodeText, decodingProblem, type DecodedText } from '../format/text';

type ScenarioRead = { definition: ScenarioDefinition | undefined; problems: Problem[] };

/** Definitions by folder, with the file stats they were read from: a full pass re-parses only what changed. */
const cache = new Map<string, { signature: string; read: ScenarioRead }>();

/** One definition folder's definition and problems; files the link policy forbids are reported, not read. */
export function readScenarioFolder(listing: FolderListing, guard: LinkGuard): ScenarioRead {
  const actorsReadable = guard.mayRead(path.join(listing.absPath, 'actors'));
  const signature = `${guard.policy}|${statSignature(listing, actorsReadable)}`;
  const cached = cache.get(listing.absPath);
  if (cached?.signature === signature) return cached.read;
  const read = parseScenarioFolder(listing, guard, actorsReadable);
  cache.set(listing.absPath, { signature, read });
  return read;
}

/** Sizes and mtimes of every file a definition is read from (the folder's own files and actors/*). */
function statSignature(listing: FolderListing, actorsReadable: boolean): string {
  const own = listing.files.map((f) => `${f.name}:${f.size}:${f.mtimeMs}`);
  const actors = (actorsReadable ? actorFiles(listing.absPath) : []).map((name) => {
    try {
      const stat = fs.statSync(path.join(listing.absPath, 'actors', name));
      return `actors/${name}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return `actors/${name}:gone`;
    }
  });
  return [...own, ...actors].join('|');
}

function parseScenarioFolder(listing: FolderListing, guard: LinkGuard, actorsReadable: boolean): ScenarioRead {
  const problems: Problem[] = [];
  const read = <T>(name: string, parse: (text: string, file: string) => Parsed<T>): T | undefined => {
    const key = joinKey(listing.key, name);
    const abs = path.join(listing.absPath, ...name.split('/'));
    // Links the policy forbids are not read; discovery, which lists these folders too, reports them.
    const listed = listing.files.find((f) => f.name === name);
    if (listed?.fault || !guard.mayRead(abs)) return undefined;
    if (!listed && !name.startsWith('actors/')) return undefined; // optional file (metrics.yaml) absent
    let decoded: DecodedText;
    try {
      decoded = decodeText(fs.readFileSync(abs));
    } catch {
      return undefined; // optional file (metrics.yaml) or vanished meanwhile
    }
    if (decoded.binary) {
      problems.push({ file: key, line: 1, severity: 'warning', message: `${name} holds binary data, not text; it was skipped.` });
      return undefined;
    }
    const damaged = decodingProblem(decoded, key);
    if (damaged) problems.push(damaged);
    const parsed = parse(decoded.text, key);
    problems.push(...parsed.problems);
    return parsed.value;
  };
  const scenario = read('scenario.yaml', parseScenarioYaml);
  if (!scenario) return { definition: undefined, problems };
  const actors: ActorDefinition[] = [];
  for (const file of actorsReadable ? actorFiles(listing.absPath) : []) {
    const actor = read(`actors/${file}`, parseActorYaml);
    if (actor) actors.push(actor);
  }
  const metrics: MetricDefinition[] = read('metrics.yaml', parseMetricsYaml) ?? [];
  return { definition: { ...scenario, dir: listing.key, actors, metrics }, problems };
}

/** The runner loads every actors/*.yaml in file-name order (docs/format.md#scenario-file). */
function actorFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(path.join(dir, 'actors'))
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
  } catch {
    return [];
  }
}
