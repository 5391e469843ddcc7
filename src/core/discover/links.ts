/**
 * Symbolic links under the indexed roots: outputs kept on another disk and linked in, DVC and
 * git-annex layouts whose files are links into a cache. Which links may be followed is a policy of
 * the caller: the CLI and a trusted VS Code workspace follow them anywhere; an untrusted workspace
 * never reads outside its folders (VS Code's Workspace Trust).
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `follow`: links lead anywhere. `confine`: only links whose target lies inside an indexed root are read. */
export type LinkPolicy = 'follow' | 'confine';

/** What a link leads to, or why it is not followed (a sentence for a problem, naming the link, never its content). */
export type ResolvedLink =
  | { kind: 'file'; real: string; stat: fs.Stats }
  | { kind: 'folder'; real: string; stat: fs.Stats }
  | { kind: 'fault'; message: string };

/** Linux's virtual file systems: walking them reaches other processes' working folders, without end. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

/** Link text is shown to locate a fault; a long one is cut. */
const MAX_TARGET_CHARS = 120;

/**
 * Resolves links under a set of roots with one policy. The roots' own real paths are what
 * "inside" means, so a workspace opened through a link still confines to where it really is.
 */
export class LinkGuard {
  private realRoots: string[] | undefined;

  constructor(
    private readonly rootPaths: readonly string[],
    readonly policy: LinkPolicy,
  ) {}

  /**
   * Follows the link at `abs` (named `name` in messages). A dangling link, a loop of links, a
   * target that is neither file nor folder, or (when confined) a target outside every root gives
   * a fault. Never throws.
   */
  resolve(abs: string, name: string): ResolvedLink {
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { kind: 'fault', message: `${name} is a symbolic link that leads back to itself (a loop); it was not followed.` };
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'fault', message: `${name} is a symbolic link to ${targetOf(abs)}, which does not exist.` };
      return { kind: 'fault', message: `${name} is a symbolic link that could not be followed (${code ?? 'error'}).` };
    }
    if (!this.allows(real)) {
      return { kind: 'fault', message: outsideWorkspace(name) };
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(real);
    } catch (error) {
      return { kind: 'fault', message: `${name} is a symbolic link whose target could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` };
    }
    if (stat.isDirectory()) {
      const system = SYSTEM_FOLDERS.find((folder) => isInside(folder, real));
      if (system && process.platform === 'linux') {
        return { kind: 'fault', message: `${name} is a symbolic link into ${system}, which the system makes up on the fly (every process's folders, endlessly); it was not followed.` };
      }
      return { kind: 'folder', real, stat };
    }
    if (stat.isFile()) return { kind: 'file', real, stat };
    return { kind: 'fault', message: `${name} is a symbolic link to something that is neither a file nor a folder; it was not followed.` };
  }

  /**
   * Whether a path may be read under this policy: always when following links, else only when
   * its real path lies inside a root. For paths reached without a link listing (actors/, a
   * sidecar); a path that does not exist is allowed (reading it fails on its own).
   */
  mayRead(abs: string): boolean {
    if (this.policy === 'follow') return true;
    try {
      return this.allows(fs.realpathSync.native(abs));
    } catch {
      return true;
    }
  }

  private allows(real: string): boolean {
    if (this.policy === 'follow') return true;
    this.realRoots ??= this.rootPaths.map((root) => {
      try {
        return fs.realpathSync.native(root);
      } catch {
        return path.resolve(root);
      }
    });
    return this.realRoots.some((root) => isInside(root, real));
  }
}

/** Whether `child` is `parent` or lies below it (paths compared as given, links not resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Link text longer than this is not a link placeholder (Linux PATH_MAX is 4096; real run files are rarely this small). */
const MAX_PLACEHOLDER_BYTES = 1024;

/**
 * The target of a symbolic link that git checked out as a plain file holding the link text
 * (core.symlinks=false: Git for Windows' default, and copies made by tools that do not keep links),
 * or undefined when `abs` is not one: one line of UTF-8, no newline, naming a file or folder that
 * exists relative to the file's folder, with a path separator in it. Such a file is never a run
 * file's real content.
 */
export function gitLinkPlaceholder(abs: string, stat: { size: number; mtimeMs: number }): string | undefined {
  if (stat.size === 0 || stat.size > MAX_PLACEHOLDER_BYTES) return undefined;
  // Passes repeat (watcher, Reindex): a small file is read again only when it changed.
  const seen = `${stat.size}:${stat.mtimeMs}`;
  const cached = placeholderCache.get(abs);
  if (cached?.seen === seen && (cached.target === undefined || fs.existsSync(cached.target))) return cached.target;
  const target = readPlaceholder(abs);
  if (placeholderCache.size > MAX_CACHED_PLACEHOLDERS) placeholderCache.clear();
  placeholderCache.set(abs, { seen, target });
  return target;
}

const MAX_CACHED_PLACEHOLDERS = 200_000;
const placeholderCache = new Map<string, { seen: string; target: string | undefined }>();

function readPlaceholder(abs: string): string | undefined {
  let text: string;
  try {
    const bytes = fs.readFileSync(abs);
    if (bytes.length === 0 || bytes.length > MAX_PLACEHOLDER_BYTES || !isUtf8(bytes)) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  // A path with a separator: a tiny file naming a sibling ("run-004" in a LATEST file) is just text.
  if (/[\n\r\0]/.test(text) || text.trim() !== text || /^[{["#*<]/.test(text) || !/[/\\]/.test(text)) return undefined;
  const target = path.resolve(path.dirname(abs), text);
  if (target === abs) return undefined;
  try {
    fs.statSync(target);
  } catch {
    return undefined;
  }
  return target;
}

/** The problem message for a link an untrusted workspace does not follow. */
export function outsideWorkspace(name: string): string {
  return `${name} is a symbolic link to a place outside the workspace folders; an untrusted workspace does not follow it (trust the workspace, or use the CLI).`;
}

function targetOf(abs: string): string {
  let target: string;
  try {
    target = fs.readlinkSync(abs);
  } catch {
    return 'a missing path';
  }
  return `'${target.length > MAX_TARGET_CHARS ? `${target.slice(0, MAX_TARGET_CHARS)}…` : target}'`;
}
