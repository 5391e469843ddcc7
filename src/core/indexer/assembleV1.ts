/** A V1 run folder into index rows: docs/format.md#v1-in-the-index. Pure: no I/O, no database. */
import type { CommunicationDoc, SourceSpan } from '../format/records';
import type { CommunicationRow, DecisionRow, AssembledFolder, MetricRow } from './assembledFolder';
import type { ParsedFolder } from './readFolder';
import { latestTime, runStartOf, runStartProblem } from './runFacts';
import { lastWrittenOf, nowSqlTime, pushDefined, range, runFileTimes, spanOrigin, sqlTime, sum } from './assembleParts';
import { decisionOrigin } from './assembleRecords';

/** docs/format.md#v1-in-the-index: Scenario Lab never stored V1 runs; we map them with an invented, folder-based run id. */
export function assembleV1(folder: ParsedFolder, rows: AssembledFolder): AssembledFolder {
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
