import pg from 'pg';

/**
 * The PostgreSQL server the tests may use (scripts/postgres/start.sh starts a throwaway one and
 * scripts/test.sh, hence CI, always sets it). Unset: every PostgreSQL test says loudly that it is
 * skipped.
 */
export const TEST_PG_URL = process.env.SCENARIO_LAB_TEST_PG_URL;

let warned = false;

/** Skips the calling suite (with a warning on stderr, once) when no server is configured. */
export function requirePostgres(context: Mocha.Context): void {
  if (TEST_PG_URL) return;
  if (process.env.CI) throw new Error('SCENARIO_LAB_TEST_PG_URL is unset: CI runs the PostgreSQL tests (scripts/test.sh starts a server)');
  if (!warned) {
    warned = true;
    process.stderr.write('\n*** SKIPPED: the PostgreSQL half of the engine tests (SCENARIO_LAB_TEST_PG_URL is unset; start a server with: eval "$(bash scripts/postgres/start.sh)") ***\n\n');
  }
  context.skip();
}

/** A new empty database on the test server; returns its URL. Drop it with dropDatabase(). */
export async function createDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops a database createDatabase() made. A pool's end() resolves before its connections have
 * closed; a FORCE drop would terminate those still closing, and their clients then throw
 * "terminating connection due to administrator command" into whichever test runs next. So it waits
 * (up to 5 s) for the database's sessions to go, and forces only what is left after that.
 */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * A value as JSON text with fractional numbers cut to 12 significant digits: the engines add a run's
 * costs in different orders, so a sum or a difference of costs can differ in its last bits.
 */
export function jsonToTwelveDigits(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v));
}
