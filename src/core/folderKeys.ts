/**
 * Index keys of folders and files: how a path under an indexed root is named in the index (sl_folders.path,
 * file keys of problems and annotations) and back. Discovery names what it finds with these; the indexer,
 * the annotations' index copy, the watcher and the extension map between keys and paths with them, so they
 * all agree on one naming.
 */
import * as path from 'node:path';

/** A folder the user asked us to index. `name` prefixes keys when several roots are indexed together. */
export interface IndexRoot {
  name: string;
  absPath: string;
  /**
   * A shared index's name for where these folders come from (e.g. `host:/home/me/project`): every
   * key then starts with `source/`, so that folders indexed from several machines or workspaces
   * into one PostgreSQL database stay apart, and one batch indexed under the same source name
   * from two machines is the same folders. Unset for the embedded index.
   */
  source?: string;
}

/**
 * The key of `relPath` (relative to `root`, with the platform's separators; '' for the root itself)
 * when `roots` are indexed together: the path with `/`, prefixed with the root's name when there are
 * several roots, and with the root's source on a shared index.
 */
export function keyFor(roots: readonly IndexRoot[], root: IndexRoot, relPath: string): string {
  const local = localKeyFor(roots, root, relPath);
  if (root.source === undefined) return local;
  return local === '' ? root.source : `${root.source}/${local}`;
}

/** keyFor without the root's source: the key the embedded index gives the same path. */
export function localKeyFor(roots: readonly IndexRoot[], root: IndexRoot, relPath: string): string {
  const rel = relPath.split(path.sep).join('/');
  return roots.length <= 1 ? rel : rel === '' ? root.name : `${root.name}/${rel}`;
}

/** Maps an index key back to an absolute path (the inverse of keyFor); undefined when no root holds it. */
export function absolutePathOf(roots: readonly IndexRoot[], key: string): string | undefined {
  // Shared-index keys start with their root's source; each root may have its own (the default).
  const sourced = roots.find((r) => r.source !== undefined && (key === r.source || key.startsWith(`${r.source}/`)));
  if (sourced) {
    const same = roots.filter((r) => r.source === sourced.source).map(({ source: _source, ...r }) => r);
    return absolutePathOf(same, key.slice(sourced.source!.length + 1));
  }
  if (roots.some((r) => r.source !== undefined)) return undefined;
  if (roots.length === 1) return path.join(roots[0].absPath, ...key.split('/'));
  const [rootName, ...rest] = key.split('/');
  const root = roots.find((r) => r.name === rootName);
  return root ? path.join(root.absPath, ...rest) : undefined;
}

/** The key of `name` (a file or folder name, or a `/` path) inside the folder keyed `folderKey` ('' for a root). */
export function joinKey(folderKey: string, name: string): string {
  return folderKey === '' ? name : `${folderKey}/${name}`;
}
