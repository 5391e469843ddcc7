/**
 * What the index stores of an annotation: the sidecar entry placed on the current text of its
 * file (anchoring.ts). Pure, so the indexer and the tests share it.
 */
import { joinKey } from '../folderKeys';
import { resolveAnchor, splitLines } from './anchoring';
import type { Annotation } from '../format/annotationModel';

export interface IndexedAnnotation {
  annotation: Annotation;
  /** Index key of the annotated file. */
  fileKey: string;
  /** Where the quote is now; the recorded lines when outdated. */
  startLine: number;
  endLine: number;
  outdated: boolean;
}

/** `textOf(name)` gives the current text of a file of the run folder, undefined when it is missing. */
export function placeAnnotations(annotations: readonly Annotation[], folderKey: string, textOf: (name: string) => string | undefined): IndexedAnnotation[] {
  const linesByFile = new Map<string, string[] | undefined>();
  return annotations.map((annotation) => {
    if (!linesByFile.has(annotation.file)) {
      const text = textOf(annotation.file);
      linesByFile.set(annotation.file, text === undefined ? undefined : splitLines(text));
    }
    const lines = linesByFile.get(annotation.file);
    const place = lines ? resolveAnchor(annotation, lines) : { state: 'outdated' as const, startLine: annotation.startLine, endLine: annotation.endLine };
    return { annotation, fileKey: joinKey(folderKey, annotation.file), startLine: place.startLine, endLine: place.endLine, outdated: place.state === 'outdated' };
  });
}
