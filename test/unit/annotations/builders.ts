import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Annotation } from '../../../src/core/format/annotationModel';
import { applyChangeToText, newSidecarText } from '../../../src/core/annotations/sidecarEdits';
import { REPO_ROOT } from '../helpers/paths';

let next = 0;

/** An annotation with one comment; override what a test cares about. */
export function anAnnotation(overrides: Partial<Annotation> = {}): Annotation {
  const id = overrides.id ?? `a${++next}`;
  const at = overrides.created ?? `2026-01-01T00:00:${String(next % 60).padStart(2, '0')}.000Z`;
  return {
    id,
    file: 'world-state-000.md',
    startLine: 3,
    endLine: 3,
    quote: ['third line'],
    section: null,
    label: null,
    rating: null,
    resolved: false,
    created: at,
    updated: at,
    comments: [{ id: `${id}-c1`, author: 'reviewer', body: `note on ${id}`, created: at, updated: at }],
    ...overrides,
  };
}

/** The case from issue 10: a run whose sidecar holds entries hand-1…hand-4 written by hand, by another tool or a newer version. */
export const CASE_RUN = path.resolve(REPO_ROOT, '..', 'shared', 'cases', 'sidecar-keeps-entries', 'ws', 'output', 'ai-summit', 'run-002');

/** The case's sidecar text. */
export function caseText(): string {
  return fs.readFileSync(path.join(CASE_RUN, '.scenario-lab', 'annotations.json'), 'utf8');
}

/** A sidecar text holding these annotations, as this tool writes it. */
export function sidecarText(...annotations: Annotation[]): string {
  return annotations.reduce((text, annotation) => applyChangeToText(text, { kind: 'add', annotation }, 'f'), newSidecarText());
}
