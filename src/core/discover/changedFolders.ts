/**
 * Which run folders a folder-level change can touch. A watcher reports a folder moved in, moved
 * out, renamed or deleted as one event for that folder only, at whatever depth it sits (a
 * scenario folder holding a hundred runs, or one run): these turn it into the folders to re-check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { absolutePathOf, type IndexRoot } from '../folderKeys';
import { isInside } from './discoverFolders';

/**
 * `dir` and every folder beneath it (symbolic links are not entered), or undefined when there
 * are more than `limit` of them (the caller then re-checks everything instead).
 */
export function foldersBeneath(dir: string, limit = 5000): string[] | undefined {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const next = pending.pop()!;
    found.push(next);
    if (found.length > limit) return undefined;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(next, { withFileTypes: true });
    } catch {
      continue; // gone again, or unreadable: the index pass reports what it cannot read
    }
    for (const entry of entries) if (entry.isDirectory()) pending.push(path.join(next, entry.name));
  }
  return found;
}

/**
 * Absolute paths of the indexed folders (`keys`, as stored in sl_folders) that are `gone` or lie
 * inside it: a folder deleted or moved away takes all of these out of the index.
 */
export function indexedFoldersWithin(roots: readonly IndexRoot[], keys: readonly string[], gone: string): string[] {
  const within: string[] = [];
  for (const key of keys) {
    const abs = absolutePathOf(roots, key);
    if (abs && isInside(gone, abs)) within.push(abs);
  }
  return within;
}
