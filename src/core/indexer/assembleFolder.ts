/**
 * Turns one parsed run folder into the rows Scenario Lab's own database would hold for it,
 * following the reconstruction rules of docs/format.md#reconstruction (V2), #v1-in-the-index (V1) and #incomplete-folders (what is
 * left when files are missing). Pure: no I/O, no database.
 */
import { pythonJson } from '../db/encoding';
import { persistenceBodyHash } from '../format/decision';
import { baseName } from '../format/jsonText';
import type { CommunicationDoc, CommunicationRecord, CostRecord, DecisionDoc, DecisionRecord, MetricRecord, Problem, SourceSpan, StateFile } from '../format/records';
import { localSqlTime, toSqlDatetime } from '../format/timestamps';
import type { CommunicationRow, CostRow, DecisionRow, FolderMeta, FolderRows, MetricRow, Origin } from './folderRows';
import type { ParsedFolder } from './readFolder';
import { leftoverProblem, splitLeftovers } from './leftovers';
import { latestTime, runIdentityOf, runIdTime, runStartOf, runStartProblem } from './runFacts';

export interface AssembleContext {
  /** Scenario display name for a scenario folder name (`output/<dir>/…`), from scenarios/<dir>/scenario.yaml. */
  scenarioNameForDir?: (dir: string) => string | undefined;
}

export function assembleFolder(folder: ParsedFolder, context: AssembleContext = {}): FolderRows {
  const base: FolderRows = {
    key: folder.key,
    meta: emptyMeta(scenarioDirOf(folder.key)),
    runOrigin: undefined,
    turns: [],
    costs: [],
    annotations: folder.annotations,
    problems: [...folder.problems],
    pending: folder.pending,
    files: folder.files,
  };
  const state = folder.state ?? folder.stateV2;
  if (state) return assembleV2(folder, state, base, context);
  if (folder.v1State) return assembleV1(folder, base);
  if (folder.decisions.length > 0) return assembleMarkdownOnly(folder, base, context);
  base.meta.format = 'fragment';
  return base;
}

function emptyMeta(scenarioDir: string | null): FolderMeta {
  return {
    format: 'v2',
    runId: null,
    scenarioId: null,
    scenarioName: null,
    scenarioDir,
    status: null,
    lastTurn: null,
    leftoverTurn: null,
    plannedTurns: null,
    firstPersistedTurn: null,
    startedAt: null,
    lastRecordAt: null,
    lastWrittenAt: null,
    completedAt: null,
    error: null,
    totalCost: null,
    config: null,
  };
}

/**
 * The run id of a folder whose files record none (`folder:<path>`), made of the workspace-relative
 * path without a shared index's source: a folder gets the same id on both engines, and the same
 * batch indexed from two machines the same runs, as recorded run ids do (its figures per folder stay
 * apart in sl_folders).
 */
function folderRunId(folder: Pick<ParsedFolder, 'localKey'>): string {
  return `folder:${folder.localKey}`;
}

/** `output/<dir>/run-NNN` names the scenario folder; batch and ad-hoc layouts do not. */
export function scenarioDirOf(folderKey: string): string | null {
  const parts = folderKey.split('/');
  return parts.length >= 3 && parts[parts.length - 3] === 'output' ? parts[parts.length - 2] : null;
}

// ------------------------------------------------------------------------------------------ V2

