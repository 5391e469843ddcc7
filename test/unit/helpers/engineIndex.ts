import type { Analytics } from '../../../src/core/analytics/analytics';
import type { IndexRoot } from '../../../src/core/folderKeys';
import { openScenarioIndex } from '../../../src/core/scenarioIndex';
import { openSharedIndex } from '../../../src/core/sharedIndex';
import { createDatabase, dropDatabase, requirePostgres } from './postgres';

/** The two engines every analytics suite runs on. */
export type Engine = 'sqlite' | 'postgres';

/**
 * `roots` indexed into a new index of `engine`: sql.js in memory, or a new database (named after
 * `prefix`) on the test server, the roots under `source`; the PostgreSQL half skips the calling
 * suite when no server is configured. `close` ends the index and drops its database.
 */
export async function indexOn(
  engine: Engine,
  context: Mocha.Context,
  roots: IndexRoot[],
  names: { prefix: string; source: string },
): Promise<{ analytics: Analytics; close: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const index = await openScenarioIndex(undefined);
    await index.index({ roots });
    return { analytics: index.analytics, close: () => index.close() };
  }
  requirePostgres(context);
  const url = await createDatabase(names.prefix);
  const shared = await openSharedIndex(url, { create: true }).catch(async (error: unknown) => {
    await dropDatabase(url);
    throw error;
  });
  const close = async () => {
    await shared.close();
    await dropDatabase(url);
  };
  await shared.index({ roots, source: names.source }).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return { analytics: shared.analytics, close };
}
