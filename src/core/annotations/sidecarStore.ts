/**
 * Reads and changes a run folder's sidecar on disk. Every change is a read-modify-write of the
 * current file: under a lock file (other windows of ours), as minimal text edits (sidecarEdits),
 * and committed only if the file still holds what was read (replaceIfUnchanged) — a writer that
 * ignores our lock makes us re-read and re-apply, never lose its change or ours.
 *
 * Never written: a sidecar that is not JSON (refused, naming the file and line), a read-only one,
 * and a sidecar or `.scenario-lab` folder that is a symbolic link out of the run folder.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isErrno } from '../db/atomicWrite';
import { SIDECAR_DIR, SIDECAR_FILE, type SidecarDocument } from '../format/annotationModel';
import { readBytes, replaceIfUnchanged } from './replaceIfUnchanged';
import { emptySidecar, parseSidecar } from '../format/sidecar';
import { mergeTheirChange } from './sidecarMerge';
import { applyChangeToText, SidecarUnreadableError, type SidecarChange } from './sidecarEdits';

export { SidecarUnreadableError } from './sidecarEdits';

/** A lock older than this belongs to a writer that died; a healthy write takes milliseconds. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
/** Rounds of re-read and re-apply before giving up on a file another program keeps rewriting. */
const MAX_ATTEMPTS = 200;
/**
 * How long a file that is not JSON must stay the same before the action is refused: another
 * program may be between truncating and writing it (a busy machine can pause it that long).
 */
const SETTLE_MS = 1_000;
const SETTLE_POLL_MS = 50;

export function sidecarPath(runFolder: string): string {
  return path.join(runFolder, SIDECAR_DIR, SIDECAR_FILE);
}

/** The run folder a sidecar path belongs to, or undefined for any other path. */
export function runFolderOfSidecar(file: string): string | undefined {
  const dir = path.dirname(file);
  return path.basename(file) === SIDECAR_FILE && path.basename(dir) === SIDECAR_DIR ? path.dirname(dir) : undefined;
}

/** The sidecar is read-only (no write permission for anyone): we do not replace it. */
export class SidecarReadOnlyError extends Error {}

/** The sidecar, or its folder, is a symbolic link that leads out of the run folder (or nowhere): we do not write through it. */
export class SidecarLinkError extends Error {}

/** The folder's annotations; an empty document when it has none yet. Throws SidecarUnreadableError for a file that is not a sidecar. */
export async function readSidecar(runFolder: string): Promise<SidecarDocument> {
  const file = sidecarPath(runFolder);
  const bytes = await readBytes(file);
  return bytes === undefined ? emptySidecar() : documentOf(bytes.toString('utf8'), file);
}

/** What an update wrote. */
export interface SidecarUpdate {
  document: SidecarDocument;
  /**
   * Copies of what another program wrote into the file while we replaced it, when its change
   * could not be merged entry by entry (both changed the same entry, or it is not a sidecar):
   * kept under these paths, next to the sidecar, rather than lost.
   */
  keptAside: string[];
}

/**
 * Applies the changes to the file as it is now and returns what was written. Throws
 * SidecarUnreadableError (file:line in the message) when the file is not a sidecar,
 * SidecarLinkError for a link out of the run folder and SidecarReadOnlyError for a read-only
 * file; the file is then untouched.
 */
export async function updateSidecar(runFolder: string, ...changes: SidecarChange[]): Promise<SidecarUpdate> {
  const file = await writablePath(runFolder);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const release = await acquireLock(`${file}.lock`);
  const keptAside: string[] = [];
  try {
    const mode = await modeOf(file);
    let expected = await readBytes(file);
    // Writes another program made into the file we replaced, as (what it started from, what it wrote): merged into every later attempt.
    const theirs: Array<{ ancestor: string; wrote: Buffer }> = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const text = await changedText(file, expected, merge(expected, theirs), changes);
      if (text === undefined) {
        // Not JSON right now, but it changed since: another program is writing it. Read it again.
        expected = await readBytes(file);
        continue;
      }
      const next = Buffer.from(text, 'utf8');
      if (expected !== undefined && next.equals(expected)) return { document: documentOf(text, file), keptAside };
      const outcome = await replaceIfUnchanged(file, expected, next, mode);
      if (outcome.kind === 'replaced') {
        for (const { ancestor, wrote } of theirs) {
          // Whatever of theirs is not in what we wrote (an entry both changed, a file cut short) is kept aside; an empty file held nothing.
          if (wrote.toString('utf8').trim() !== '' && !mergeTheirChange(ancestor, wrote.toString('utf8'), text).complete) keptAside.push(await keepAside(file, wrote));
        }
        return { document: documentOf(text, file), keptAside };
      }
      if (outcome.kind === 'displaced') {
        theirs.push({ ancestor: expected?.toString('utf8') ?? '', wrote: outcome.displaced });
        expected = next;
        continue;
      }
      expected = outcome.current;
      // Out of step with a program that rewrites in a loop: wait a little, longer each time.
      await sleep(Math.random() * Math.min(50, attempt + 1));
    }
    throw new Error(`${file} kept changing while Scenario Lab was saving an annotation (another program is rewriting it); nothing was lost — try again in a moment.`);
  } finally {
    await release();
  }
}

