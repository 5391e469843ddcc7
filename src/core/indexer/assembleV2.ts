/** A V2 run folder (state file) into index rows: docs/format.md#reconstruction. Pure: no I/O, no database. */
import { pythonJson } from '../db/encoding';
import { persistenceBodyHash } from '../format/decision';
import { baseName } from '../format/jsonText';
import type { CommunicationDoc, CommunicationRecord, DecisionDoc, DecisionRecord, Problem, SourceLocation, StateFile } from '../format/records';
import type { CommunicationRow, DecisionRow, AssembledFolder, MetricRow } from './assembledFolder';
import type { ParsedFolder } from './readFolder';
import { leftoverProblem, splitLeftovers } from './leftovers';
import { latestTime, runIdentityOf, runIdTime, runStartOf, runStartProblem } from './runFacts';
import { type AssembleContext, compareCodePoints, folderRunId, info, lastWrittenOf, nowSqlTime, push, pushDefined, runFileTimes, sameList, scenarioNameOf, spanOrigin, sqlTime, sum } from './assembleParts';
import { costRows, decisionOrigin, decisionRowFromDoc, metricRow, metricSpanIndex } from './assembleRecords';

/** A V2 run folder (its state file `primary`, plus copied history in `allFiles`) into `rows`: docs/format.md#reconstruction. */
export function assembleV2(given: ParsedFolder, primary: StateFile, rows: AssembledFolder, context: AssembleContext): AssembledFolder {
  const allFiles = withoutOtherRunsV2(given, rows.problems);
  // docs/format.md#per-folder: scenario-state.json is authoritative; scenario-state-v2.json can be a turn ahead.
  const state = allFiles.state ?? primary;
  const other = state === allFiles.state ? allFiles.stateV2 : undefined;
  const identity = runIdentityOf(state, other, rows.problems, stateFileKey(allFiles));
  const lastTurn = identity.turn ?? lastTurnFromFiles(allFiles, state);
  const runId = identity.runId ?? folderRunId(allFiles);
  // Files of an older run in a reused folder are reported, never taken for this run's turns.
  const bounds = { stateTurn: Math.max(lastTurn, allFiles.stateV2?.turn ?? 0), runStart: sqlTime(state.startedAt) ?? sqlTime(other?.startedAt) ?? runIdTime(runId) };
  const { kept: folder, leftovers } = splitLeftovers(allFiles, bounds);
  pushDefined(rows.problems, leftoverProblem(leftovers, stateFileKey(allFiles), bounds));
  const freshV2 = folder.stateV2 && folder.stateV2.turn >= lastTurn ? folder.stateV2 : undefined;
  const turns = persistedTurns(folder, state, lastTurn);
  const first = turns.length > 0 ? turns[0] : lastTurn;
  const metricSource = freshV2?.metrics ?? (state.metrics.length > 0 ? state.metrics : folder.metrics ?? []);
  const costSource = folder.costs?.records ?? (state.costs.length > 0 ? state.costs : folder.stateV2?.costs ?? []);
  const start = runStartOf({
    recorded: [sqlTime(state.startedAt), sqlTime(other?.startedAt)],
    runId,
    records: [
      ...folder.decisions.map((d) => sqlTime(d.timestamp)),
      ...state.decisions.map((d) => sqlTime(d.timestamp)),
      ...state.communications.map((c) => sqlTime(c.timestamp)),
      ...metricSource.map((m) => sqlTime(m.timestamp)),
      ...costSource.map((c) => sqlTime(c.timestamp)),
    ],
    fileTimesMs: runFileTimes(folder),
  });
  const fallback = start?.time ?? nowSqlTime();

  const decisionsByTurn = collectDecisions(folder, state, first, lastTurn, fallback, rows.problems);
  const commsByTurn = new Map<number, CommunicationRow[]>();
  for (const c of state.communications) {
    if (c.turn >= first && c.turn <= lastTurn) push(commsByTurn, c.turn, communicationRow(c, folder.communications, fallback));
  }
  const metricSpans = metricSpanIndex(folder.metrics ?? [], folder.state?.metrics ?? []);
  const metricsByTurn = new Map<number, MetricRow[]>();
  for (const m of metricSource) {
    if (m.turn < first || m.turn > lastTurn) continue;
    push(metricsByTurn, m.turn, metricRow(m, metricSpans, fallback));
  }

  for (let k = first; k <= lastTurn; k++) {
    const world = worldStateOf(folder, state, k, lastTurn);
    const decisions = decisionsByTurn.get(k) ?? [];
    const metrics = metricsByTurn.get(k) ?? [];
    rows.turns.push({
      turnNum: k,
      timestamp: latestTime([...decisions.map((d) => d.timestamp), ...metrics.map((m) => m.timestamp)]) ?? fallback,
      worldState: world?.text ?? null,
      origin: world?.origin,
      decisions,
      communications: commsByTurn.get(k) ?? [],
      metrics,
    });
  }
  rows.costs = costRows(costSource, fallback);

  const leftover = Math.max(...folder.decisions.map((d) => d.turn), ...folder.communications.map((c) => c.turn), -1);
  rows.meta = {
    ...rows.meta,
    format: 'v2',
    runId,
    scenarioId: identity.scenarioId ?? identity.scenarioName ?? scenarioNameOf(folder, rows, context),
    scenarioName: identity.scenarioName ?? identity.scenarioId ?? scenarioNameOf(folder, rows, context),
    status: identity.status,
    lastTurn,
    leftoverTurn: leftover > lastTurn ? leftover : null,
    plannedTurns: plannedTurnsOf(state.scenarioConfig),
    firstPersistedTurn: first,
    startedAt: start?.time ?? null,
    lastRecordAt: latestTime([...metricSource.map((m) => sqlTime(m.timestamp)), ...costSource.map((c) => sqlTime(c.timestamp))]) ?? null,
    lastWrittenAt: lastWrittenOf(folder, rows),
    completedAt: sqlTime(state.completedAt) ?? sqlTime(other?.completedAt) ?? null,
    error: state.error,
    totalCost: state.totalCost ?? folder.costs?.totalCost ?? sum(state.costs.map((c) => c.cost)),
    config: pythonJson(state.scenarioConfig ?? {}),
  };
  rows.runOrigin = spanOrigin({ file: state.worldState?.span.file ?? stateFileKey(folder), startLine: 1, endLine: 1 });
  pushDefined(rows.problems, runStartProblem(start, stateFileKey(folder)));
  if (leftover > lastTurn) {
    rows.problems.push(info(stateFileKey(folder), `Files for turn ${leftover} exist but the state file ends at turn ${lastTurn}: turn ${leftover} was interrupted and is not part of the persisted run.`));
  }
  return rows;
}

