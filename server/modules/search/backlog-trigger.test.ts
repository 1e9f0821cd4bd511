import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author, AuthorKind } from '../../../protocol/common.js';
import { startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase } from '../../../test/support/test-server.js';
import { migrations } from '../../db/migrations/index.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import { MessageStream } from '../conversations/message-stream.js';
import { storeMessage } from '../conversations/store-message.js';
import { isIndexedAuthor } from './index-policy.js';

/**
 * A stored message goes on the search backlog by the trigger of migration
 * 2026-12-11-0101-search-backlog-trigger, in the message's commit: the send runs no statement of its
 * own for it. The indexer may take a row off the backlog at any moment, so "on its way" is waiting
 * or indexed; without the trigger a message would be neither.
 */
describe.each(DIALECTS)('the search backlog trigger (%s)', (dialect) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => {
    await s?.close();
  });

  const db = () => s.server.app.db;
  // A stream with no subscriber: only the trigger can put these messages on the backlog.
  const bare = () => new MessageStream({ db: db(), log: s.server.app.log, node: 'test' });
  /** Stores a message in its own transaction; `after` runs in it, once the row is in. */
  const store = async (
    conversationId: string,
    kind: AuthorKind,
    clientId: string,
    after?: (trx: Executor, message: MessagesTable) => Promise<void>,
  ) => {
    const key = await s.server.app.vault.forConversation(db(), conversationId);
    if (!key) throw new Error('no key');
    const author: Author = { kind, id: `${kind}-1`, name: kind };
    return db()
      .transaction()
      .execute(async (trx) => {
        const { message } = await storeMessage(trx, {
          key,
          stream: bare(),
          conversationId,
          author,
          clientId,
          body: `kayak from ${kind}`,
        });
        await after?.(trx, message);
        return message.id;
      });
  };
  const onItsWay = async (messageId: string) => {
    const waiting = await db()
      .selectFrom('search_backlog')
      .select('message_id')
      .where('message_id', '=', messageId)
      .execute();
    const indexed =
      dialect === 'sqlite'
        ? await db()
            .selectFrom('search_docs')
            .select('message_id')
            .where('message_id', '=', messageId)
            .execute()
        : await db()
            .selectFrom('search_term_sets')
            .select('message_id')
            .where('message_id', '=', messageId)
            .execute();
    return waiting.length + indexed.length;
  };

  it('notes every stored message of an indexed author, once, and none of the bot’s', async () => {
    const { conversationId } = await startVisitor(s.server, s.widget);
    const kinds: AuthorKind[] = ['visitor', 'agent', 'api', 'bot'];
    for (const kind of kinds) {
      const id = await store(conversationId, kind, `trigger-${kind}-0001`);
      expect(await onItsWay(id), kind).toBe(isIndexedAuthor(kind) ? 1 : 0);
    }
  });

  it('notes nothing of a send that rolls back', async () => {
    const { conversationId } = await startVisitor(s.server, s.widget);
    let id = '';
    const failed = await store(conversationId, 'visitor', 'trigger-rollback-01', async (_trx, message) => {
      id = message.id;
      throw new Error('refused after the insert');
    }).catch((err: Error) => err.message);
    expect(failed).toBe('refused after the insert');
    expect(id).not.toBe('');
    expect(await db().selectFrom('messages').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await onItsWay(id)).toBe(0);
  });

  it.runIf(dialect === 'postgres')(
    'lets a node of the previous version write the row itself in a rolling upgrade',
    async () => {
      const { conversationId } = await startVisitor(s.server, s.widget);
      // What the previous version's search subscriber did in the send's transaction.
      const id = await store(conversationId, 'visitor', 'trigger-old-node-01', async (trx, message) => {
        await trx
          .insertInto('search_backlog')
          .values({
            message_id: message.id,
            conversation_id: message.conversation_id,
            workspace_id: message.workspace_id,
            created_at: message.created_at,
          })
          .execute();
      });
      expect(await onItsWay(id)).toBe(1);
    },
  );
});

describe.each(DIALECTS)('the search backlog trigger’s migration (%s)', (dialect) => {
  it('is taken away on the way down and comes back on the way up', async () => {
    const database = await createTestDatabase(dialect);
    const handle = database.open();
    const triggers = async () =>
      dialect === 'sqlite'
        ? (
            await sql<{ name: string }>`SELECT name FROM sqlite_master
              WHERE type = 'trigger' AND name = 'messages_search_backlog'`.execute(handle.db)
          ).rows.map((r) => r.name)
        : (
            await sql<{ name: string }>`SELECT tgname AS name FROM pg_trigger
              JOIN pg_class ON pg_class.oid = tgrelid JOIN pg_namespace ON pg_namespace.oid = relnamespace
              WHERE nspname = ${database.schema} AND tgname = 'messages_search_backlog'`.execute(handle.db)
          ).rows.map((r) => r.name);
    try {
      await migrateToLatest(handle.db, database.schema);
      expect(await triggers()).toEqual(['messages_search_backlog']);
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        ...(database.schema ? { migrationTableSchema: database.schema } : {}),
      });
      const down = await migrator.migrateTo('2026-12-10-0101-search-term-sets');
      expect(down.error).toBeUndefined();
      expect(await triggers()).toEqual([]);
      await migrateToLatest(handle.db, database.schema);
      expect(await triggers()).toEqual(['messages_search_backlog']);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
