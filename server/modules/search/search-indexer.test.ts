import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import type { Db } from '../../platform/db/schema.js';
import { SearchIndexer } from './search-indexer.js';

/**
 * A batch that fails (a deadlock with an erasure, the database gone for a moment) is the caller's
 * to report: the indexer logs it and goes on. Nothing else may reject with it, or the process meets
 * a rejection nobody handles.
 */
describe('search indexer', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario('sqlite');
  });
  afterAll(async () => s?.close());
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown) => seen.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    seen.length = 0;
  });

  it('a failing batch rejects once, to its caller, and leaves no unhandled rejection behind', async () => {
    process.on('unhandledRejection', onUnhandled);
    // A real database without Parley's tables: every read of the backlog fails.
    const sqlite = new Database(':memory:');
    const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) }) as unknown as Db;
    const indexer = new SearchIndexer({ db, vault: s.server.app.vault, log: pino({ level: 'silent' }) });
    await expect(indexer.flush(1)).rejects.toThrow(/no such table/);
    // Behind it, the next run still starts (and fails the same way): the first one is over.
    await expect(indexer.flush(1)).rejects.toThrow(/no such table/);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    await db.destroy();
  });
});