/** docs/format.md#per-folder step 2: turns k ≤ N with a persistence-format decision file; else what the state file still holds (docs/format.md#incomplete-folders). */
function persistedTurns(folder: ParsedFolder, state: StateFile, lastTurn: number): number[] {
  const fromFiles = folder.decisions.filter((d) => d.format === 'persistence' && d.turn <= lastTurn && d.turn >= 1).map((d) => d.turn);
  const fromState = [...state.actors.flatMap((a) => a.recentDecisions.map((d) => d.turn)), ...state.decisions.map((d) => d.turn)];
  const known = fromFiles.length > 0 ? fromFiles : fromState.length > 0 ? fromState : [lastTurn];
  const first = Math.min(...known.filter((t) => t >= 1 && t <= lastTurn), lastTurn);
  const turns: number[] = [];
  for (let k = Math.max(first, 1); k <= lastTurn; k++) turns.push(k);
  return turns;
}

/** When neither state file records its turn: the last turn a persistence file or the state's decisions name (0: none). */
function lastTurnFromFiles(folder: ParsedFolder, state: StateFile): number {
  const named = [...folder.decisions.filter((d) => d.format === 'persistence').map((d) => d.turn), ...state.decisions.map((d) => d.turn)];
  return Math.max(0, ...named);
}

