/**
 * Index keys of folders and files: how a path under an indexed root is named in the index (sl_folders.path,
 * file keys of problems and annotations) and back. Discovery names what it finds with these; the indexer,
 * the annotations' index copy, the watcher and the extension map between keys and paths with them, so they
 * all agree on one naming.
 */
import * as path from 'node:path';

/**
 * A folder the user asked us to index. Keys of the folders under it, with `/` between names:
 * - a workspace folder (or a CLI argument): its relative path, prefixed with `name` when several
 *   such roots of one source are indexed together (`output/run-001`, `proj/output/run-001`);
 * - a folder added beside the workspace (`extra`): its absolute path (`/data/batch-7/run-001`);
 * - on a shared index (`source`): `source/` and then the above, except that `extra` counts for nothing
 *   there, the source already telling the folder apart (the default source is the folder itself).
 */
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
  /**
   * Added beside the workspace folders (VS Code's Index Folder…): keyed by its absolute path, so that
   * adding or removing it changes no other root's keys, and its keys name where they are. A relative
   * key never starts like one: `/…`, or on Windows `C:/…` (':' is not allowed in a folder name).
   * Such roots do not count among the several roots that get name prefixes.
   */
  extra?: boolean;
}

/**
 * The key of `relPath` (relative to `root`, with the platform's separators; '' for the root itself)
 * when `roots` are indexed together (see IndexRoot for the forms).
 */
export function keyFor(roots: readonly IndexRoot[], root: IndexRoot, relPath: string): string {
  const local = localKeyFor(roots, root, relPath);
  if (root.source === undefined) return local;
  return local === '' ? root.source : `${root.source}/${local}`;
}

/**
 * keyFor without the root's source: the key itself without one. A folder's stand-in run id is made
 * of it, so that the embedded and a shared index of the same one root give the folder the same id.
 */
export function localKeyFor(roots: readonly IndexRoot[], root: IndexRoot, relPath: string): string {
  const rel = relPath.split(path.sep).join('/');
  if (keyedByPath(root)) return rel === '' ? pathKeyOf(root) || '/' : `${pathKeyOf(root)}/${rel}`;
  const named = roots.filter((r) => r.source === root.source && !keyedByPath(r)).length > 1;
  return !named ? rel : rel === '' ? root.name : `${root.name}/${rel}`;
}

/** Maps an index key back to an absolute path (the inverse of keyFor); undefined when no root holds it. */
export function absolutePathOf(roots: readonly IndexRoot[], key: string): string | undefined {
  // Shared-index keys start with their root's source; each root may have its own (the default).
  const sourced = roots.find((r) => r.source !== undefined && (key === r.source || key.startsWith(`${r.source}/`)));
  if (sourced) {
    const same = roots.filter((r) => r.source === sourced.source).map(({ source: _source, extra: _extra, ...r }) => r);
    return absolutePathOf(same, key.slice(sourced.source!.length + 1));
  }
  if (roots.some((r) => r.source !== undefined)) return undefined;
  // Nested added folders both match a key inside the inner one, and both lead to the same path.
  const extra = roots.find((r) => keyedByPath(r) && (key === localKeyFor(roots, r, '') || key.startsWith(`${pathKeyOf(r)}/`)));
  if (extra) return path.join(extra.absPath, ...key.slice(pathKeyOf(extra).length).split('/'));
  const named = roots.filter((r) => !keyedByPath(r));
  if (named.length === 1) return path.join(named[0].absPath, ...key.split('/'));
  const [rootName, ...rest] = key.split('/');
  const root = named.find((r) => r.name === rootName);
  return root ? path.join(root.absPath, ...rest) : undefined;
}

/** An extra root of the embedded index: on a shared one its source tells it apart already. */
function keyedByPath(root: IndexRoot): boolean {
  return root.extra === true && root.source === undefined;
}

/** The root's absolute path with `/` and no trailing one ('' for the file system's root, `C:` for a drive's). */
function pathKeyOf(root: IndexRoot): string {
  return root.absPath.split(path.sep).join('/').replace(/\/+$/, '');
}

/** The key of `name` (a file or folder name, or a `/` path) inside the folder keyed `folderKey` ('' for a root). */
export function joinKey(folderKey: string, name: string): string {
  return folderKey === '' ? name : `${folderKey}/${name}`;
}

/**
 * A shared index's key of the file or folder at `absPath` on `host`, as any root of this host indexed
 * under its default source (`host:/abs/root`, sharedIndex.ts defaultSource) names it: `host:` and the
 * absolute path, whichever root it was under (the root's path and the relative one join with `/`).
 * Lets a window read and open runs that another window or the CLI on this host indexed from a folder
 * that is not one of its roots. POSIX paths; a Windows root keeps its own separators in its source.
 */
export function hostKeyOf(host: string, absPath: string): string {
  return `${host}:${absPath.split(path.sep).join('/')}`;
}

/**
 * The inverse of hostKeyOf: the absolute path on `host` that `key` names; undefined for a key of
 * another host or of a named source (`--source lab1`, whose keys say nothing of a folder).
 */
export function hostPathOf(host: string, key: string): string | undefined {
  if (!key.startsWith(`${host}:`)) return undefined;
  const rest = key.slice(host.length + 1);
  return path.isAbsolute(rest) ? path.normalize(rest) : undefined;
}
