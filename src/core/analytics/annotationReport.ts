/**
 * Annotations out of the index: a CSV of every annotation (one row per comment thread) and a
 * markdown review report per run. Run text and reviewer text are quoted, never interpreted.
 */
import type { AnnotationRecord } from './annotations';
import { toCsv } from './csv';
import { fencedCode, markdownInline } from '../text/markdownText';

export const ANNOTATION_CSV_HEADER = [
  'run_id', 'file', 'start_line', 'end_line', 'turn_num', 'actor', 'label', 'rating', 'resolved', 'outdated', 'quote', 'comments', 'authors', 'created', 'updated',
] as const;

export function annotationsCsv(records: readonly AnnotationRecord[]): string {
  return toCsv(
    ANNOTATION_CSV_HEADER,
    records.map((a) => [
      a.runId, a.file, a.startLine, a.endLine, a.turnNum, a.actor, a.label, a.rating, a.resolved ? 'yes' : 'no', a.outdated ? 'yes' : 'no', a.quote,
      a.comments.map((c) => c.body).join('\n---\n'), [...new Set(a.comments.map((c) => c.author))].join('; '), a.created, a.updated,
    ]),
  );
}

/**
 * A review report of one run: a summary by label, then every annotation with its quote and thread.
 * Run text and reviewers' comments are untrusted: quotes and comment bodies are fenced code blocks
 * (literal in every markdown renderer), and short fields (names, labels, file names) are escaped
 * inline, so the report can carry no live HTML, link, image or command link.
 */
export function reviewReport(runId: string, records: readonly AnnotationRecord[]): string {
  const out = [`# Review of run ${markdownInline(runId)}`, ''];
  const rated = records.filter((a) => a.rating !== null);
  const byLabel = new Map<string, number>();
  for (const a of records) byLabel.set(a.label ?? 'unlabelled', (byLabel.get(a.label ?? 'unlabelled') ?? 0) + 1);
  out.push(`${records.length} annotation(s); ${records.filter((a) => a.resolved).length} resolved; ${records.filter((a) => a.outdated).length} outdated.`);
  if (rated.length > 0) out.push(`Average rating: ${(rated.reduce((n, a) => n + a.rating!, 0) / rated.length).toFixed(1)} / 5 over ${rated.length} rated.`);
  out.push('', '| label | count |', '|---|---|', ...[...byLabel].sort().map(([label, n]) => `| ${markdownInline(label)} | ${n} |`), '');
  for (const a of records) {
    const where = `${a.file.split('/').pop()} lines ${a.startLine}–${a.endLine}${a.turnNum !== null ? `, turn ${a.turnNum}` : ''}${a.actor ? `, ${a.actor}` : ''}`;
    const tags = [a.label, a.rating !== null ? `${a.rating}/5` : null, a.resolved ? 'resolved' : null, a.outdated ? 'outdated: the quoted text is no longer in the file' : null].filter(Boolean);
    out.push(`## ${markdownInline(where)}`, '');
    if (tags.length > 0) out.push(`*${markdownInline(tags.join(' · '))}*`, '');
    out.push(fencedCode(a.quote, 'text'), '');
    for (const c of a.comments) {
      out.push(`**${markdownInline(c.author || 'reviewer')}** (${markdownInline(c.created)}):`, '', fencedCode(c.body, 'text'), '');
    }
  }
  return out.join('\n');
}
