/** Access to the sample workspace for tests that check the parsers against real Scenario Lab output. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyRunFile, type RunFileKind } from '../../../src/core/format/fileKinds';
import { decodeText } from '../../../src/core/format/text';
import { SHARED_SAMPLES } from '../helpers/paths';

export const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');
const SAMPLE_DB = path.join(WORKSPACE, 'scenario-lab.db');
const SKIPPED_DIRS = new Set(['.cache', 'node_modules', '.git']);

export interface RunFile {
  /** Workspace-relative path with `/` separators, as the indexer names files. */
  key: string;
  kind: RunFileKind;
  text: string;
}

export interface RunFolder {
  key: string;
  files: RunFile[];
}

/** Every folder holding run files (output runs, batch runs, calibration fragments). */
export function sampleRunFolders(): RunFolder[] {
  const folders: RunFolder[] = [];
  const visit = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => ({ name: e.name, kind: classifyRunFile(e.name) }))
      .filter((f) => f.kind.kind !== 'unknown');
    if (files.some((f) => f.name.endsWith('.md') || f.kind.kind === 'scenario-state')) {
      const key = path.relative(WORKSPACE, dir).split(path.sep).join('/');
      folders.push({
        key,
        files: files.map((f) => ({ key: `${key}/${f.name}`, kind: f.kind, text: readSample(path.join(dir, f.name)) })),
      });
    }
    entries.filter((e) => e.isDirectory() && !SKIPPED_DIRS.has(e.name)).forEach((e) => visit(path.join(dir, e.name)));
  };
  visit(WORKSPACE);
  return folders;
}

export function readSample(file: string): string {
  return decodeText(fs.readFileSync(file)).text;
}

/** The folder's scenario-state.json, read with plain JSON.parse (the JSON parsers are tested elsewhere). */
export function stateJsonOf(folder: RunFolder): any {
  const file = folder.files.find((f) => f.kind.kind === 'scenario-state');
  return file ? JSON.parse(file.text) : undefined;
}

export function querySampleDb<T>(sql: string): T[] {
  const out = execFileSync('sqlite3', ['-json', SAMPLE_DB, sql], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return out.trim() === '' ? [] : (JSON.parse(out) as T[]);
}
