/** Sample files and the reference database, for the JSON/YAML format parser tests. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_SAMPLES } from '../helpers/paths';

export const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');

/** Run folders (workspace-relative) whose JSON files the parsers must read. */
export const V2_RUN_FOLDERS = [
  'output/ai-summit/run-002',
  'output/ai-summit/run-003',
  'output/ai-summit/run-004',
  'output/ai-regulatory-negotiation/run-001',
  'output/ai-regulatory-negotiation/run-002',
  'output/ai-regulatory-negotiation/run-003',
  'output/ai-regulatory-negotiation/run-004',
  'experiments/regulatory-model-comparison/runs/var-001-run-001',
  'experiments/regulatory-model-comparison/runs/var-002-run-001',
];
export const V1_RUN_FOLDER = 'output/ai-summit/run-001';

export function readSample(relative: string): string {
  return fs.readFileSync(path.join(WORKSPACE, relative), 'utf8');
}

/** Rows of a query against the reference scenario-lab.db (sqlite3 -json prints nothing for no rows). */
export function queryReferenceDb<T>(sql: string): T[] {
  const out = execFileSync('/usr/bin/sqlite3', ['-json', '-readonly', path.join(WORKSPACE, 'scenario-lab.db'), sql], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as T[]);
}

/** SQL string literal. */
export function sql(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The text of lines start..end (1-based, inclusive). */
export function linesOf(text: string, startLine: number, endLine: number): string {
  return text.split('\n').slice(startLine - 1, endLine).join('\n');
}
