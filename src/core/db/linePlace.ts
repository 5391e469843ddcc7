/**
 * "Which turn (and decision) is this line of this file?" answered from `sl_origins`: the turn,
 * decision or message whose source lines hold the line, else the first one of that file. The
 * indexer links annotations with it and the hovers place themselves with it, so both agree.
 * Parameters: ?1 folder id, ?2 file key, ?3 line. Columns: turn_num, decision_id, actor.
 * The folder's rows come from its id ranges (sl_folder_rows), a few hundred at most.
 */
import { numberedParametersFor } from './numberedParameters';
import type { Engine } from './schema';

export const LINE_PLACE_SQL = `WITH o AS (SELECT o.tbl, o.row_id FROM sl_folder_rows r
      JOIN sl_origins o ON o.tbl = r.tbl AND o.row_id BETWEEN r.first_id AND r.last_id
    WHERE r.folder_id = ?1 AND r.tbl IN ('turns', 'decisions', 'communications') AND o.file_id = (SELECT id FROM sl_files WHERE path = ?2)
    ORDER BY (?3 BETWEEN o.start_line AND o.end_line) DESC, o.tbl = 'decisions' DESC, o.start_line LIMIT 1)
  SELECT CASE o.tbl WHEN 'turns' THEN (SELECT turn_num FROM turns WHERE id = o.row_id)
           WHEN 'decisions' THEN (SELECT t.turn_num FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE d.id = o.row_id)
           ELSE (SELECT t.turn_num FROM communications c JOIN turns t ON t.id = c.turn_id WHERE c.rowid = o.row_id) END AS turn_num,
         CASE o.tbl WHEN 'decisions' THEN o.row_id END AS decision_id,
         CASE o.tbl WHEN 'decisions' THEN (SELECT actor FROM decisions WHERE id = o.row_id) END AS actor
  FROM o`;

/** The statement for `engine`: what the indexer (annotation links) and the hovers run, with the parameters above. */
export function linePlaceSql(engine: Engine): string {
  return numberedParametersFor(LINE_PLACE_SQL, engine);
}
