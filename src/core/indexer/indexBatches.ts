/**
 * The batch step of an index pass: re-reads batch output folders and replaces their rows in the
 * experiment tables. Batch files are few and small (four per experiment), so a full pass reads
 * them all again; a watcher pass reads only the experiments whose files or runs/ folder changed,
 * which keeps a running batch's counts live as batch-state.json and new run folders arrive.
 */
import type { Database } from 'sql.js';
import * as path from 'node:path';
import { isInside, joinKey, keyFor, listFolder, type FolderListing, type IndexRoot } from '../discover/discoverFolders';
import { BATCH_FILES, isBatchFolder } from '../format/batchFiles';
import { readBatchFolder, type BatchRows } from './readBatch';

export interface BatchPass {
  roots: readonly IndexRoot[];
  /** Full pass: every batch folder discovery found (any other stored experiment is dropped). */
  discovered?: readonly FolderListing[];
  /** Watcher pass: the absolute folders that changed. */
  changedFolders?: readonly string[];
}

/** Runs the batch step; returns how many problems the batch files gave. Call inside no transaction. */
export function indexBatches(db: Database, pass: BatchPass): number {
  const stored = new Set(db.exec('SELECT folder FROM sl_experiments')[0]?.values.map((r) => r[0] as string) ?? []);
  const { listings, gone } = batchesOfPass(pass, stored);
  if (listings.length === 0 && gone.length === 0) return 0;
  const rows = listings.map(readBatchFolder);
  let problems = rows.reduce((n, r) => n + r.problems.length, 0);
  const writer = new BatchWriter(db);
  db.run('BEGIN');
  try {
    for (const key of gone) writer.remove(key);
    for (const r of rows) {
      // One experiment SQLite refuses becomes a problem; it never stops the pass or the other experiments.
      db.run('SAVEPOINT batch');
      try {
        writer.remove(r.experiment.folder);
        writer.write(r);
      } catch (error) {
        db.run('ROLLBACK TO batch');
        writer.refused(r, error);
        problems++;
      } finally {
        db.run('RELEASE batch');
      }
    }
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  } finally {
    writer.free();
  }
  return problems;
}

/** The batch folders a pass reads, and the stored ones (keys) it drops. */
export function batchesOfPass(pass: BatchPass, stored: ReadonlySet<string>): { listings: FolderListing[]; gone: string[] } {
  if (!pass.discovered) return changedBatches(pass.roots, pass.changedFolders ?? [], stored);
  const found = new Set(pass.discovered.map((l) => l.key));
  return { listings: [...pass.discovered], gone: [...stored].filter((key) => !found.has(key)) };
}

/**
 * The batch folders a watcher event concerns: the folder itself when it holds batch files, and
 * the experiment of a run folder (`<batch>/runs/<name>`), whose run list may have grown.
 */
function changedBatches(roots: readonly IndexRoot[], changed: readonly string[], stored: ReadonlySet<string>): { listings: FolderListing[]; gone: string[] } {
  const candidates = new Set<string>();
  for (const dir of changed) {
    candidates.add(dir);
    if (path.basename(path.dirname(dir)) === 'runs') candidates.add(path.dirname(path.dirname(dir)));
  }
  const listings: FolderListing[] = [];
  const gone: string[] = [];
  for (const dir of candidates) {
    const root = roots.find((r) => isInside(r.absPath, dir));
    if (!root) continue;
    const listing = listFolder(roots, dir);
    if (listing && isBatchFolder(listing.files)) listings.push(listing);
    else {
      const key = keyFor(roots, root, path.relative(root.absPath, dir));
      if (stored.has(key)) gone.push(key);
    }
  }
  return { listings, gone };
}

/** Prepared statements for one batch step. */
class BatchWriter {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      experiment: this.db.prepare(`INSERT INTO sl_experiments (folder, experiment_name, description, base_scenario, runs_per_variation, max_parallel,
        budget_limit, cost_per_run_limit, output_dir, start_time, end_time, config, cost_summary, summary, has_state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      variation: this.db.prepare('INSERT INTO sl_variations (experiment, variation_id, description, modifications, source) VALUES (?, ?, ?, ?, ?)'),
      run: this.db.prepare(`INSERT INTO sl_batch_runs (experiment, name, variation_id, run_number, folder, has_folder, completed, failed_count, status, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      cost: this.db.prepare('INSERT INTO sl_batch_costs (experiment, seq, run_name, variation_id, cost, success, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      problem: this.db.prepare('INSERT INTO sl_problems (folder_id, file, line, severity, message) VALUES (NULL, ?, ?, ?, ?)'),
      removeProblems: this.db.prepare(`DELETE FROM sl_problems WHERE folder_id IS NULL AND file IN (${BATCH_FILES.map(() => '?').join(', ')})`),
      remove: ['sl_experiments WHERE folder', 'sl_variations WHERE experiment', 'sl_batch_runs WHERE experiment', 'sl_batch_costs WHERE experiment'].map((t) =>
        this.db.prepare(`DELETE FROM ${t} = ?`),
      ),
    };
  }

  remove(folder: string): void {
    for (const statement of this.statements.remove) statement.run([folder]);
    this.statements.removeProblems.run(BATCH_FILES.map((name) => joinKey(folder, name)));
  }

  write({ experiment: e, variations, runs, costs, problems }: BatchRows): void {
    const s = this.statements;
    s.experiment.run([
      e.folder, e.experimentName, e.description, e.baseScenario, e.runsPerVariation, e.maxParallel, e.budgetLimit, e.costPerRunLimit,
      e.outputDir, e.startTime, e.endTime, e.config, e.costSummary, e.summary, e.hasState ? 1 : 0,
    ]);
    for (const v of variations) s.variation.run([e.folder, v.variationId, v.description, v.modifications, v.source]);
    for (const r of runs) {
      s.run.run([e.folder, r.name, r.variationId, r.runNumber, r.folder, r.hasFolder ? 1 : 0, r.completed ? 1 : 0, r.failedCount, r.status, r.error]);
    }
    for (const c of costs) s.cost.run([e.folder, c.seq, c.runName, c.variationId, c.cost, c.success === null ? null : c.success ? 1 : 0, c.timestamp]);
    for (const p of problems) s.problem.run([p.file, p.line, p.severity, p.message]);
  }

  /** Records why an experiment could not be stored, at its first batch file. */
  refused(rows: BatchRows, error: unknown): void {
    const file = rows.fileKeys[0] ?? joinKey(rows.experiment.folder, BATCH_FILES[0]);
    const message = `the batch experiment in ${rows.experiment.folder} could not be stored: ${error instanceof Error ? error.message : String(error)}`;
    this.statements.problem.run([file, 1, 'error', message]);
  }

  free(): void {
    const { remove, ...single } = this.statements;
    for (const statement of [...remove, ...Object.values(single)]) statement.free();
  }
}