/** One decision per (turn, actor): the persistence file, else the state file, else the decision-phase file. */
function collectDecisions(folder: ParsedFolder, state: StateFile, first: number, lastTurn: number, fallback: string, problems: Problem[]): Map<number, DecisionRow[]> {
  const chosen = new Map<string, DecisionRow>();
  const keyOf = (turn: number, actor: string) => `${turn}\u0000${actor}`;
  const offer = (turn: number, actor: string, row: DecisionRow) => {
    if (turn >= first && turn <= lastTurn && !chosen.has(keyOf(turn, actor))) chosen.set(keyOf(turn, actor), row);
  };
  const docsByFormat = (format: DecisionDoc['format']) => folder.decisions.filter((d) => d.format === format);
  const stateDecisions: DecisionRecord[] = [...state.decisions, ...state.actors.flatMap((a) => a.recentDecisions)];
  for (const doc of docsByFormat('persistence')) {
    const record = stateDecisions.find((d) => d.turn === doc.turn && d.actor === doc.actor);
    offer(doc.turn, doc.actor, reconcileDecision(doc, record, fallback, problems));
  }
  for (const d of stateDecisions) offer(d.turn, d.actor, decisionRowFromRecord(d, findDoc(folder.decisions, d.turn, d.actor), fallback));
  for (const doc of docsByFormat('decision-phase')) offer(doc.turn, doc.actor, decisionRowFromDoc(doc, fallback));

  const byTurn = new Map<number, DecisionRow[]>();
  const actorOrder = state.actors.map((a) => a.name);
  const rank = (actor: string) => (actorOrder.includes(actor) ? actorOrder.indexOf(actor) : actorOrder.length);
  const entries = [...chosen.entries()].map(([key, row]) => ({ turn: Number(key.split('\u0000')[0]), row }));
  entries.sort((a, b) => a.turn - b.turn || rank(a.row.actor) - rank(b.row.actor) || compareCodePoints(a.row.actor, b.row.actor));
  for (const { turn, row } of entries) push(byTurn, turn, row);
  return byTurn;
}

/**
 * A persistence file's decision, checked against the state file's record of the same turn and
 * actor. They agree on clean data (the file is written from the record). When they do not:
 * - the file is exactly what the writer makes of the record, and only a markdown reader splits it
 *   otherwise (a bare section heading in the LLM text, a code block left open): the record's
 *   values are stored, since the file holds them;
 * - the file says something else (a hand edit): the file's values are stored (docs/format.md#per-folder step 5).
 * Either way a warning at the file says which parts differ.
 */
function reconcileDecision(doc: DecisionDoc, record: DecisionRecord | undefined, fallback: string, problems: Problem[]): DecisionRow {
  const row = decisionRowFromDoc(doc, fallback);
  if (!record) return row;
  const differs = [
    sameList(doc.goals, record.goals) ? '' : 'goals',
    doc.reasoning === record.reasoning ? '' : 'reasoning',
    doc.action === record.action ? '' : 'action',
  ].filter(Boolean);
  if (differs.length === 0) return row;
  const state = `${baseName(record.span.file)} (line ${record.span.startLine})`;
  const line = (doc.reasoningSpan ?? doc.span).startLine;
  if (doc.bodyHash !== undefined && doc.bodyHash === persistenceBodyHash(record.goals, record.reasoning, record.action)) {
    problems.push({
      file: doc.span.file,
      line,
      severity: 'warning',
      message: `A markdown reader finds this decision's ${differs.join(' and ')} elsewhere than Scenario Lab wrote them (a section heading in the text itself, or a code block left open): the values of ${state}, which this file was written from, are stored.`,
    });
    return { ...row, goals: record.goals, reasoning: record.reasoning, action: record.action };
  }
  problems.push({
    file: doc.span.file,
    line,
    severity: 'warning',
    message: `This decision's markdown and ${state} disagree about its ${differs.join(' and ')}; the markdown, as it now reads, is stored.`,
  });
  return row;
}

