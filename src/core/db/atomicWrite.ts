/**
 * Replaces a file so that a crash or power loss at any moment leaves either the old or the new
 * content under its name, never a mix: write a temp file in the same directory (same file system,
 * so rename is atomic), fsync it, rename it over the target, then fsync the directory so the
 * rename itself survives a power loss.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/** The file-system steps, replaceable so tests can fail or kill the process between them. */
export interface AtomicWriteSteps {
  writeAndSync(file: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  syncDirectory(dir: string): Promise<void>;
}

export const nodeAtomicWriteSteps: AtomicWriteSteps = {
  async writeAndSync(file, bytes) {
    // 'wx': never reuse a temp file another writer may still be filling.
    const handle = await fsp.open(file, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  async syncDirectory(dir) {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform === 'win32') return;
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } catch (error) {
      // Some file systems (and FUSE/network mounts) refuse fsync on a directory. The rename has
      // happened and is atomic either way; only its durability across power loss is weaker.
      if (!isErrno(error, 'EINVAL', 'ENOTSUP', 'EPERM')) throw error;
    } finally {
      await handle.close();
    }
  },
};

/**
 * Replaces `file` with `bytes` atomically. An existing file keeps its permission bits (a user who
 * made the index private with chmod 600 keeps it private). Rejects with the file-system error.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array, steps: AtomicWriteSteps = nodeAtomicWriteSteps): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await fsp.mkdir(dir, { recursive: true });
  const mode = (await fsp.stat(file).catch(() => undefined))?.mode;
  const temp = tempPathFor(file);
  try {
    await steps.writeAndSync(temp, bytes);
    if (mode !== undefined) await fsp.chmod(temp, mode & 0o7777);
    await steps.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined); // the original error matters more
    throw error;
  }
  await steps.syncDirectory(dir);
}

/** A hidden sibling of `file`, unique per process and call, so concurrent writers never share one. */
export function tempPathFor(file: string): string {
  const resolved = path.resolve(file);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Deletes temp files that writeFileAtomic left beside `file` when its process was killed
 * mid-write (each up to the file's size). Only regular files named exactly as tempPathFor names
 * them, and only when the process in the name no longer runs (a live one may still be writing).
 * Returns the names removed.
 */
export async function removeLeftoverTemps(file: string): Promise<string[]> {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(resolved))}\\.(\\d+)-[0-9a-f]{8}\\.tmp$`);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || isRunning(Number(pid))) continue;
    const leftover = path.join(dir, name);
    const stat = await fsp.lstat(leftover).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await fsp.rm(leftover, { force: true });
    removed.push(leftover);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH'); // EPERM: it runs, as another user
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The opened file, or undefined when there is no such file; other errors are thrown. */
export async function openIfExists(file: string): Promise<fsp.FileHandle | undefined> {
  try {
    return await fsp.open(file, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