function assembleV2(allFiles: ParsedFolder, primary: StateFile, rows: FolderRows, context: AssembleContext): FolderRows {
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

/** `fallback`: the run's start, for a decision whose file records no time (the schema needs one). */
function decisionRowFromDoc(doc: DecisionDoc, fallback: string): DecisionRow {
  return {
    actor: doc.actor,
    goals: doc.goals,
    reasoning: doc.reasoning,
    action: doc.action,
    timestamp: sqlTime(doc.timestamp) ?? fallback,
    origin: decisionOrigin(doc),
  };
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

function decisionOrigin(doc: DecisionDoc): Origin {
  return { file: doc.span.file, startLine: doc.span.startLine, endLine: doc.span.endLine, focusLine: doc.actionSpan?.startLine ?? doc.span.startLine };
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

/**
 * metrics.json holds the same records as the state files; its lines are the nicer place to jump to,
 * and it (like scenario-state.json) keeps `metadata.actor`, which scenario-state-v2.json drops.
 */
function metricSpanIndex(records: MetricRecord[], moreActors: readonly MetricRecord[] = []): Map<string, { span?: SourceSpan; actor: string | null }> {
  const index = new Map<string, { span?: SourceSpan; actor: string | null }>();
  for (const m of moreActors) if (m.metadataActor) index.set(metricKey(m), { actor: m.metadataActor });
  for (const m of records) index.set(metricKey(m), { span: m.span, actor: m.metadataActor ?? index.get(metricKey(m))?.actor ?? null });
  return index;
}

function metricKey(m: MetricRecord): string {
  return `${m.name}\u0000${m.turn}\u0000${m.timestamp}`;
}

function metricRow(m: MetricRecord, spans: Map<string, { span?: SourceSpan; actor: string | null }>, fallback: string): MetricRow {
  const known = spans.get(metricKey(m));
  return {
    name: m.name,
    value: m.value,
    actor: m.actor,
    recordedActor: m.actor ?? m.metadataActor ?? known?.actor ?? null,
    timestamp: sqlTime(m.timestamp) ?? fallback,
    origin: spanOrigin(known?.span ?? m.span),
  };
}

/** docs/format.md#per-folder step 8: non-null-actor costs, deduplicated by (timestamp, actor, phase), including copied history. */
function costRows(records: CostRecord[], fallback: string): CostRow[] {
  const seen = new Set<string>();
  const rows: CostRow[] = [];
  for (const r of records) {
    if (r.actor === null || r.actor === undefined) continue;
    const key = `${r.timestamp}\u0000${r.actor}\u0000${r.phase}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      timestamp: sqlTime(r.timestamp) ?? fallback,
      actor: r.actor,
      phase: r.phase,
      model: r.model,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cost: r.cost,
      origin: spanOrigin(r.span),
    });
  }
  return rows;
}

/** docs/format.md#world-state: the state after turn k is the raw JSON text for k = N, else the Current Situation of world-state-(k-1).md. */
function worldStateOf(folder: ParsedFolder, state: StateFile, k: number, lastTurn: number): { text: string; origin: Origin | undefined } | undefined {
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

// ------------------------------------------------------------------------------------------ V1

/** docs/format.md#v1-in-the-index: Scenario Lab never stored V1 runs; we map them with an invented, folder-based run id. */
function assembleV1(folder: ParsedFolder, rows: FolderRows): FolderRows {
  const v1 = folder.v1State!;
  const turnNumbers = v1.completedTurns.length > 0 ? [...v1.completedTurns].sort((a, b) => a - b) : range(1, v1.currentTurn);
  const metricSource = folder.v1Metrics?.metricsByTurn ?? v1.metricsByTurn;
  const start = runStartOf({
    recorded: [sqlTime(v1.startedAt), sqlTime(folder.v1Costs?.startTime)],
    runId: null,
    records: [...folder.decisions.map((d) => sqlTime(d.timestamp)), ...v1.messages.map((m) => sqlTime(m.timestamp)), sqlTime(v1.lastUpdated)],
    fileTimesMs: runFileTimes(folder),
  });
  const fallback = sqlTime(v1.lastUpdated) ?? start?.time ?? nowSqlTime();
  for (const k of turnNumbers) {
    const worldDoc = folder.worldStates.find((w) => w.fileTurn === k && w.doc.kind === 'v1');
    const decisions: DecisionRow[] = v1.decisions
      .filter((d) => d.turn === k)
      .map((d) => {
        const doc = folder.decisions.find((x) => x.turn === k && x.actor === d.actor);
        return {
          actor: d.actor,
          goals: d.goals === '' ? [] : d.goals.split('\n'),
          reasoning: d.reasoning,
          action: d.action,
          timestamp: sqlTime(doc?.timestamp) ?? fallback,
          origin: doc ? decisionOrigin(doc) : spanOrigin(d.span),
        };
      });
    const communications: CommunicationRow[] = v1.messages
      .filter((m) => m.turn === k)
      .map((m, i) => ({
        id: `v1:${folder.localKey}:${m.channelId}:${i}`,
        type: m.channelType,
        sender: m.sender,
        recipients: m.participants.filter((p) => p !== m.sender),
        content: m.content,
        timestamp: sqlTime(m.timestamp) ?? fallback,
        origin: spanOrigin(messageSpanInDocs(folder.communications, k, m.sender, m.content) ?? m.span),
      }));
    const metrics: MetricRow[] = metricSource
      .filter((m) => m.turn === k)
      .map((m) => ({ name: m.name, value: m.value, actor: null, recordedActor: null, timestamp: fallback, origin: spanOrigin(m.span) }));
    const worldText = v1.states.get(k);
    rows.turns.push({
      turnNum: k,
      timestamp: latestTime(decisions.map((d) => d.timestamp)) ?? fallback,
      worldState: worldText ?? null,
      origin: worldDoc && worldDoc.doc.kind === 'v1' ? spanOrigin(worldDoc.doc.currentSituationSpan) : undefined,
      decisions,
      communications,
      metrics,
    });
  }
  rows.costs = (folder.v1Costs?.actorCosts ?? []).map((c) => ({
    timestamp: sqlTime(folder.v1Costs?.startTime) ?? start?.time ?? fallback,
    actor: c.actor,
    phase: 'unknown',
    model: c.model ?? 'unknown',
    inputTokens: c.tokens,
    outputTokens: 0,
    cost: c.cost,
    origin: spanOrigin(c.span),
  }));
  rows.meta = {
    ...rows.meta,
    format: 'v1',
    runId: `v1:${folder.localKey}`,
    scenarioId: v1.scenarioName,
    scenarioName: v1.scenarioName,
    status: v1.status,
    lastTurn: v1.currentTurn,
    plannedTurns: v1.totalTurns ?? null,
    firstPersistedTurn: turnNumbers[0] ?? null,
    startedAt: start?.time ?? null,
    lastRecordAt: sqlTime(v1.lastUpdated) ?? null,
    lastWrittenAt: lastWrittenOf(folder, rows),
    error: v1.haltReason,
    totalCost: v1.totalCost ?? folder.v1Costs?.totalCost ?? sum(rows.costs.map((c) => c.cost)),
    config: null,
  };
  rows.runOrigin = spanOrigin(v1.span);
  pushDefined(rows.problems, runStartProblem(start, v1.span.file));
  return rows;
}

function messageSpanInDocs(docs: CommunicationDoc[], turn: number, sender: string, content: string): SourceSpan | undefined {
  for (const doc of docs) {
    if (doc.turn !== turn) continue;
    const message = doc.messages.find((m) => m.sender === sender && m.content.trim() === content.trim());
    if (message) return message.span;
  }
  return undefined;
}

// ------------------------------------------------------------------------- markdown without JSON

/**
 * A run still in its first turn (or whose state files are unreadable) has only markdown. We keep
 * what the files say under an invented run id rather than hide the run until its JSON appears.
 */
function assembleMarkdownOnly(folder: ParsedFolder, rows: FolderRows, context: AssembleContext): FolderRows {
  const turnNumbers = [...new Set(folder.decisions.map((d) => d.turn))].filter((t) => t >= 1).sort((a, b) => a - b);
  const best = new Map<string, DecisionDoc>();
  for (const doc of folder.decisions) {
    const key = `${doc.turn}\u0000${doc.actor}`;
    const current = best.get(key);
    if (!current || (current.format !== 'persistence' && doc.format === 'persistence')) best.set(key, doc);
  }
  const scenarioName = scenarioNameOf(folder, rows, context);
  // metrics.json and costs.json survive a broken state file: their records are still this run's.
  const metricSource = folder.metrics ?? [];
  const costSource = folder.costs?.records ?? [];
  const start = runStartOf({
    recorded: [],
    runId: null,
    records: [
      ...folder.decisions.map((d) => sqlTime(d.timestamp)),
      ...folder.communications.map((c) => sqlTime(c.generatedAt)),
      ...metricSource.map((m) => sqlTime(m.timestamp)),
      ...costSource.map((c) => sqlTime(c.timestamp)),
    ],
    fileTimesMs: runFileTimes(folder),
  });
  const fallback = start?.time ?? nowSqlTime();
  const metricSpans = metricSpanIndex(metricSource);
  for (const k of turnNumbers) {
    const docs = [...best.values()].filter((d) => d.turn === k).sort((a, b) => compareCodePoints(a.actor, b.actor));
    const world =
      folder.worldStates.find((w) => w.fileTurn === k - 1 && w.doc.kind === 'v2-formatted') ??
      folder.worldStates.find((w) => w.fileTurn === k && w.doc.kind === 'v2-raw');
    const worldText = world ? (world.doc.kind === 'v2-formatted' ? world.doc.currentSituation : world.doc.kind === 'v2-raw' ? world.doc.text : null) : null;
    const worldSpan = world ? (world.doc.kind === 'v2-formatted' ? world.doc.currentSituationSpan : world.doc.span) : undefined;
    const decisions = docs.map((doc) => decisionRowFromDoc(doc, fallback));
    const metrics = metricSource.filter((m) => m.turn === k).map((m) => metricRow(m, metricSpans, fallback));
    rows.turns.push({
      turnNum: k,
      timestamp: latestTime([...decisions.map((d) => d.timestamp), ...metrics.map((m) => m.timestamp)]) ?? fallback,
      worldState: worldText,
      origin: worldSpan ? spanOrigin(worldSpan) : undefined,
      decisions,
      communications: folder.communications.filter((c) => c.turn === k).flatMap((doc) => markdownMessages(doc, fallback)),
      metrics,
    });
  }
  const lastTurn = turnNumbers.length > 0 ? turnNumbers[turnNumbers.length - 1] : null;
  rows.costs = costRows(costSource, fallback);
  rows.meta = {
    ...rows.meta,
    format: 'markdown',
    runId: folderRunId(folder),
    scenarioId: scenarioName,
    scenarioName,
    status: 'running',
    lastTurn,
    firstPersistedTurn: turnNumbers[0] ?? null,
    startedAt: start?.time ?? null,
    lastRecordAt: latestTime(rows.turns.map((t) => t.timestamp)) ?? null,
    lastWrittenAt: lastWrittenOf(folder, rows),
    // The run's total is recorded by the state file or costs.json only; without both it is unknown (not $0).
    totalCost: folder.costs?.totalCost ?? (costSource.length > 0 ? sum(costSource.map((c) => c.cost)) : null),
  };
  const kept = [folder.metrics ? 'metrics from metrics.json' : '', folder.costs ? 'costs from costs.json' : ''].filter(Boolean);
  rows.problems.push(
    info(
      folder.key,
      `No readable scenario-state.json: this run is shown from its markdown${kept.length > 0 ? ` and ${kept.join(' and ')}` : ' only (no metrics or costs)'} until a state file is written; its run id, status and total cost are not recorded.`,
    ),
  );
  pushDefined(rows.problems, runStartProblem(start, folder.key));
  return rows;
}

/** The scenario's display name when no state file gives it: a message file's title, the scenario definition, the folder name. */
function scenarioNameOf(folder: ParsedFolder, rows: FolderRows, context: AssembleContext): string {
  const dir = rows.meta.scenarioDir;
  return folder.communications.find((c) => c.scenarioName)?.scenarioName ?? (dir ? context.scenarioNameForDir?.(dir) : undefined) ?? dir ?? folder.key;
}

function markdownMessages(doc: CommunicationDoc, fallback: string): CommunicationRow[] {
  return doc.messages.map((m, i) => ({
    id: `md:${doc.span.file}#${i}`,
    type: doc.channel,
    sender: m.sender,
    recipients: doc.participants.filter((p) => p !== m.sender),
    content: m.content,
    timestamp: sqlTime(doc.generatedAt) ?? fallback,
    origin: spanOrigin(m.span),
  }));
}

// ------------------------------------------------------------------------------------- helpers

function spanOrigin(span: SourceSpan): Origin {
  return { file: span.file, startLine: span.startLine, endLine: span.endLine, focusLine: span.startLine };
}

function sqlTime(value: string | undefined | null): string | undefined {
  return value ? toSqlDatetime(value) : undefined;
}

/** Latest time the run's files record: its rows and costs, and the markdown of a turn in progress (decisions, messages, world updates). */
function lastWrittenOf(folder: Pick<ParsedFolder, 'decisions' | 'communications' | 'worldStates'>, rows: FolderRows): string | null {
  const times = [
    ...rows.turns.flatMap((t) => [t.timestamp, ...t.decisions.map((d) => d.timestamp), ...t.communications.map((c) => c.timestamp), ...t.metrics.map((m) => m.timestamp)]),
    ...rows.costs.map((c) => c.timestamp),
    ...folder.decisions.map((d) => sqlTime(d.timestamp)),
    ...folder.communications.map((c) => sqlTime(c.generatedAt)),
    ...folder.worldStates.map((w) => sqlTime(w.doc.kind === 'v2-formatted' ? w.doc.updatedAt : w.doc.kind === 'v1' ? w.doc.generatedAt : undefined)),
  ];
  return latestTime(times) ?? null;
}

/** Modification times of the files that are the run's own (not our sidecar). */
function runFileTimes(folder: ParsedFolder): number[] {
  return folder.files.filter((f) => f.kind !== 'annotations').map((f) => f.mtimeMs);
}

/**
 * Scenario Lab's own stand-in for a time no file records (`now()` at its first write, docs/format.md#persistence);
 * used only for a folder that has no file at all to take a time from.
 */
function nowSqlTime(): string {
  return localSqlTime(Date.now());
}

function pushDefined<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k <= to; k++) out.push(k);
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Python sorts strings by code point; localeCompare would not. */
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function info(file: string, message: string): Problem {
  return { file, line: 1, severity: 'info', message };
}
