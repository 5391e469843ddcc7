/**
 * The sidecar file format (`<run>/.scenario-lab/annotations.json`) and the changes a reviewer
 * makes to it. Pure: text in, text out.
 *
 * The file is meant to be read and diffed by people: two-space JSON, a fixed key order,
 * annotations sorted by file and line, quotes as one string per line. Changes are operations
 * applied to the freshly read file (never "write my whole in-memory copy"), which is how two
 * windows, or a window and a `git pull`, keep each other's annotations.
 */
import type { Parsed, Problem } from '../format/records';
import { isAnnotationLabel, isRating, type Annotation, type AnnotationComment, type SidecarDocument } from './model';

export const SIDECAR_FORMAT = 'scenario-lab-annotations';
export const SIDECAR_VERSION = 1;

export function emptySidecar(): SidecarDocument {
  return { annotations: [] };
}

export function serializeSidecar(doc: SidecarDocument): string {
  const annotations = [...doc.annotations].sort(compareAnnotations).map((a) => ({
    id: a.id,
    file: a.file,
    startLine: a.startLine,
    endLine: a.endLine,
    quote: a.quote,
    section: a.section,
    label: a.label,
    rating: a.rating,
    resolved: a.resolved,
    created: a.created,
    updated: a.updated,
    comments: [...a.comments].sort(compareComments).map((c) => ({ id: c.id, author: c.author, body: c.body, created: c.created, updated: c.updated })),
  }));
  return `${JSON.stringify({ format: SIDECAR_FORMAT, version: SIDECAR_VERSION, annotations }, null, 2)}\n`;
}

function compareAnnotations(a: Annotation, b: Annotation): number {
  return cmp(a.file, b.file) || a.startLine - b.startLine || cmp(a.created, b.created) || cmp(a.id, b.id);
}

function compareComments(a: AnnotationComment, b: AnnotationComment): number {
  return cmp(a.created, b.created) || cmp(a.id, b.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads a sidecar. Entries that are not annotations are reported and skipped; a file that is not
 * a sidecar at all gives no value, and callers must then refuse to overwrite it.
 */
export function parseSidecar(text: string, file: string): Parsed<SidecarDocument> {
  const problems: Problem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { value: undefined, problems: [{ file, line: 1, severity: 'error', message: `The annotations file is not valid JSON: ${(error as Error).message}` }] };
  }
  const annotations = (raw as { annotations?: unknown })?.annotations;
  if (!Array.isArray(annotations) || (raw as { format?: unknown }).format !== SIDECAR_FORMAT) {
    return { value: undefined, problems: [{ file, line: 1, severity: 'error', message: `Not a Scenario Lab annotations file (expected "format": "${SIDECAR_FORMAT}").` }] };
  }
  const doc = emptySidecar();
  annotations.forEach((entry, i) => {
    const annotation = toAnnotation(entry);
    if (annotation) doc.annotations.push(annotation);
    else problems.push({ file, line: 1, severity: 'warning', message: `Annotation #${i + 1} is incomplete and was skipped.` });
  });
  return { value: doc, problems };
}

function toAnnotation(entry: unknown): Annotation | undefined {
  const e = entry as Record<string, unknown>;
  if (!e || typeof e.id !== 'string' || typeof e.file !== 'string') return undefined;
  if (!isLine(e.startLine) || !isLine(e.endLine) || !Array.isArray(e.quote) || !e.quote.every((q) => typeof q === 'string')) return undefined;
  const comments = Array.isArray(e.comments) ? e.comments.map(toComment).filter((c): c is AnnotationComment => !!c) : [];
  return {
    id: e.id,
    file: e.file,
    startLine: e.startLine,
    endLine: Math.max(e.startLine, e.endLine),
    quote: e.quote as string[],
    section: typeof e.section === 'string' ? e.section : null,
    label: isAnnotationLabel(e.label) ? e.label : null,
    rating: isRating(e.rating) ? e.rating : null,
    resolved: e.resolved === true,
    created: typeof e.created === 'string' ? e.created : '',
    updated: typeof e.updated === 'string' ? e.updated : '',
    comments,
  };
}

function toComment(entry: unknown): AnnotationComment | undefined {
  const c = entry as Record<string, unknown>;
  if (!c || typeof c.id !== 'string' || typeof c.body !== 'string') return undefined;
  const created = typeof c.created === 'string' ? c.created : '';
  return { id: c.id, author: typeof c.author === 'string' ? c.author : '', body: c.body, created, updated: typeof c.updated === 'string' ? c.updated : created };
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

// ------------------------------------------------------------------------------------ changes

/**
 * One reviewer action, applied to whatever the file holds right now. Actions on an annotation
 * carry the caller's copy (`base`): if another window deleted it meanwhile, a reply or edit
 * brings it back instead of being lost.
 */
export type SidecarChange =
  | { kind: 'add'; annotation: Annotation }
  | { kind: 'delete'; id: string }
  | { kind: 'reply'; base: Annotation; comment: AnnotationComment }
  | { kind: 'editComment'; base: Annotation; commentId: string; body: string; at: string }
  | { kind: 'deleteComment'; base: Annotation; commentId: string; at: string }
  | { kind: 'set'; base: Annotation; fields: Partial<Pick<Annotation, 'label' | 'rating' | 'resolved'>>; at: string };

export function applyChange(doc: SidecarDocument, change: SidecarChange): SidecarDocument {
  const others = (id: string) => doc.annotations.filter((a) => a.id !== id);
  if (change.kind === 'add') return { annotations: [...others(change.annotation.id), change.annotation] };
  if (change.kind === 'delete') return { annotations: others(change.id) };
  const current = doc.annotations.find((a) => a.id === change.base.id) ?? change.base;
  const updated = changed(current, change);
  // An annotation whose last comment was deleted is gone: an empty thread means nothing.
  return { annotations: updated.comments.length === 0 ? others(current.id) : [...others(current.id), updated] };
}

function changed(a: Annotation, change: Exclude<SidecarChange, { kind: 'add' } | { kind: 'delete' }>): Annotation {
  switch (change.kind) {
    case 'reply':
      return { ...a, updated: change.comment.created, comments: [...a.comments.filter((c) => c.id !== change.comment.id), change.comment] };
    case 'editComment':
      return {
        ...a,
        updated: change.at,
        comments: a.comments.map((c) => (c.id === change.commentId ? { ...c, body: change.body, updated: change.at } : c)),
      };
    case 'deleteComment':
      return { ...a, updated: change.at, comments: a.comments.filter((c) => c.id !== change.commentId) };
    case 'set':
      return { ...a, ...change.fields, updated: change.at };
  }
}
