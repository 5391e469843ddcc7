/**
 * Replaces a file only if it still holds what we read: a compare-and-swap on a file, for writers
 * that do not take our lock (another tool, `git checkout`, a sync client, an editor).
 *
 * POSIX has no atomic "rename if unchanged", so the old file is pinned under a hard link first:
 *  1. the new content goes to a temp file (fsynced);
 *  2. the current file is hard-linked aside, and the aside copy compared with what we read —
 *     a change made before this point (in place or by a rename) is seen here;
 *  3. the temp file is renamed over the file;
 *  4. the aside copy is compared again: a writer that had the old file open and wrote into it
 *     after step 2 left its bytes there (not lost) and they are handed back to be merged.
 * What remains is a rename by another writer in the instant between 2 and 3. Where hard links
 * are not supported the comparison is made on the file itself just before the rename.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isErrno, nodeAtomicWriteSteps, tempPathFor } from '../db/atomicWrite';

const SETTLE_POLL_MS = 20;
const SETTLE_MAX_MS = 1_000;

export type ReplaceOutcome =
  /** The file now holds the new content. */
  | { kind: 'replaced' }
  /** The file was not what we read; nothing was written. `current` is what it holds now (undefined: no file). */
  | { kind: 'changed'; current: Buffer | undefined }
  /** The new content is in place, but another writer wrote `displaced` into the old file meanwhile: merge it and write again. */
  | { kind: 'displaced'; displaced: Buffer };

/** Reads a file's bytes; undefined when it does not exist. */
export async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Writes `next` to `file` if the file holds exactly `expected` (undefined: if there is no file).
 * The new file gets `mode` (the permission bits of the file it replaces, so a group-writable
 * file in a shared folder stays so). Throws on I/O errors; leaves no temp or aside file behind.
 */
export async function replaceIfUnchanged(file: string, expected: Buffer | undefined, next: Buffer, mode?: number): Promise<ReplaceOutcome> {
  const temp = tempPathFor(file);
  try {
    await nodeAtomicWriteSteps.writeAndSync(temp, next);
    if (mode !== undefined) await fsp.chmod(temp, mode & 0o7777);
    const outcome = expected === undefined ? await create(file, temp) : await swap(file, expected, temp);
    if (outcome.kind !== 'changed') await nodeAtomicWriteSteps.syncDirectory(path.dirname(file));
    return outcome;
  } finally {
    await fsp.rm(temp, { force: true });
  }
}

/** link() fails if the name exists: an atomic "create only if absent". */
async function create(file: string, temp: string): Promise<ReplaceOutcome> {
  try {
    await fsp.link(temp, file);
    return { kind: 'replaced' };
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return { kind: 'changed', current: await readBytes(file) };
    if (!noHardLinks(error)) throw error;
  }
  if ((await readBytes(file)) !== undefined) return { kind: 'changed', current: await readBytes(file) };
  await fsp.rename(temp, file);
  return { kind: 'replaced' };
}

async function swap(file: string, expected: Buffer, temp: string): Promise<ReplaceOutcome> {
  const aside = `${temp}.prev`;
  try {
    try {
      await fsp.link(file, aside);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { kind: 'changed', current: undefined };
      if (!noHardLinks(error)) throw error;
      return swapWithoutLink(file, expected, temp);
    }
    if (!(await fsp.readFile(aside)).equals(expected)) return { kind: 'changed', current: await readBytes(file) };
    await fsp.rename(temp, file);
    const after = await fsp.readFile(aside);
    return after.equals(expected) ? { kind: 'replaced' } : { kind: 'displaced', displaced: await settled(aside, after) };
  } finally {
    await fsp.rm(aside, { force: true });
  }
}

async function swapWithoutLink(file: string, expected: Buffer, temp: string): Promise<ReplaceOutcome> {
  const current = await readBytes(file);
  if (current === undefined || !current.equals(expected)) return { kind: 'changed', current };
  await fsp.rename(temp, file);
  return { kind: 'replaced' };
}

/**
 * The aside file's bytes once the other writer is done with them (two reads SETTLE_POLL_MS apart
 * agree; at most SETTLE_MAX_MS): a writer that truncates then writes is caught in between.
 */
async function settled(aside: string, first: Buffer): Promise<Buffer> {
  let last = first;
  for (const deadline = Date.now() + SETTLE_MAX_MS; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    const now = await fsp.readFile(aside);
    if (now.equals(last)) return now;
    last = now;
  }
  return last;
}

/** File systems without hard links (FAT, some network and FUSE mounts). */
function noHardLinks(error: unknown): boolean {
  return isErrno(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK');
}
