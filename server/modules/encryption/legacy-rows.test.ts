import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../../../test/support/keys.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import { migrations } from '../../db/migrations/index.js';
import { BoundedCache } from '../../platform/crypto/bounded-cache.js';
import { openKeyRing } from '../../platform/crypto/key-ring.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { findConversationSummary } from '../conversations/conversation.repository.js';
import { listMessagesAfter } from '../conversations/message.repository.js';
import { openMessageRows, openSummaryRows } from './message-cipher.js';
import { sealLegacyRows } from './seal-legacy-rows.js';
import { Vault } from './vault.js';

describe.each(DIALECTS)('messages stored before encryption at rest (%s)', (dialect) => {
  let database: TestDatabase;
  afterAll(async () => database?.drop());

  it('are marked by the migration, sealed at start, and read the same', async () => {
    database = await createTestDatabase(dialect);
    const handle = database.open();
    const db = handle.db as any;
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      ...(database.schema ? { migrationTableSchema: database.schema } : {}),
    });
    // Retried like migrateToLatest: another test dropping its schema can fail Kysely's catalog read.
    let first = await migrator.migrateTo('2026-11-22-0001-core');
    for (let i = 0; i < 3 && first.error; i += 1) first = await migrator.migrateTo('2026-11-22-0001-core');
    expect(first.error).toBeUndefined();
    const at = '2026-01-01T00:00:00.000Z';
    const ids = {
      ws: crypto.randomUUID(),
      widget: crypto.randomUUID(),
      visitor: crypto.randomUUID(),
      c: crypto.randomUUID(),
    };
    await db
      .insertInto('workspaces')
      .values({ id: ids.ws, workspace_id: ids.ws, name: 'Old', created_at: at })
      .execute();
    await db
      .insertInto('widgets')
      .values({
        id: ids.widget,
        workspace_id: ids.ws,
        name: 'W',
        greeting: '',
        bot_name: 'B',
        allowed_origins: '[]',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('visitors')
      .values({
        id: ids.visitor,
        workspace_id: ids.ws,
        widget_id: ids.widget,
        display_name: 'Visitor 0a0a',
        created_at: at,
        last_seen_at: at,
      })
      .execute();
    await db
      .insertInto('conversations')
      .values({
        id: ids.c,
        workspace_id: ids.ws,
        widget_id: ids.widget,
        visitor_id: ids.visitor,
        status: 'open',
        last_seq: 1,
        last_message_at: at,
        last_message_preview: 'old plaintext Quokka',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('messages')
      .values({
        id: crypto.randomUUID(),
        workspace_id: ids.ws,
        conversation_id: ids.c,
        seq: 1,
        client_id: 'legacy-client-id-0001',
        author_kind: 'visitor',
        author_id: ids.visitor,
        author_name: 'Visitor 0a0a',
        body: 'old plaintext Quokka',
        created_at: at,
      })
      .execute();

    await migrateToLatest(handle.db, database.schema);
    const vault = new Vault(openKeyRing({ kind: 'env', keys: [TEST_MASTER_KEY] }).ring, { cacheSize: 100 });
    // Marked, not yet sealed: still readable.
    const marked = await listMessagesAfter(handle.db, { conversationId: ids.c, afterSeq: 0, limit: 10 });
    expect(marked[0]?.body).toBe('p0:old plaintext Quokka');
    expect((await openMessageRows(vault, handle.db, ids.c, marked))[0]?.body).toBe('old plaintext Quokka');

    expect(await sealLegacyRows({ db: handle.db, vault })).toBe(2);
    expect(await sealLegacyRows({ db: handle.db, vault })).toBe(0);
    const sealed = await listMessagesAfter(handle.db, { conversationId: ids.c, afterSeq: 0, limit: 10 });
    expect(sealed[0]?.body.startsWith('e1:')).toBe(true);
    expect((await openMessageRows(vault, handle.db, ids.c, sealed))[0]?.body).toBe('old plaintext Quokka');
    const summary = await findConversationSummary(handle.db, ids.ws, ids.c);
    const [opened] = await openSummaryRows(vault, handle.db, summary ? [summary] : []);
    expect(opened?.last_message_preview).toBe('old plaintext Quokka');
    await handle.close();
    if (dialect === 'sqlite') {
      // Old page images may linger in the WAL until a checkpoint; the main file is what stays.
      const h = database.open();
      await h.close();
    }
    expect(await rawOccurrences(database, ['old plaintext Quokka'])).toEqual([]);
  });
});

describe('the decrypted-key cache', () => {
  it('holds at most its bound, drops the least recently used, and forgets keys past their age', () => {
    let now = 0;
    const cache = new BoundedCache<string, number>(2, 1000, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    now = 1500;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
  });
});
