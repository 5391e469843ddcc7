/**
 * Reads and changes a run folder's sidecar on disk. Every change is read-modify-write of the
 * current file under a lock file, written atomically (temp + fsync + rename): two windows
 * annotating the same run, or a file replaced by git meanwhile, never lose each other's work.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isErrno, writeFileAtomic } from '../db/atomicWrite';
import { SIDECAR_DIR, SIDECAR_FILE, type SidecarDocument } from './model';
import { applyChange, emptySidecar, parseSidecar, serializeSidecar, type SidecarChange } from './sidecar';

/** A lock older than this belongs to a writer that died; a healthy write takes milliseconds. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export function sidecarPath(runFolder: string): string {
  return path.join(runFolder, SIDECAR_DIR, SIDECAR_FILE);
}

/** The run folder a sidecar path belongs to, or undefined for any other path. */
export function runFolderOfSidecar(file: string): string | undefined {
  const dir = path.dirname(file);
  return path.basename(file) === SIDECAR_FILE && path.basename(dir) === SIDECAR_DIR ? path.dirname(dir) : undefined;
}

export class SidecarUnreadableError extends Error {}

/** The folder's annotations; an empty document when it has none yet. Throws SidecarUnreadableError for a broken file. */
export async function readSidecar(runFolder: string): Promise<SidecarDocument> {
  const file = sidecarPath(runFolder);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return emptySidecar();
    throw error;
  }
  const parsed = parseSidecar(text, file);
  if (!parsed.value) throw new SidecarUnreadableError(`${file}: ${parsed.problems.map((p) => p.message).join(' ')}`);
  return parsed.value;
}

/** Applies the changes to the file as it is now, and returns what was written. */
export async function updateSidecar(runFolder: string, ...changes: SidecarChange[]): Promise<SidecarDocument> {
  const file = sidecarPath(runFolder);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const release = await acquireLock(`${file}.lock`);
  try {
    // Read inside the lock: whatever another writer committed before us is in `current`.
    const current = await readSidecar(runFolder);
    const next = changes.reduce(applyChange, current);
    await writeFileAtomic(file, Buffer.from(serializeSidecar(next), 'utf8'));
    return next;
  } finally {
    await release();
  }
}

async function acquireLock(lockFile: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fsp.open(lockFile, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => fsp.rm(lockFile, { force: true });
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
    }
    if (await isStale(lockFile)) {
      await fsp.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lockFile} is held by another writer; try again in a moment.`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** attempt)));
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  try {
    return Date.now() - (await fsp.stat(lockFile)).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // gone already: the next attempt takes it
  }
}
