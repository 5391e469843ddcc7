/**
 * The batch step of a pass into a shared PostgreSQL index (the counterpart of indexBatches.ts):
 * each batch experiment of this source is replaced in a transaction of its own, under the
 * advisory lock of its folder key, like a run folder.
 */
import type pg from 'pg';
import { joinKey } from '../../folderKeys';
import { BATCH_FILES } from '../../format/batchFiles';
import type { Problem } from '../../format/records';
import { batchesOfPass, experimentRefused, type BatchPass } from '../indexBatches';
import { EXPERIMENT_TABLES } from '../indexTables';
import { readBatchFolder, type BatchRows } from '../readBatch';
import { inFolderTransaction } from './writeFolderPg';

/** Runs the batch step for the experiments under `source/`; returns how many problems the batch files gave. */
export async function indexBatchesPg(client: pg.ClientBase, source: string, pass: BatchPass): Promise<number> {
  const prefix = `${source}/`;
  const stored = new Set((await client.query<{ folder: string }>('SELECT folder FROM sl_experiments WHERE left(folder, length($1)) = $1', [prefix])).rows.map((r) => r.folder));
  const { listings, gone } = batchesOfPass(pass, stored);
  let problems = 0;
  for (const key of gone) await inFolderTransaction(client, key, () => removeExperiment(client, key));
  for (const listing of listings) {
    const rows = readBatchFolder(listing);
    problems += rows.problems.length;
    try {
      await inFolderTransaction(client, rows.experiment.folder, async () => {
        await removeExperiment(client, rows.experiment.folder);
        await writeExperiment(client, rows);
      });
    } catch (error) {
      // One experiment PostgreSQL refuses becomes a problem; it never stops the pass or the other experiments.
      const problem = experimentRefused(rows, error);
      await inFolderTransaction(client, rows.experiment.folder, async () => {
        await removeExperiment(client, rows.experiment.folder);
        await insertFolderlessProblem(client, problem);
      });
      problems++;
    }
  }
  return problems;
}

async function removeExperiment(client: pg.ClientBase, folder: string): Promise<void> {
  for (const [table, column] of EXPERIMENT_TABLES) await client.query(`DELETE FROM ${table} WHERE ${column} = $1`, [folder]);
  await client.query('DELETE FROM sl_problems WHERE folder_id IS NULL AND file = ANY($1::text[])', [BATCH_FILES.map((name) => joinKey(folder, name))]);
}

async function writeExperiment(client: pg.ClientBase, { experiment: e, variations, runs, costs, problems }: BatchRows): Promise<void> {
  await client.query(
    `INSERT INTO sl_experiments (folder, experiment_name, description, base_scenario, runs_per_variation, max_parallel,
      budget_limit, cost_per_run_limit, output_dir, start_time, end_time, config, cost_summary, summary, has_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [e.folder, e.experimentName, e.description, e.baseScenario, e.runsPerVariation, e.maxParallel, e.budgetLimit, e.costPerRunLimit,
      e.outputDir, e.startTime, e.endTime, e.config, e.costSummary, e.summary, e.hasState ? 1 : 0],
  );
  for (const v of variations) {
    await client.query('INSERT INTO sl_variations (experiment, variation_id, description, modifications, source) VALUES ($1, $2, $3, $4, $5)', [e.folder, v.variationId, v.description, v.modifications, v.source]);
  }
  for (const r of runs) {
    await client.query(
      'INSERT INTO sl_batch_runs (experiment, name, variation_id, run_number, folder, has_folder, completed, failed_count, status, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [e.folder, r.name, r.variationId, r.runNumber, r.folder, r.hasFolder ? 1 : 0, r.completed ? 1 : 0, r.failedCount, r.status, r.error],
    );
  }
  for (const c of costs) {
    await client.query('INSERT INTO sl_batch_costs (experiment, seq, run_name, variation_id, cost, success, timestamp) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.folder, c.seq, c.runName, c.variationId, c.cost, c.success === null ? null : c.success ? 1 : 0, c.timestamp]);
  }
  for (const p of problems) await insertFolderlessProblem(client, p);
}

async function insertFolderlessProblem(client: pg.ClientBase, p: Problem): Promise<void> {
  await client.query('INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (NULL, $1, $2, $3, $4)', [p.file, p.line, p.severity, p.message]);
}
