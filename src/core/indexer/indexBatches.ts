/**
 * The batch step of an index pass: re-reads batch output folders and replaces their rows in the
 * experiment tables. Batch files are few and small (four per experiment), so a full pass reads
 * them all again; a watcher pass reads only the experiments whose files or runs/ folder changed,
 * which keeps a running batch's counts live as batch-state.json and new run folders arrive.
 */
import type { Database } from 'sql.js';
import * as path from 'node:path';
import { isInside, listFolder, type FolderListing } from '../discover/discoverFolders';
import { joinKey, keyFor, type IndexRoot } from '../folderKeys';
import { BATCH_FILES, isBatchFolder } from '../format/batchFiles';
import type { Problem } from '../format/records';
import { indexerStatementsFor, type IndexerStatements } from './indexerStatements';
import { EXPERIMENT_TABLES } from './indexTables';
import { readBatchFolder, type BatchRows } from './readBatch';
import { errorText } from '../text/errorText';

export interface BatchPass {
  roots: readonly IndexRoot[];
  /** Full pass: every batch folder discovery found (any other stored experiment is dropped). */
  discovered?: readonly FolderListing[];
  /** Watcher pass: the absolute folders that changed. */
  changedFolders?: readonly string[];
}

/** Runs the batch step; returns how many problems the batch files gave. Call inside no transaction. */
export function indexBatches(db: Database, pass: BatchPass): number {
  const sql = indexerStatementsFor(db);
  const stored = new Set(sql.all('experimentFolders').map((r) => r[0] as string));
  const { listings, gone } = batchesOfPass(pass, stored);
  if (listings.length === 0 && gone.length === 0) return 0;
  const rows = listings.map(readBatchFolder);
  let problems = rows.reduce((n, r) => n + r.problems.length, 0);
  sql.transaction(() => {
    for (const key of gone) removeExperiment(sql, key);
    for (const r of rows) {
      // One experiment SQLite refuses becomes a problem; it never stops the pass or the other experiments.
      sql.run('batchSavepoint');
      try {
        removeExperiment(sql, r.experiment.folder);
        writeExperiment(sql, r);
      } catch (error) {
        sql.run('batchRollback');
        insertFolderlessProblem(sql, experimentRefused(r, error));
        problems++;
      } finally {
        sql.run('batchRelease');
      }
    }
  });
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

function removeExperiment(sql: IndexerStatements, folder: string): void {
  for (const [table] of EXPERIMENT_TABLES) sql.run(`delete_${table}`, [folder]);
  sql.run('deleteBatchProblems', BATCH_FILES.map((name) => joinKey(folder, name)));
}

function writeExperiment(sql: IndexerStatements, { experiment: e, variations, runs, costs, problems }: BatchRows): void {
  sql.run('insertExperiment', [
    e.folder, e.experimentName, e.description, e.baseScenario, e.runsPerVariation, e.maxParallel, e.budgetLimit, e.costPerRunLimit,
    e.outputDir, e.startTime, e.endTime, e.config, e.costSummary, e.summary, e.hasState ? 1 : 0,
  ]);
  for (const v of variations) sql.run('insertVariation', [e.folder, v.variationId, v.description, v.modifications, v.source]);
  for (const r of runs) {
    sql.run('insertBatchRun', [e.folder, r.name, r.variationId, r.runNumber, r.folder, r.hasFolder ? 1 : 0, r.completed ? 1 : 0, r.failedCount, r.status, r.error]);
  }
  for (const c of costs) sql.run('insertBatchCost', [e.folder, c.seq, c.runName, c.variationId, c.cost, c.success === null ? null : c.success ? 1 : 0, c.timestamp]);
  for (const p of problems) insertFolderlessProblem(sql, p);
}

function insertFolderlessProblem(sql: IndexerStatements, p: Problem): void {
  sql.run('insertProblem', [null, p.file, p.line, p.severity, p.message]);
}

/** Why an experiment could not be stored (SQLite's or PostgreSQL's message), at its first batch file. */
export function experimentRefused(rows: BatchRows, error: unknown): Problem {
  const file = rows.fileKeys[0] ?? joinKey(rows.experiment.folder, BATCH_FILES[0]);
  const message = `the batch experiment in ${rows.experiment.folder} could not be stored: ${errorText(error)}`;
  return { file, line: 1, severity: 'error', message };
}
