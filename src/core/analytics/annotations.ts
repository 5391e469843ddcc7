/** Queries over the index's copy of the reviewer annotations (sl_annotations). */
import type { Kysely } from 'kysely';
import type { AnnotationComment, AnnotationLabel } from '../format/annotationModel';
import type { IndexDatabase } from '../db/schema';

export interface AnnotationRecord {
  id: string;
  runId: string | null;
  /** Index key of the run folder and of the annotated file. */
  folder: string;
  file: string;
  startLine: number;
  endLine: number;
  outdated: boolean;
  quote: string;
  label: AnnotationLabel | null;
  rating: number | null;
  resolved: boolean;
  turnNum: number | null;
  actor: string | null;
  comments: AnnotationComment[];
  created: string;
  updated: string;
}

export interface AnnotationFilters {
  runId?: string;
  label?: AnnotationLabel;
}

/** Ordered by run folder, file and line: the order a review report reads in. */
export async function listAnnotations(db: Kysely<IndexDatabase>, filters: AnnotationFilters): Promise<AnnotationRecord[]> {
  let query = db
    .selectFrom('sl_annotations')
    .innerJoin('sl_folders', 'sl_folders.id', 'sl_annotations.folder_id')
    .selectAll('sl_annotations')
    .select('sl_folders.path as folder');
  if (filters.runId) query = query.where('sl_annotations.run_id', '=', filters.runId);
  if (filters.label) query = query.where('sl_annotations.label', '=', filters.label);
  const rows = await query.orderBy('sl_folders.path').orderBy('sl_annotations.file').orderBy('sl_annotations.start_line').orderBy('sl_annotations.id').execute();
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    folder: r.folder,
    file: r.file,
    startLine: r.start_line,
    endLine: r.end_line,
    outdated: r.outdated === 1,
    quote: r.quote,
    label: r.label as AnnotationLabel | null,
    rating: r.rating,
    resolved: r.resolved === 1,
    turnNum: r.turn_num,
    actor: r.actor,
    comments: JSON.parse(r.comments) as AnnotationComment[],
    created: r.created,
    updated: r.updated,
  }));
}

export async function countAnnotations(db: Kysely<IndexDatabase>, runId: string): Promise<number> {
  const row = await db.selectFrom('sl_annotations').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirst();
  return Number(row?.n ?? 0);
}
