/**
 * Reviewer annotations: what a person wrote about a passage of a run's markdown. They are user
 * data, so their home is a sidecar file in the run folder (see sidecar.ts); the index only holds
 * a copy for queries.
 */

export const ANNOTATION_LABELS = ['plausible', 'implausible', 'needs-discussion'] as const;
export type AnnotationLabel = (typeof ANNOTATION_LABELS)[number];

/** Folder inside a run folder that holds our sidecar files; discovery never treats it as a run. */
export const SIDECAR_DIR = '.scenario-lab';
export const SIDECAR_FILE = 'annotations.json';
/** The sidecar's path relative to its run folder, with `/`. */
export const SIDECAR_RELATIVE_PATH = `${SIDECAR_DIR}/${SIDECAR_FILE}`;

export interface AnnotationComment {
  id: string;
  author: string;
  body: string;
  /** ISO timestamps. */
  created: string;
  updated: string;
}

/**
 * Where an annotation sits: a file of the run folder, the 1-based inclusive line range it was
 * written on, and the text of those lines. The quote is what lets it follow its text.
 */
export interface AnnotationAnchor {
  /** Path relative to the run folder, with `/`. */
  file: string;
  startLine: number;
  endLine: number;
  /** The anchored lines, one entry per line, without line endings. */
  quote: string[];
  /**
   * The nearest markdown heading above the anchor (null: none). The quote is only followed within
   * its section: a world state repeats its situation in the "Full LLM Response" block, and an
   * edited paragraph must become outdated rather than jump to that copy.
   */
  section: string | null;
}

export interface Annotation extends AnnotationAnchor {
  id: string;
  label: AnnotationLabel | null;
  /** 1–5, or null when not rated. */
  rating: number | null;
  resolved: boolean;
  created: string;
  updated: string;
  comments: AnnotationComment[];
}

export interface SidecarDocument {
  annotations: Annotation[];
}

export function isAnnotationLabel(value: unknown): value is AnnotationLabel {
  return typeof value === 'string' && (ANNOTATION_LABELS as readonly string[]).includes(value);
}

export function isRating(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}
