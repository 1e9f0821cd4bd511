import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { runRetention } from '../retention/run-retention.js';

/**
 * Who may export and erase, what a visitor's sockets and the erasure record show, and how archived
 * visitor data appears. That every column about a visitor is exported and erased is proven column by
 * column, from the classification, in `personal-data.test.ts`.
 */
describe.each(DIALECTS)('a visitor’s export and erasure (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  let supervisor: TestAgent;
  let live: { credential: string; conversationId: string };
  const visitorId = () => s.visitor.visitor.id;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: {
        name: 'Erin Example',
        email: 'erin@example.com',
        phone: '+1 415 555 0100',
        custom: { plan: 'pro', city: 'Oslo' },
      },
    });
    const agent = await connectAgent(s.server, s.admin);
    agent.sendMessage(s.visitor.conversationId, 'first conversation, soon archived');
    await agent.next('message.ack');
    await http(s.server, 'POST', `${base()}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'note in the first conversation' },
    });
    // 91 days on, the first conversation (default rule: 90 days) moves to the archive.
    const r = await runRetention({
      db: s.server.db.db,
      vault: s.server.app.vault,
      now: new Date(Date.now() + 91 * 86_400_000),
      batchSize: 50,
      node: 't',
    });
    expect(r.totals.conversationsArchived).toBe(1);
    // The visitor comes back: same visitor, a new conversation.
    const back = await startVisitor(s.server, s.widget, s.visitor.credential);
    live = { credential: back.credential, conversationId: back.conversationId };
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${live.credential}` },
      body: { name: 'Erin Example', email: 'erin@example.com', custom: { plan: 'pro' } },
    });
    agent.sendMessage(live.conversationId, 'second conversation, still live');
    await agent.next('message.ack', 2);
    await http(s.server, 'POST', `${base()}/conversations/${live.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'note in the second conversation' },
    });
    agent.close();
  });
  afterAll(async () => s?.close());

  it('exports every field held about the visitor, decrypted, to administrators only', async () => {
    for (const who of [operator, supervisor]) {
      expect(
        (await http(s.server, 'GET', `${base()}/visitors/${visitorId()}/export`, { cookie: who.cookie }))
          .status,
      ).toBe(403);
    }
    const res = await http(s.server, 'GET', `${base()}/visitors/${visitorId()}/export`, {
      cookie: s.admin.cookie,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      format: 'parley-visitor-export',
      visitor: { email: 'erin@example.com', phone: null },
    });
    expect(res.body.archives).toHaveLength(1);
    // The phone was given in the first conversation and moved to the archive with it.
    expect(res.body.archives[0].profile).toMatchObject({
      phone: '+1 415 555 0100',
      custom: { city: 'Oslo' },
    });
    expect(res.body.conversations).toHaveLength(1);

    expect(res.body.conversations[0]).toMatchObject({
      id: live.conversationId,
      notes: [{ body: 'note in the second conversation' }],
    });
    expect(res.body.archives[0].notes).toMatchObject([{ body: 'note in the first conversation' }]);
  });

  it('erases the visitor: key and rows gone, archives included, sockets closed, nothing decrypts; ids-only record', async () => {
    const db = s.server.db.db;
    const wrapped = (
      await db
        .selectFrom('data_keys')
        .select('wrapped')
        .where('id', '=', visitorId())
        .executeTakeFirstOrThrow()
    ).wrapped;
    const sealed = [
      ...(
        await db
          .selectFrom('messages')
          .select('body')
          .where('conversation_id', '=', live.conversationId)
          .execute()
      ).map((r) => r.body),
      ...(
        await db
          .selectFrom('conversation_archives')
          .select('payload')
          .where('visitor_id', '=', visitorId())
          .execute()
      ).map((r) => r.payload),
    ];
    expect(sealed.length).toBeGreaterThanOrEqual(3);
    const socket: Probe = await connectVisitor(s.server, live.credential);

    for (const who of [operator, supervisor]) {
      expect(
        (
          await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
            cookie: who.cookie,
            body: {},
          })
        ).status,
      ).toBe(403);
    }
    const res = await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ visitorId: visitorId(), id: expect.any(String) });
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect(socket.closed?.code).toBe(4001);

    expect(
      (await http(s.server, 'GET', `${base()}/visitors/${visitorId()}`, { cookie: s.admin.cookie })).status,
    ).toBe(404);
    expect(
      (
        await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
          cookie: s.admin.cookie,
          body: {},
        })
      ).status,
    ).toBe(404);
    expect(
      (await http(s.server, 'GET', `${base()}/archives`, { cookie: s.admin.cookie })).body.items,
    ).toEqual([]);
    const resumed = await http(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: s.widget.id, hostOrigin: s.widget.allowedOrigins[0], credential: live.credential },
    });
    expect(resumed.status).toBe(401);
    expect(await s.server.app.vault.forConversation(db, live.conversationId)).toBeNull();

    // Not in any row, and (SQLite) not in any byte of the file: no key, so no ciphertext copy decrypts.
    expect(await rawOccurrences(s.database, [wrapped, ...sealed.map((c) => c.slice(3, 60))])).toEqual([]);
    const erasures = await db.selectFrom('erasures').selectAll().execute();
    expect(erasures).toEqual([
      {
        id: res.body.id,
        workspace_id: s.admin.workspaceId,
        visitor_id: visitorId(),
        erased_at: res.body.erasedAt,
        actor_user_id: s.admin.me.user.id,
        via: 'dashboard',
      },
    ]);
    expect(
      await rawOccurrences(s.database, ['erin@example.com', 'Erin Example', 'soon archived', 'still live']),
    ).toEqual([]);
  });
});
