import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { RetentionBody } from '../../../protocol/data-protection.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { runRetention } from './run-retention.js';

const H = 3_600_000;
const D = 24 * H;

/**
 * Each retention rule with a controllable clock (the run's `now`): what must go is gone, archived
 * copies included where the rule says so; what must stay stays; a second run finds nothing.
 */
describe.each(DIALECTS)('retention rules (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const run = async (offsetMs: number) => {
    const result = await runRetention({
      db: s.server.db.db,
      vault: s.server.app.vault,
      now: new Date(Date.now() + offsetMs),
      batchSize: 2,
      node: 'test',
    });
    // A widget whose rules failed says why here, not as a count that is short.
    expect([...result.byWorkspace.values()].map((e) => e.error).filter(Boolean)).toEqual([]);
    return result;
  };
  const rules = async (widget: Widget, body: Partial<RetentionBody>) => {
    const res = await http(s.server, 'PUT', `${base()}/widgets/${widget.id}/retention`, {
      cookie: s.admin.cookie,
      body: {
        visitorDataTtlSeconds: null,
        historyHours: null,
        inactivityDays: 90,
        archiveInactive: true,
        storageOff: false,
        ...body,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const talk = async (v: VisitorSession, ...bodies: string[]) => {
    const agent = await connectAgent(s.server, s.admin);
    for (const b of bodies) agent.sendMessage(v.conversationId, b);
    await agent.next('message.ack', bodies.length);
    agent.close();
  };
  const profile = (v: VisitorSession, body: object) =>
    http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${v.credential}` },
      body,
    });
  const count = async (
    table: 'messages' | 'visitor_profiles' | 'conversations' | 'conversation_archives',
    col: string,
    id: string,
  ) =>
    (
      await s.server.db.db
        .selectFrom(table)
        .select(col as never)
        .where(col as never, '=', id as never)
        .execute()
    ).length;

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
  });
  afterAll(async () => s?.close());

  it('validates the rules: at least 24 hours of history while operators take over, and says why', async () => {
    const res = await http(s.server, 'PUT', `${base()}/widgets/${s.widget.id}/retention`, {
      cookie: s.admin.cookie,
      body: {
        visitorDataTtlSeconds: null,
        historyHours: 12,
        inactivityDays: 90,
        archiveInactive: true,
        storageOff: false,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('retention_history_too_short');
    const bad = await http(s.server, 'PUT', `${base()}/widgets/${s.widget.id}/retention`, {
      cookie: s.admin.cookie,
      body: {
        visitorDataTtlSeconds: null,
        historyHours: null,
        inactivityDays: 366,
        archiveInactive: true,
        storageOff: false,
      },
    });
    expect(bad.status).toBe(400);
    const got = await http(s.server, 'GET', `${base()}/widgets/${s.widget.id}/retention`, {
      cookie: s.admin.cookie,
    });
    expect(got.body).toMatchObject({ inactivityDays: 90, archiveInactive: true, minHistoryHours: 24 });
    expect(got.body.minHistoryReason).toMatch(/operators/i);
    const forbidden = await http(s.server, 'PUT', `${base()}/widgets/${s.widget.id}/retention`, {
      cookie: operator.cookie,
      body: {
        visitorDataTtlSeconds: null,
        historyHours: null,
        inactivityDays: 9,
        archiveInactive: true,
        storageOff: false,
      },
    });
    expect(forbidden.status).toBe(403);
  });

  it('visitor data TTL deletes the visitor data when due and not before; the conversation stays', async () => {
    const w = await createWidget(s.server, s.admin);
    await rules(w, { visitorDataTtlSeconds: 60 });
    const v = await startVisitor(s.server, w);
    const keep = await startVisitor(s.server, s.widget); // default rules: no TTL
    expect((await profile(v, { email: 'ttl@example.com', name: 'Tilly' })).body.expiresAt).not.toBeNull();
    await profile(keep, { email: 'keep@example.com' });
    await run(30_000);
    expect(await count('visitor_profiles', 'visitor_id', v.visitor.id)).toBe(1);
    const r = await run(61_000);
    expect(r.totals.visitorDataDeleted).toBe(1);
    expect(await count('visitor_profiles', 'visitor_id', v.visitor.id)).toBe(0);
    expect(await count('visitor_profiles', 'visitor_id', keep.visitor.id)).toBe(1);
    expect(await count('conversations', 'id', v.conversationId)).toBe(1);
    expect((await run(61_000)).totals.visitorDataDeleted).toBe(0);
  });

  it('history deletion removes messages older than N hours, the preview that quotes them, and archived copies', async () => {
    const w = await createWidget(s.server, s.admin);
    await rules(w, { historyHours: 24 });
    const v = await startVisitor(s.server, w);
    await talk(v, 'old one', 'old two');
    const other = await startVisitor(s.server, s.widget);
    await talk(other, 'not under this rule');

    expect((await run(23 * H)).totals.messagesDeleted).toBe(0);
    expect(await count('messages', 'conversation_id', v.conversationId)).toBe(3);
    const r = await run(25 * H);
    expect(r.totals.messagesDeleted).toBe(3);
    expect(await count('messages', 'conversation_id', v.conversationId)).toBe(0);
    expect(await count('messages', 'conversation_id', other.conversationId)).toBe(2);
    const conv = await s.server.db.db
      .selectFrom('conversations')
      .select('last_message_preview')
      .where('id', '=', v.conversationId)
      .executeTakeFirst();
    expect(conv).toEqual({ last_message_preview: null });

    // An archive holding messages on both sides of the cutoff keeps only the newer ones; one holding
    // only older messages goes.
    const w2 = await createWidget(s.server, s.admin);
    await rules(w2, { inactivityDays: 1 });
    const a = await startVisitor(s.server, w2);
    await talk(a, 'five days old');
    const fiveDaysAgo = new Date(Date.now() - 5 * D).toISOString();
    await s.server.db.db
      .updateTable('messages')
      .set({ created_at: fiveDaysAgo })
      .where('conversation_id', '=', a.conversationId)
      .execute();
    await talk(a, 'recent');
    const b = await startVisitor(s.server, w2);
    await talk(b, 'all old');
    await s.server.db.db
      .updateTable('messages')
      .set({ created_at: fiveDaysAgo })
      .where('conversation_id', '=', b.conversationId)
      .execute();
    expect((await run(2 * D)).totals.conversationsArchived).toBe(2);
    const archiveOf = (id: string) =>
      s.server.db.db
        .selectFrom('conversation_archives')
        .selectAll()
        .where('conversation_id', '=', id)
        .executeTakeFirst();
    expect((await archiveOf(a.conversationId))?.message_count).toBe(3);
    await rules(w2, { historyHours: 72, inactivityDays: 1 });
    expect((await run(2 * D)).totals.archivesPruned).toBe(2);
    const pruned = await archiveOf(a.conversationId);
    expect(pruned?.message_count).toBe(1);
    const full = await http(s.server, 'GET', `${base()}/archives/${pruned?.id}`, { cookie: s.admin.cookie });
    expect(full.body.messages.map((m: { body: string }) => m.body)).toEqual(['recent']);
    expect(await archiveOf(b.conversationId)).toBeUndefined();
    expect((await run(2 * D)).totals.archivesPruned).toBe(0);
  });

  it('inactivity archives (encrypted, administrators only) or deletes outright when archiving is off', async () => {
    const wa = await createWidget(s.server, s.admin);
    await rules(wa, { inactivityDays: 3, archiveInactive: true, visitorDataTtlSeconds: 5 * 86_400 });
    const wd = await createWidget(s.server, s.admin);
    await rules(wd, { inactivityDays: 3, archiveInactive: false });
    const archived = await startVisitor(s.server, wa);
    await profile(archived, { name: 'Archie Ved', email: 'archie@example.com' });
    await talk(archived, 'please archive me');
    const deleted = await startVisitor(s.server, wd);
    await talk(deleted, 'please delete me');

    const early = await run(2 * D);
    expect(early.totals.conversationsArchived + early.totals.conversationsDeleted).toBe(0);
    const r = await run(4 * D);
    expect(r.totals).toMatchObject({ conversationsArchived: 1, conversationsDeleted: 1 });
    for (const v of [archived, deleted]) {
      expect(await count('conversations', 'id', v.conversationId)).toBe(0);
      expect(await count('messages', 'conversation_id', v.conversationId)).toBe(0);
      expect(await count('visitor_profiles', 'visitor_id', v.visitor.id)).toBe(0);
    }
    expect(await count('conversation_archives', 'conversation_id', deleted.conversationId)).toBe(0);
    const row = await s.server.db.db
      .selectFrom('conversation_archives')
      .selectAll()
      .where('conversation_id', '=', archived.conversationId)
      .executeTakeFirstOrThrow();
    expect(row.payload.startsWith('e1:')).toBe(true);
    expect(row.payload).not.toContain('archive me');

    const list = await http(s.server, 'GET', `${base()}/archives?widgetId=${wa.id}`, {
      cookie: s.admin.cookie,
    });
    expect(list.body.items).toEqual([
      expect.objectContaining({ conversationId: archived.conversationId, messageCount: 2 }),
    ]);
    const full = await http(s.server, 'GET', `${base()}/archives/${row.id}`, { cookie: s.admin.cookie });
    expect(full.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Hi! How can we help?',
      'please archive me',
    ]);
    expect(full.body.profile).toMatchObject({ name: 'Archie Ved', email: 'archie@example.com' });
    expect(
      (await http(s.server, 'GET', `${base()}/archives/${row.id}`, { cookie: operator.cookie })).status,
    ).toBe(403);

    // The visitor data TTL reaches into the archive too.
    const ttl = await run(6 * D);
    expect(ttl.totals.archivesPruned).toBeGreaterThanOrEqual(1);
    const after = await http(s.server, 'GET', `${base()}/archives/${row.id}`, { cookie: s.admin.cookie });
    expect(after.body.profile).toBeNull();
    expect(after.body.messages).toHaveLength(2);
  });

  it('storage off keeps no content once a conversation closes; the sweep catches any left', async () => {
    const w = await createWidget(s.server, s.admin);
    await rules(w, { storageOff: true });
    const v = await startVisitor(s.server, w);
    await profile(v, { email: 'gone@example.com' });
    await talk(v, 'secret order details');
    await http(s.server, 'POST', `${base()}/conversations/${v.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'n' },
    });
    const open = await startVisitor(s.server, w);
    await talk(open, 'still open');

    const closed = await http(s.server, 'PATCH', `${base()}/conversations/${v.conversationId}`, {
      cookie: s.admin.cookie,
      body: { status: 'closed' },
    });
    expect(closed.status).toBe(204);
    expect(await count('messages', 'conversation_id', v.conversationId)).toBe(0);
    expect(await count('visitor_profiles', 'visitor_id', v.visitor.id)).toBe(0);
    expect(await count('conversations', 'id', v.conversationId)).toBe(1);
    expect(await count('messages', 'conversation_id', open.conversationId)).toBe(2);

    // Closed some other way (not through this command): the scheduler's sweep purges it.
    await s.server.db.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('id', '=', open.conversationId)
      .execute();
    const r = await run(0);
    expect(r.totals.closedConversationsPurged).toBe(1);
    expect(await count('messages', 'conversation_id', open.conversationId)).toBe(0);
    expect((await run(0)).totals.closedConversationsPurged).toBe(0);
  });

  it('storage off: a rating comment or a page that arrives after the close is not kept', async () => {
    const w = await createWidget(s.server, s.admin);
    await rules(w, { storageOff: true });
    await http(s.server, 'POST', `${base()}/resolution-codes`, {
      cookie: s.admin.cookie,
      body: { code: 'late', label: 'Late' },
    });
    const v = await startVisitor(s.server, w);
    const socket = await connectVisitor(s.server, v.credential);
    socket.sendMessage(v.conversationId, 'a person please');
    await socket.next('message.ack');
    socket.close();
    let queryId: string | undefined;
    for (const deadline = Date.now() + 20_000; !queryId && Date.now() < deadline; ) {
      const list = await http(s.server, 'GET', `${base()}/queries?view=all`, { cookie: s.admin.cookie });
      queryId = list.body.items.find(
        (q: { conversationId: string }) => q.conversationId === v.conversationId,
      )?.id;
      if (!queryId) await new Promise((r) => setTimeout(r, 25));
    }
    const resolved = await http(s.server, 'POST', `${base()}/queries/${queryId}/resolve`, {
      cookie: s.admin.cookie,
      body: { code: 'late' },
    });
    expect(resolved.status).toBe(200);
    const closed = await http(s.server, 'PATCH', `${base()}/conversations/${v.conversationId}`, {
      cookie: s.admin.cookie,
      body: { status: 'closed' },
    });
    expect(closed.status).toBe(204);

    const visitor = { authorization: `Bearer ${v.credential}` };
    const rated = await http(s.server, 'POST', `/api/v1/visitor/conversations/${v.conversationId}/rating`, {
      headers: visitor,
      body: { score: 2, comment: 'slow, call me on +1 415 555 0142' },
    });
    expect(rated.status).toBe(204);
    expect(
      await s.server.db.db
        .selectFrom('queries')
        .select(['rating', 'rating_comment'])
        .where('id', '=', queryId as string)
        .executeTakeFirst(),
    ).toEqual({ rating: 2, rating_comment: null });
    const page = await http(s.server, 'PUT', `/api/v1/visitor/conversations/${v.conversationId}/page`, {
      headers: visitor,
      body: { pageUrl: 'https://shop.example.com/after-close', referrer: 'https://search.example/' },
    });
    expect(page.status).toBe(204);
    expect(
      await s.server.db.db
        .selectFrom('conversations')
        .select(['page_url', 'referrer'])
        .where('id', '=', v.conversationId)
        .executeTakeFirst(),
    ).toEqual({ page_url: null, referrer: null });
  });

  it('shows every run that changed something to the workspace administrators', async () => {
    const runs = await http(s.server, 'GET', `${base()}/retention/runs`, { cookie: s.admin.cookie });
    expect(runs.status).toBe(200);
    expect(runs.body.items.length).toBeGreaterThanOrEqual(4);
    expect(runs.body.items[0]).toMatchObject({
      node: 'test',
      error: null,
      counts: expect.objectContaining({ messagesDeleted: expect.any(Number) }),
    });
    expect(
      (await http(s.server, 'GET', `${base()}/retention/runs`, { cookie: operator.cookie })).status,
    ).toBe(403);
  });
});