/** The permission bits of the sidecar (undefined: no file yet). Throws SidecarReadOnlyError for a file nobody may write. */
async function modeOf(file: string): Promise<number | undefined> {
  let mode: number;
  try {
    mode = (await fsp.stat(file)).mode;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  // Mode bits, not access(): a reviewer's chmod a-w means "do not change", even to root.
  if ((mode & 0o222) === 0) throw new SidecarReadOnlyError(`${file} is read-only; Scenario Lab does not change it. Make it writable to annotate this run.`);
  return mode;
}

/** The current bytes with every displaced write of another program merged in. */
function merge(current: Buffer | undefined, theirs: ReadonlyArray<{ ancestor: string; wrote: Buffer }>): Buffer | undefined {
  if (current === undefined || theirs.length === 0) return current;
  let text = current.toString('utf8');
  for (const { ancestor, wrote } of theirs) text = mergeTheirChange(ancestor, wrote.toString('utf8'), text).text;
  return Buffer.from(text, 'utf8');
}

/**
 * The text after the changes; undefined when the file is not JSON but changes within SETTLE_MS
 * (someone mid-write). Throws SidecarUnreadableError when it stays the same that long.
 */
async function changedText(file: string, onDisk: Buffer | undefined, base: Buffer | undefined, changes: readonly SidecarChange[]): Promise<string | undefined> {
  try {
    return changes.reduce<string | undefined>((current, change) => applyChangeToText(current, change, file), base?.toString('utf8'))!;
  } catch (error) {
    if (!(error instanceof SidecarUnreadableError)) throw error;
    // Another program may be between truncating the file and writing it (a busy machine can pause it for long).
    // Even an empty file is refused: it may be exactly that, and writing ours would lose what it is about to write.
    for (const deadline = Date.now() + SETTLE_MS; Date.now() < deadline; ) {
      await sleep(SETTLE_POLL_MS);
      const now = await readBytes(file);
      if (now === undefined || onDisk === undefined || !now.equals(onDisk)) return undefined;
    }
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function documentOf(text: string, file: string): SidecarDocument {
  const parsed = parseSidecar(text, file);
  if (!parsed.value) throw new SidecarUnreadableError(`${file}:${parsed.problems[0].line}: ${parsed.problems.map((p) => p.message).join(' ')}`);
  return parsed.value;
}

async function keepAside(file: string, bytes: Buffer): Promise<string> {
  const copy = path.join(path.dirname(file), `annotations.conflict-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`);
  await fsp.writeFile(copy, bytes, { flag: 'wx' });
  return copy;
}

/**
 * The path to write: the sidecar's real path when it (or its folder) is a link that stays inside
 * the run folder, so the link stays a link. Throws SidecarLinkError for a link that leads out of
 * the run folder or nowhere.
 */
async function writablePath(runFolder: string): Promise<string> {
  const realRun = await fsp.realpath(runFolder);
  const dir = path.join(runFolder, SIDECAR_DIR);
  const file = path.join(dir, SIDECAR_FILE);
  for (const link of [dir, file]) {
    let stat;
    try {
      stat = await fsp.lstat(link);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) continue;
      throw error;
    }
    if (!stat.isSymbolicLink()) continue;
    let target: string;
    try {
      target = await fsp.realpath(link);
    } catch {
      throw new SidecarLinkError(`${link} is a symbolic link to a place that does not exist; Scenario Lab does not write annotations through it.`);
    }
    const inside = path.relative(realRun, target);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new SidecarLinkError(`${link} is a symbolic link out of the run folder (to ${target}); Scenario Lab does not write annotations through it. Replace the link with a folder or file of the run to annotate this run.`);
    }
  }
  const realDir = await fsp.realpath(dir).catch(() => dir);
  return fsp.realpath(file).catch(() => path.join(realDir, SIDECAR_FILE));
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
