/**
 * Actor strategy comparison (the database guide's "Actor Strategy Comparison" workflow): how one
 * actor's decisions differ between the variations of an experiment, the runs of a scenario, or the
 * scenarios of the whole index.
 *
 * Sources: the groups come from `sl_variations` / `sl_batch_runs` (batch-state.json, run folders by
 * name) for an experiment, else from `sl_folders` (one group per run folder, or per scenario name
 * when the whole index spans several scenarios). Decisions are Scenario Lab's `decisions` rows
 * (`action`, turn from `turns`), taken per folder by the decision-id range the folder wrote
 * (`sl_folder_rows`), so parallel batch runs that share a run id stay apart. Their markdown lines
 * come from `sl_origins`. Terms: distinctiveTerms.ts.
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { distinctiveTerms, termCounts, type DistinctiveTerm } from './distinctiveTerms';
import { findExperiments } from './experiments';
import type { SourceLocation } from './types';

export type { DistinctiveTerm };

/** What the groups are: an experiment's variations, run folders, or scenarios. */
export type StrategyGrouping = 'variation' | 'run' | 'scenario';

export interface ActorStrategyOptions {
  /** An experiment (name or folder, as `variations` takes it) or a scenario (name, id or folder name); the whole index when absent. */
  target?: string;
  /** The turn shown side by side; the actor's first turn in scope when absent. */
  turn?: number;
  /** Distinctive terms per group (default 10). */
  terms?: number;
  /** For an experiment: every indexed run of a variation, not only those the batch completed (`success`). */
  includeFailed?: boolean;
}

export interface StrategyAction {
  /** Workspace-relative run folder. */
  folder: string;
  runId: string | null;
  /** Null when the run has no decision of the actor at that turn. */
  decisionId: number | null;
  /** The decision's action text, exactly as stored (untrusted LLM output). */
  action: string | null;
  /** The decision's lines in its markdown file. */
  source: SourceLocation | null;
}

export interface StrategyGroup {
  /** Variation id (as text), run folder or scenario name. */
  key: string;
  /** `variation 2`, the run folder, or the scenario name. */
  label: string;
  /** The variation's description, or the run's id; null otherwise. */
  description: string | null;
  variationId: number | null;
  /** Workspace-relative run folders in the group (in scope), sorted. */
  runFolders: string[];
  /** Number of run folders in the group. */
  runs: number;
  /** The actor's decisions in those folders. */
  decisions: number;
  /** decisions / runs; null without runs. */
  decisionsPerRun: number | null;
  /** Kept tokens of the group's actions (see distinctiveTerms.ts). */
  tokens: number;
  terms: DistinctiveTerm[];
  /** One entry per decision of the actor at `turn`, and one with a null action per run folder without any. */
  actions: StrategyAction[];
}

export interface ActorStrategy {
  actor: string;
  scope: { kind: 'experiment'; experimentName: string; folder: string } | { kind: 'scenario'; scenario: string } | { kind: 'index' };
  groupedBy: StrategyGrouping;
  includeFailed: boolean;
  /** Turns at which the actor decided in scope, ascending. */
  turns: number[];
  /** The turn of `actions`; null when the actor has no decision in scope and none was asked for. */
  turn: number | null;
  groups: StrategyGroup[];
}

interface ScopedFolder {
  id: number;
  path: string;
  runId: string | null;
  group: number;
}

interface GroupHead {
  key: string;
  label: string;
  description: string | null;
  variationId: number | null;
}

/**
 * The comparison of `actor` across the groups of `options.target`.
 * @returns undefined when the target names no experiment and no scenario
 * @throws Error when the target names several experiments (the message lists their folders)
 */
export async function actorStrategy(db: Kysely<IndexDatabase>, actor: string, options: ActorStrategyOptions = {}): Promise<ActorStrategy | undefined> {
  const scoped = await scopeOf(db, options);
  if (!scoped) return undefined;
  const { heads, folders, scope, groupedBy } = scoped;
  const byId = new Map(folders.map((f) => [f.id, f]));
  const decisions = folders.length === 0 ? [] : await actorDecisions(db, actor, [...byId.keys()]);
  const turns = [...new Set(decisions.map((d) => d.turn))].sort((a, b) => a - b);
  const turn = options.turn ?? turns[0] ?? null;
  const texts = heads.map(() => [] as string[]);
  const counts = heads.map(() => 0);
  for (const d of decisions) {
    const group = byId.get(d.folderId)!.group;
    counts[group]++;
    texts[group].push(d.action ?? '');
  }
  const terms = distinctiveTerms(await termCounts(texts), options.terms ?? 10);
  const atTurn = decisions.filter((d) => d.turn === turn);
  const sources = await decisionSources(db, atTurn.map((d) => d.id));
  const groups = heads.map((head, g): StrategyGroup => {
    const own = folders.filter((f) => f.group === g);
    const actions = own.flatMap((f): StrategyAction[] => {
      const mine = atTurn.filter((d) => d.folderId === f.id);
      if (mine.length === 0) return [{ folder: f.path, runId: f.runId, decisionId: null, action: null, source: null }];
      return mine.map((d) => ({ folder: f.path, runId: f.runId, decisionId: d.id, action: d.action, source: sources.get(d.id) ?? null }));
    });
    return {
      ...head,
      runFolders: own.map((f) => f.path),
      runs: own.length,
      decisions: counts[g],
      decisionsPerRun: own.length > 0 ? counts[g] / own.length : null,
      tokens: terms[g].tokens,
      terms: terms[g].terms,
      actions,
    };
  });
  return { actor, scope, groupedBy, includeFailed: options.includeFailed ?? false, turns, turn, groups };
}

