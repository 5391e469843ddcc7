/** Rows of decisions, metrics and costs built from run files, shared by the V2, V1 and markdown-only assemblers. */
import type { CostRecord, DecisionDoc, MetricRecord, SourceLocation, SourceSpan } from '../format/records';
import type { CostRow, DecisionRow, MetricRow } from './assembledFolder';
import { spanOrigin, sqlTime } from './assembleParts';

/** `fallback`: the run's start, for a decision whose file records no time (the schema needs one). */
export function decisionRowFromDoc(doc: DecisionDoc, fallback: string): DecisionRow {
  return {
    actor: doc.actor,
    goals: doc.goals,
    reasoning: doc.reasoning,
    action: doc.action,
    timestamp: sqlTime(doc.timestamp) ?? fallback,
    origin: decisionOrigin(doc),
  };
}

/** Where a decision is written: its markdown span, focused on the action line when the file has one. */
export function decisionOrigin(doc: DecisionDoc): SourceLocation {
  return { file: doc.span.file, startLine: doc.span.startLine, endLine: doc.span.endLine, focusLine: doc.actionSpan?.startLine ?? doc.span.startLine };
}

/**
 * metrics.json holds the same records as the state files; its lines are the nicer place to jump to,
 * and it (like scenario-state.json) keeps `metadata.actor`, which scenario-state-v2.json drops.
 */
export function metricSpanIndex(records: MetricRecord[], moreActors: readonly MetricRecord[] = []): Map<string, { span?: SourceSpan; actor: string | null }> {
  const index = new Map<string, { span?: SourceSpan; actor: string | null }>();
  for (const m of moreActors) if (m.metadataActor) index.set(metricKey(m), { actor: m.metadataActor });
  for (const m of records) index.set(metricKey(m), { span: m.span, actor: m.metadataActor ?? index.get(metricKey(m))?.actor ?? null });
  return index;
}

function metricKey(m: MetricRecord): string {
  return `${m.name}\u0000${m.turn}\u0000${m.timestamp}`;
}

/** A metric record as a row, with its source span and the actor the files record (from metricSpanIndex). */
export function metricRow(m: MetricRecord, spans: Map<string, { span?: SourceSpan; actor: string | null }>, fallback: string): MetricRow {
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
export function costRows(records: CostRecord[], fallback: string): CostRow[] {
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
