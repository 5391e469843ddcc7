/**
 * Live updates from a shared index: one connection LISTENs on the channel every indexer NOTIFYs
 * after each folder commit (writeFolderPg.ts), and the folder keys heard within `debounceMs` are
 * handed over together, so a window refreshes once per burst instead of once per folder and
 * never polls the database. A lost connection is re-established (with a growing pause) and
 * reported as a change of everything, since notifications sent meanwhile were missed.
 */
import pg from 'pg';
import { CHANNEL } from '../../indexer/postgres/writeFolderPg';

export interface ChangeListener {
  /** Resolves once LISTEN is in place (rejects when the first connection fails). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface ChangeListenerOptions {
  /** Password (e.g. from VS Code's SecretStorage); else pg's own: URL, PGPASSWORD, ~/.pgpass. */
  password?: string;
  debounceMs?: number;
  /** Keys announced by another connection: `keys` is undefined when some may have been missed. */
  onChange(keys: string[] | undefined): void;
}

export function listenForChanges(url: string, options: ChangeListenerOptions): ChangeListener {
  let closed = false;
  let client: pg.Client | undefined;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let retryMs = 500;
  const flush = () => {
    timer = undefined;
    const keys = [...pending];
    pending = new Set();
    options.onChange(keys);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'scenario-lab-listen', ...(options.password !== undefined ? { password: options.password } : {}) });
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      pending.add(message.payload ?? '');
      timer ??= setTimeout(flush, options.debounceMs ?? 150);
    });
    next.on('error', () => reconnect());
    next.on('end', () => reconnect());
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
    retryMs = 500;
  };
  const reconnect = () => {
    if (closed || !client) return;
    client = undefined;
    setTimeout(() => {
      connect().then(() => options.onChange(undefined), () => {
        retryMs = Math.min(retryMs * 2, 30_000);
        client = {} as pg.Client; // marks "reconnecting" so the next failure schedules again
        reconnect();
      });
    }, retryMs);
  };
  return {
    ready: connect(),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await client?.end?.().catch(() => undefined);
    },
  };
}
