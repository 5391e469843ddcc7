/**
 * `scenario-lab notebook <experiment> [--metric M] [--out FILE.ipynb] --db F`: writes the Jupyter
 * notebook of the notebook hand-off (src/core/notebook/experimentNotebook.ts). It never overwrites:
 * an existing --out is refused (exit 2); without --out the notebook gets a free name beside the index.
 */
import * as path from 'node:path';
import { isPostgresUrl } from '../core/db/postgres/connection';
import { experimentNotebook, freeNotebookPath, writeNotebook } from '../core/notebook/experimentNotebook';
import type { ScenarioIndex } from '../core/scenarioIndex';
import { ArgumentError } from './experimentCommands';
import { CliFailure } from './failures';
import { note } from './output';

export interface NotebookOptions {
  db?: string;
  out?: string;
  metric?: string;
}

export async function notebookCommand(index: Pick<ScenarioIndex, 'analytics'>, args: string[], o: NotebookOptions): Promise<number> {
  // The notebook opens a SQLite file with Python's sqlite3; a PostgreSQL index has no such file.
  if (isPostgresUrl(o.db!)) throw new CliFailure('notebook needs an index file (--db FILE); the notebook opens it with sqlite3', 2);
  if (args.length !== 1) throw new ArgumentError('notebook needs one experiment name or folder (quote names with spaces)');
  const matches = await index.analytics.findExperiments(args[0]);
  if (matches.length === 0) throw new CliFailure(`no experiment named ${args[0]} in the index (list them with: scenario-lab experiments --db …)`, 1);
  if (matches.length > 1) throw new CliFailure(`"${args[0]}" names several experiments; give one of their folders: ${matches.map((m) => m.folder).join(', ')}`, 1);
  const [experiment] = matches;
  const metrics = await index.analytics.experimentMetricNames(experiment.folder);
  if (o.metric !== undefined && !metrics.includes(o.metric)) throw new CliFailure(`the runs of ${experiment.folder} record no metric named ${o.metric} (they record: ${metrics.join(', ') || 'none'})`, 1);
  const indexFile = path.resolve(o.db!);
  const file = o.out !== undefined ? path.resolve(o.out) : freeNotebookPath(path.dirname(indexFile), experiment.folder);
  const notebook = experimentNotebook({ indexFile, experimentFolder: experiment.folder, experimentName: experiment.experimentName, metric: o.metric ?? metrics[0] ?? null });
  try {
    writeNotebook(file, notebook);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliFailure(`${file} exists; the notebook is never written over a file (give another --out)`, 2);
    throw error;
  }
  note(`wrote ${file} (experiment ${experiment.folder}, metric ${o.metric ?? metrics[0] ?? 'none'})`);
  return 0;
}