function findDoc(docs: DecisionDoc[], turn: number, actor: string): DecisionDoc | undefined {
  return docs.find((d) => d.turn === turn && d.actor === actor && d.format === 'persistence') ?? docs.find((d) => d.turn === turn && d.actor === actor);
}

function decisionRowFromRecord(d: DecisionRecord, doc: DecisionDoc | undefined, fallback: string): DecisionRow {
  return {
    actor: d.actor,
    goals: d.goals,
    reasoning: d.reasoning,
    action: d.action,
    timestamp: sqlTime(d.timestamp) ?? sqlTime(doc?.timestamp) ?? fallback,
    origin: doc ? decisionOrigin(doc) : spanOrigin(d.span),
  };
}

/** Points a JSON communication at its message in the exported markdown when there is one (public messages have none). */
function communicationRow(c: CommunicationRecord, docs: CommunicationDoc[], fallback: string): CommunicationRow {
  const participants = [c.sender, ...c.recipients].sort(compareCodePoints);
  const doc = docs.find((d) => d.turn === c.turn && sameList([...new Set(d.participants)].sort(compareCodePoints), [...new Set(participants)]));
  const message = doc?.messages.find((m) => m.sender === c.sender && m.content.trim() === c.content.trim());
  const span = message?.span ?? c.span;
  return {
    id: c.id,
    type: c.type,
    sender: c.sender,
    recipients: c.recipients,
    content: c.content,
    timestamp: sqlTime(c.timestamp) ?? fallback,
    origin: spanOrigin(span),
  };
}

/** docs/format.md#world-state: the state after turn k is the raw JSON text for k = N, else the Current Situation of world-state-(k-1).md. */
function worldStateOf(folder: ParsedFolder, state: StateFile, k: number, lastTurn: number): { text: string; origin: SourceLocation | undefined } | undefined {
  if (k === lastTurn && state.worldState) {
    const raw = folder.worldStates.find((w) => w.fileTurn === k && w.doc.kind === 'v2-raw');
    return { text: state.worldState.content, origin: spanOrigin(raw ? raw.doc.span : state.worldState.span) };
  }
  const formatted = folder.worldStates.find((w) => w.fileTurn === k - 1 && w.doc.kind === 'v2-formatted');
  if (formatted && formatted.doc.kind === 'v2-formatted') {
    return { text: formatted.doc.currentSituation, origin: spanOrigin(formatted.doc.currentSituationSpan) };
  }
  return undefined;
}

/**
 * The folder without a scenario-state-v2.json whose run id is not scenario-state.json's: an older
 * run's file in a reused folder (this run stopped before writing its own). Its turn, metrics and
 * facts are another run's, so none is used; a problem names it.
 */
function withoutOtherRunsV2(folder: ParsedFolder, problems: Problem[]): ParsedFolder {
  const { state, stateV2 } = folder;
  if (!state || !stateV2 || state.missing.includes('run_id') || stateV2.missing.includes('run_id') || state.runId === stateV2.runId) return folder;
  const file = folder.files.find((f) => f.kind === 'scenario-state-v2')?.key ?? folder.key;
  problems.push({
    file,
    line: 1,
    severity: 'warning',
    message: `scenario-state-v2.json is left over from another run (run id ${stateV2.runId}; scenario-state.json is run ${state.runId}); it is not used.`,
  });
  return { ...folder, stateV2: undefined };
}

function stateFileKey(folder: ParsedFolder): string {
  return (folder.files.find((f) => f.kind === 'scenario-state') ?? folder.files.find((f) => f.kind === 'scenario-state-v2'))?.key ?? folder.key;
}

/** Planned length from the stored config; only a label, since CLI runs default to 10 turns (docs/format.md#turns). */
function plannedTurnsOf(config: unknown): number | null {
  if (!config || typeof config !== 'object') return null;
  const c = config as Record<string, unknown>;
  const value = c.num_turns ?? c.turns;
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