/** The groups and the run folders in scope, each with its group's position. */
async function scopeOf(db: Kysely<IndexDatabase>, options: ActorStrategyOptions) {
  const target = options.target;
  if (target !== undefined) {
    const experiments = await findExperiments(db, target);
    if (experiments.length > 1) throw new Error(`"${target}" names ${experiments.length} experiments; give one of their folders: ${experiments.map((m) => m.folder).join(', ')}`);
    if (experiments.length === 1) return experimentScope(db, experiments[0], options.includeFailed ?? false);
  }
  let query = db.selectFrom('sl_folders').select(['id', 'path', 'run_id', 'scenario_name']).where('format', '!=', 'fragment');
  if (target !== undefined) query = query.where((eb) => eb.or([eb('scenario_name', '=', target), eb('scenario_id', '=', target), eb('scenario_dir', '=', target)]));
  const rows = await query.orderBy('path').execute();
  if (target !== undefined && rows.length === 0) return undefined;
  const scenarios = [...new Set(rows.map((r) => r.scenario_name ?? ''))].sort();
  const scope = target === undefined ? ({ kind: 'index' } as const) : ({ kind: 'scenario', scenario: target } as const);
  if (target === undefined && scenarios.length > 1) {
    return {
      scope,
      groupedBy: 'scenario' as const,
      heads: scenarios.map((s): GroupHead => ({ key: s, label: s === '' ? '(no scenario name)' : s, description: null, variationId: null })),
      folders: rows.map((r): ScopedFolder => ({ id: r.id, path: r.path, runId: r.run_id, group: scenarios.indexOf(r.scenario_name ?? '') })),
    };
  }
  return {
    scope,
    groupedBy: 'run' as const,
    heads: rows.map((r): GroupHead => ({ key: r.path, label: r.path, description: r.run_id, variationId: null })),
    folders: rows.map((r, i): ScopedFolder => ({ id: r.id, path: r.path, runId: r.run_id, group: i })),
  };
}

async function experimentScope(db: Kysely<IndexDatabase>, experiment: { folder: string; experimentName: string }, includeFailed: boolean) {
  const [variations, runs] = await Promise.all([
    db.selectFrom('sl_variations').select(['variation_id', 'description']).where('experiment', '=', experiment.folder).orderBy('variation_id').execute(),
    db
      .selectFrom('sl_batch_runs as b')
      .innerJoin('sl_folders as f', 'f.path', 'b.folder')
      .select(['f.id', 'f.path', 'f.run_id', 'b.variation_id', 'b.status'])
      .where('b.experiment', '=', experiment.folder)
      .where('f.format', '!=', 'fragment')
      .orderBy('f.path')
      .execute(),
  ]);
  const position = new Map(variations.map((v, i) => [v.variation_id, i]));
  return {
    scope: { kind: 'experiment', experimentName: experiment.experimentName, folder: experiment.folder } as const,
    groupedBy: 'variation' as const,
    heads: variations.map((v): GroupHead => ({ key: String(v.variation_id), label: `variation ${v.variation_id}`, description: v.description, variationId: v.variation_id })),
    folders: runs
      .filter((r) => r.variation_id !== null && position.has(r.variation_id) && (includeFailed || r.status === 'success'))
      .map((r): ScopedFolder => ({ id: r.id, path: r.path, runId: r.run_id, group: position.get(r.variation_id!)! })),
  };
}

/** The actor's decisions in the given folders, by the decision-id range each folder wrote. */
async function actorDecisions(db: Kysely<IndexDatabase>, actor: string, folderIds: number[]) {
  const rows = await db
    .selectFrom('sl_folder_rows as r')
    .innerJoin('decisions as d', (join) => join.onRef('d.id', '>=', 'r.first_id').onRef('d.id', '<=', 'r.last_id'))
    .innerJoin('turns as t', 't.id', 'd.turn_id')
    .select(['r.folder_id', 'd.id', 't.turn_num', 'd.action'])
    .where('r.tbl', '=', 'decisions')
    .where('r.folder_id', 'in', folderIds)
    .where('d.actor', '=', actor)
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({ folderId: r.folder_id, id: r.id, turn: r.turn_num, action: r.action }));
}

async function decisionSources(db: Kysely<IndexDatabase>, ids: number[]): Promise<Map<number, SourceLocation>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sl_origins as o')
    .innerJoin('sl_files as f', 'f.id', 'o.file_id')
    .select(['o.row_id', 'f.path', 'o.start_line', 'o.end_line', 'o.focus_line'])
    .where('o.tbl', '=', 'decisions')
    .where('o.row_id', 'in', ids)
    .execute();
  return new Map(
    rows
      .filter((r) => r.start_line !== null)
      .map((r) => [r.row_id, { file: r.path, startLine: r.start_line!, endLine: r.end_line ?? r.start_line!, focusLine: r.focus_line ?? r.start_line! }]),
  );
}
