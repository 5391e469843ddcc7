import type { Annotation } from '../../../src/core/annotations/model';

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
