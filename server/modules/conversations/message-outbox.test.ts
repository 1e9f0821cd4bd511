import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import type { DbHandle } from '../../platform/db/create-db.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import type { DurableSubscriber, OwedTurn } from './message-events.js';
import { claimDueTurns, completeTurn, insertOwedTurns } from './message-outbox.repository.js';
import { OwedTurns } from './owed-turns.js';

/**
 * The outbox's order: a turn is leased by the node that stored its message unless the same
 * subscriber still owes an earlier message of the conversation; then it waits, due, and the sweep
 * takes only the oldest owed turn of each conversation and subscriber.
 */
describe.each(DIALECTS)('owed turns in the outbox (%s)', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  const at = '2026-12-06T10:00:00.000Z';
  const later = '2026-12-06T10:00:10.000Z';
  const record = (conversationId: string, seq: number, subscribers: string[], owner = 'node-a') =>
    insertOwedTurns(handle.db, {
      turns: subscribers.map((subscriber) => ({ id: `${conversationId}-${seq}-${subscriber}`, subscriber })),
      workspaceId: 'w1',
      conversationId,
      messageId: `${conversationId}-m${seq}`,
      seq,
      at,
      owner,
      leaseUntil: later,
    });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    handle = database.open();
    await migrateToLatest(handle.db, database.schema);
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it('leases a turn to the storing node unless its subscriber owes an earlier message of the conversation', async () => {
    // RETURNING's order is not promised: compared sorted.
    const first = await record('c1', 1, ['bot', 'email']);
    expect(first.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'c1-1-bot', subscriber: 'bot' },
      { id: 'c1-1-email', subscriber: 'email' },
    ]);
    await completeTurn(handle.db, 'c1-1-email');
    // The bot still owes message 1: its turn for message 2 waits; the email subscriber owes nothing.
    expect(await record('c1', 2, ['bot', 'email'])).toEqual([{ id: 'c1-2-email', subscriber: 'email' }]);
    // Another conversation's turns are not in the way.
    expect(await record('c2', 1, ['bot'])).toEqual([{ id: 'c2-1-bot', subscriber: 'bot' }]);
    const rows = await handle.db
      .selectFrom('message_outbox')
      .select(['id', 'lease_owner', 'lease_until'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'c1-1-bot', lease_owner: 'node-a', lease_until: later },
      { id: 'c1-2-bot', lease_owner: null, lease_until: at },
      { id: 'c1-2-email', lease_owner: 'node-a', lease_until: later },
      { id: 'c2-1-bot', lease_owner: 'node-a', lease_until: later },
    ]);
  });

  it('records a turn once: a second record of the same message and subscriber returns nothing', async () => {
    expect(await record('c1', 2, ['email'], 'node-b')).toEqual([]);
    const row = await handle.db
      .selectFrom('message_outbox')
      .select('lease_owner')
      .where('id', '=', 'c1-2-email')
      .executeTakeFirstOrThrow();
    expect(row.lease_owner).toBe('node-a');
  });

  it('sweeps only the oldest owed turn of a conversation, and the next once that one is done', async () => {
    const sweep = (now: string) =>
      claimDueTurns(handle.db, { now, owner: 'node-b', leaseUntil: '2026-12-06T11:00:00.000Z', limit: 50 });
    // Before the leases pass, the waiting turn is due but behind the bot's turn for message 1.
    expect(await sweep('2026-12-06T10:00:05.000Z')).toEqual([]);
    // After they pass, each conversation's oldest turn per subscriber.
    const taken = await sweep('2026-12-06T10:00:20.000Z');
    expect(taken.map((t) => t.id).sort()).toEqual(['c1-1-bot', 'c1-2-email', 'c2-1-bot']);
    await completeTurn(handle.db, 'c1-1-bot');
    expect((await sweep('2026-12-06T10:00:20.000Z')).map((t) => t.id)).toEqual(['c1-2-bot']);
  });

  it('runs a turn that waited once the one before it is done', async () => {
    const handled: string[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const bot: DurableSubscriber = {
      wants: () => true,
      handle: async (turn: OwedTurn) => {
        handled.push(`${turn.conversationId}#${turn.seq}`);
        if (turn.conversationId === 'c3' && turn.seq === 1) await held;
      },
    };
    const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
    // Not started: no periodic sweep runs, so only the finished turn can hand on to the next.
    const turns = new OwedTurns(handle.db, { durable: new Map([['bot', bot]]), log }, 'node-a');
    const stored = (conversationId: string, seq: number) =>
      ({ message: { conversation_id: conversationId, seq }, conversation: {} }) as never;
    turns.runStored(stored('c3', 1), await record('c3', 1, ['bot']));
    expect(await record('c3', 2, ['bot'])).toEqual([]);
    const ours = () => handled.filter((h) => h.startsWith('c3#'));
    expect(ours()).toEqual(['c3#1']);
    release();
    await expect.poll(ours, { timeout: 10_000 }).toEqual(['c3#1', 'c3#2']);
    await turns.stop();
    const left = await handle.db
      .selectFrom('message_outbox')
      .select('id')
      .where('conversation_id', '=', 'c3')
      .execute();
    expect(left).toEqual([]);
  });
});
