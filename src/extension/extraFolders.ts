/**
 * Folders added with Index Folder… (outside the workspace folders), remembered per workspace in
 * VS Code's workspaceState so that a window reload keeps indexing them, until the user removes
 * them (Remove Indexed Folder…). Nothing is written into the folders themselves.
 */
import * as path from 'node:path';
import type { IndexRoot } from '../core/folderKeys';

const KEY = 'scenarioLab.extraFolders';

/** The part of vscode.Memento used here (context.workspaceState is one). */
export interface FolderMemory {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

export class ExtraFolders {
  private folders: string[];

  /** `memento`: the extension context's workspaceState (any Memento in tests). */
  constructor(private readonly memento: FolderMemory) {
    const stored = memento.get<unknown>(KEY, []);
    this.folders = Array.isArray(stored) ? stored.filter((f): f is string => typeof f === 'string' && path.isAbsolute(f)) : [];
  }

  /** Absolute paths, in the order they were added. */
  list(): string[] {
    return [...this.folders];
  }

  /** Index roots named after each folder's base name, keyed by their absolute paths (IndexRoot.extra). */
  roots(): IndexRoot[] {
    return this.folders.map((absPath) => ({ name: path.basename(absPath), absPath, extra: true }));
  }

  /** Adds and remembers `folder`; false when it was there already. */
  async add(folder: string): Promise<boolean> {
    if (this.folders.includes(folder)) return false;
    this.folders.push(folder);
    await this.memento.update(KEY, this.folders);
    return true;
  }

  /** Forgets the given folders; false when none of them was there. */
  async remove(folders: readonly string[]): Promise<boolean> {
    const kept = this.folders.filter((f) => !folders.includes(f));
    if (kept.length === this.folders.length) return false;
    this.folders = kept;
    await this.memento.update(KEY, this.folders);
    return true;
  }
}
