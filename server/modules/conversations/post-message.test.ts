import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../../protocol/common.js';
import { createToken, tokenCall } from '../../../test/support/api-tokens.js';
import { http, startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { AppError } from '../../errors.js';
import { messageDeps } from './message-plugin.js';
import { postMessage } from './post-message.js';

/**
 * Concurrent sends share commits on SQLite (group commit) and run side by side on PostgreSQL. Either
 * way each send is its own unit: seqs stay gap-free, a resend is answered once, and a send that fails
 * takes nothing else with it.
 */
describe.each(DIALECTS)('sending messages concurrently (%s)', (dialect) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => {
    await s?.close();
  });

  const send = (conversationId: string, author: Author, clientId: string, body: string) =>
    postMessage(messageDeps(s.server.app), { conversationId, author, clientId, body });

  it('commits each send on its own: failures, resends and conflicts leave the rest whole', async () => {
    const open = s.visitor;
    const other = await startVisitor(s.server, s.widget);
    await s.server.app.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('id', '=', other.conversationId)
      .execute();
    const me: Author = { kind: 'visitor', id: await visitorOf(open.conversationId), name: 'Visitor' };
    const them: Author = { kind: 'visitor', id: await visitorOf(other.conversationId), name: 'Visitor' };
    const before = await lastSeq(open.conversationId);

    const sends = [] as Array<Promise<unknown>>;
    for (let i = 0; i < 40; i += 1) {
      sends.push(send(open.conversationId, me, `c${i}`, `message ${i}`));
      // In the same turn of the event loop, hence in the same commit on SQLite:
      if (i % 10 === 0) sends.push(send(other.conversationId, them, `x${i}`, 'into a closed conversation'));
      if (i % 10 === 5) sends.push(send(open.conversationId, me, `c${i}`, `message ${i}`));
      if (i % 10 === 7) sends.push(send(open.conversationId, me, `c${i}`, 'another body, same client id'));
    }
    const settled = await Promise.allSettled(sends);

    const failures = settled
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason instanceof AppError ? r.reason.code : String(r.reason)));
    expect(failures.filter((c) => c === 'conversation_closed')).toHaveLength(4);
    expect(failures.filter((c) => c === 'client_id_conflict')).toHaveLength(4);
    expect(failures).toHaveLength(8);

    const rows = await s.server.app.db
      .selectFrom('messages')
      .select(['seq', 'client_id'])
      .where('conversation_id', '=', open.conversationId)
      .where('seq', '>', before)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => before + 1 + i));
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(40);
    expect(await lastSeq(open.conversationId)).toBe(before + 40);

    const resent = settled.filter(
      (r) => r.status === 'fulfilled' && (r.value as { duplicate: boolean }).duplicate,
    );
    expect(resent).toHaveLength(4);
    const closed = await s.server.app.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', other.conversationId)
      .where('author_kind', '=', 'visitor')
      .execute();
    expect(closed).toHaveLength(0);
  });

  it('lets only Parley’s bot add sources, rating requests and buttons to a message', async () => {
    const conversationId = s.visitor.conversationId;
    const base = `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${conversationId}/messages`;
    const token = await createToken(s.server, s.admin, ['messages:write']);
    const forged = [
      [{ type: 'source', title: 'Official refund policy', articleId: 'nope' }],
      [{ type: 'rating' }],
    ];
    for (const [i, parts] of forged.entries()) {
      const asAgent = await http(s.server, 'POST', base, {
        cookie: s.admin.cookie,
        body: { clientId: `forged-agent-00000${i}`, body: 'See our policy', parts },
      });
      expect(asAgent.status).toBe(400);
      expect(asAgent.body.error.code).toBe('part_not_allowed');
      const asToken = await tokenCall(s.server, token.token, 'POST', base, {
        clientId: `forged-token-00000${i}`,
        body: 'See our policy',
        parts,
      });
      expect(asToken.body.error?.code).toBe('part_not_allowed');
    }
    // A card is fine from a person; buttons only from the bot, even through the command itself.
    const card = await http(s.server, 'POST', base, {
      cookie: s.admin.cookie,
      body: { clientId: 'card-from-agent-0001', body: 'Tracking', parts: [{ type: 'card', title: 'Track' }] },
    });
    expect(card.status).toBe(201);
    const agent: Author = { kind: 'agent', id: s.admin.me.user.id, name: 'Ada Admin' };
    await expect(
      postMessage(messageDeps(s.server.app), {
        conversationId,
        author: agent,
        clientId: 'buttons-from-agent-01',
        body: 'Pick one',
        structured: { actions: [{ id: 'a', kind: 'reply', label: 'A' }] },
      }),
    ).rejects.toMatchObject({ code: 'part_not_allowed' });
    const bot: Author = { kind: 'bot', id: s.widget.id, name: 'Bot' };
    const cited = await postMessage(messageDeps(s.server.app), {
      conversationId,
      author: bot,
      clientId: 'bot-with-source-0001',
      body: 'Refunds take 5 days.',
      structured: { parts: [{ type: 'source', title: 'Refunds', articleId: 'a1' }] },
    });
    expect(cited.duplicate).toBe(false);
    // Nothing forged was stored: the only stored structured messages are the card and the bot's.
    const stored = await s.server.app.db
      .selectFrom('messages')
      .select('client_id')
      .where('conversation_id', '=', conversationId)
      .where('structured', 'is not', null)
      .execute();
    expect(stored.map((r) => r.client_id).sort()).toEqual(['bot-with-source-0001', 'card-from-agent-0001']);
  });

  async function visitorOf(conversationId: string): Promise<string> {
    const row = await s.server.app.db
      .selectFrom('conversations')
      .select('visitor_id')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return row.visitor_id;
  }

  async function lastSeq(conversationId: string): Promise<number> {
    const row = await s.server.app.db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return row.last_seq;
  }
});
