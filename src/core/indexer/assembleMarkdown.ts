/** A run folder with markdown but no JSON yet into index rows: docs/format.md#incomplete-folders. Pure: no I/O, no database. */
import type { CommunicationDoc, DecisionDoc } from '../format/records';
import type { CommunicationRow, AssembledFolder } from './assembledFolder';
import type { ParsedFolder } from './readFolder';
import { latestTime, runStartOf, runStartProblem } from './runFacts';
import { type AssembleContext, compareCodePoints, folderRunId, info, lastWrittenOf, nowSqlTime, pushDefined, runFileTimes, scenarioNameOf, spanOrigin, sqlTime, sum } from './assembleParts';
import { costRows, decisionRowFromDoc, metricRow, metricSpanIndex } from './assembleRecords';

/**
 * A run still in its first turn (or whose state files are unreadable) has only markdown. We keep
 * what the files say under an invented run id rather than hide the run until its JSON appears.
 */
export function assembleMarkdownOnly(folder: ParsedFolder, rows: AssembledFolder, context: AssembleContext): AssembledFolder {
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
