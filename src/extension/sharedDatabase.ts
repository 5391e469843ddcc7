/**
 * A window on a shared PostgreSQL index (`scenarioLab.database.url`): the index client the rest
 * of the extension uses, backed by the database instead of the worker's sql.js file, plus the
 * LISTEN connection that refreshes the views when anyone's indexer commits a folder, and the
 * "Set Database Password" command. The password lives in VS Code's SecretStorage only, never in
 * settings; without one, pg's own sources apply (the URL, PGPASSWORD, ~/.pgpass).
 */
import * as vscode from 'vscode';
import { createPool, ensureSchema, isPostgresUrl, redactUrl } from '../core/db/postgres/connection';
import { listenForChanges, type ChangeListener } from '../core/db/postgres/changeListener';
import { emptyReport, type IndexReport } from '../core/indexer/indexReport';
import { sharedQuery } from '../core/sql/sharedQuery';
import { sharedIndexOn } from '../core/sharedIndex';
import type { IndexClient } from '../core/worker/indexClient';
import { Commands } from './constants';

const PASSWORD_KEY = 'scenarioLab.database.password';

/** The configured PostgreSQL URL, or undefined for the embedded index. Throws for another kind of URL. */
export function sharedDatabaseUrl(): string | undefined {
  const url = vscode.workspace.getConfiguration('scenarioLab').get<string>('database.url', '').trim();
  if (url === '') return undefined;
  if (!isPostgresUrl(url)) throw new Error(`scenarioLab.database.url must be a postgresql://user@host:port/database URL, not ${redactUrl(url)}; using the embedded index.`);
  return url;
}

/** What a window learns when another connection changed the index (no report of its own). */
export const REMOTE_CHANGE: IndexReport = emptyReport();

/**
 * The index client over the shared database. `onRemoteChange` gets the folder keys others (and
 * this window's own passes) commit; `undefined` after a reconnect, when some may have been missed.
 */
export function startSharedClient(context: vscode.ExtensionContext, url: string, readWorkerScript: string, onRemoteChange: (keys: string[] | undefined) => void): IndexClient {
  const fromUrl = decodeURIComponent(new URL(url).password);
  // Asked on every new connection, so a password set later is used without a reload.
  const password = async () => (await context.secrets.get(PASSWORD_KEY)) ?? (fromUrl || process.env.PGPASSWORD || (await pgpassLookup(url)) || '');
  const pool = createPool(url, { password });
  pool.on('error', () => undefined);
  const shared = sharedIndexOn(pool, url, { readWorkerScript });
  let listener: ChangeListener | undefined;
  let cancelled = false;
  const opened = ensureSchema(pool, { create: true }).then(async () => {
    listener = listenForChanges(url, { password: await password(), onChange: onRemoteChange });
    await listener.ready;
    return [] as string[];
  });
  opened.catch(() => undefined);
  return {
    kysely: shared.kysely,
    analytics: shared.analytics,
    opened,
    reopen: async () => [],
    index: async (options, onProgress) => {
      await opened;
      cancelled = false;
      return shared.index({ ...options, onProgress, isCancelled: () => cancelled });
    },
    cancelIndexing: () => {
      cancelled = true;
    },
    save: async () => undefined,
    backup: async () => {
      throw new Error('A PostgreSQL index is backed up with pg_dump, not copied as a file.');
    },
    readOnlySql: (text, options) => sharedQuery(pool, text, { maxRows: options.maxRows ?? 1000, timeoutMs: options.timeoutMs ?? 30_000 }),
    // Other extensions get the same database; PostgreSQL's permissions for the configured user apply.
    readOnlyKysely: shared.kysely,
    sizeBytes: () => shared.sizeBytes(),
    onRestart: () => undefined,
    close: async () => {
      await listener?.close();
      await shared.close();
    },
  };
}

/** ~/.pgpass (or PGPASSFILE) for the URL's host, port, database and user, via pg's own pgpass module. */
function pgpassLookup(url: string): Promise<string | undefined> {
  const parsed = new URL(url);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pgpass = require('pgpass') as (info: object, cb: (password: string | undefined) => void) => void;
  return new Promise((resolve) =>
    pgpass({ host: parsed.hostname || 'localhost', port: Number(parsed.port || 5432), database: parsed.pathname.slice(1), user: decodeURIComponent(parsed.username) || process.env.USER }, resolve),
  );
}

/** "Scenario Lab: Set Database Password": stores (or, left empty, removes) the password in SecretStorage. */
export function registerDatabasePassword(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.setDatabasePassword, async () => {
      const value = await vscode.window.showInputBox({
        title: 'Scenario Lab: Database Password',
        prompt: 'Password of the PostgreSQL user in scenarioLab.database.url. Kept in VS Code\'s secret storage, never in settings. Leave empty to remove it.',
        password: true,
        ignoreFocusOut: true,
      });
      if (value === undefined) return;
      if (value === '') await context.secrets.delete(PASSWORD_KEY);
      else await context.secrets.store(PASSWORD_KEY, value);
      void vscode.window.showInformationMessage(value === '' ? 'Scenario Lab: database password removed.' : 'Scenario Lab: database password saved; it is used from the next connection (reload the window to reconnect now).');
    }),
  ];
}
