import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  http,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/**
 * The context panel beside a conversation: the visitor's page, what they told, and their earlier
 * conversations, as each role may see them; both dialects.
 */
describe.each(DIALECTS)('visitor context (%s)', (dialect) => {
  let s: Scenario;
  let ana: TestAgent;
  let ben: TestAgent;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const as = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    http(s.server, method, `${base()}${path}`, {
      cookie: agent.cookie,
      ...(body !== undefined ? { body } : {}),
    });
  const asVisitor = (credential: string, method: string, path: string, body: unknown) =>
    http(s.server, method, path, { headers: { authorization: `Bearer ${credential}` }, body });

  /** The visitor writes once; with no bot, that queues the conversation for the operators. */
  const write = async (credential: string, conversationId: string, body: string) => {
    const socket = await connectVisitor(s.server, credential);
    socket.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await socket.next('subscribed');
    socket.sendMessage(conversationId, body);
    await socket.next('message.ack');
    socket.close();
    for (let i = 0; i < 50; i++) {
      const c = await as(s.admin, 'GET', `/conversations/${conversationId}`);
      if (c.body.query) return c.body.query.id as string;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the conversation was never queued');
  };

  beforeAll(async () => {
    s = await startScenario(dialect);
    ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    ben = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    expect((await as(s.admin, 'POST', '/resolution-codes', { code: 'solved', label: 'Solved' })).status).toBe(
      201,
    );
  });
  afterAll(async () => s?.close());

  it('shows the page, the profile and earlier conversations, confined and masked by role', async () => {
    // An earlier conversation: Ana takes it, resolves it, and it is closed.
    const first = s.visitor.conversationId;
    const firstQuery = await write(
      s.visitor.credential,
      first,
      'My parcel never came, write to priya@example.com',
    );
    expect((await as(ana, 'POST', `/queries/${firstQuery}/pick`, {})).status).toBe(200);
    expect((await as(ana, 'POST', `/queries/${firstQuery}/resolve`, { code: 'solved' })).status).toBe(200);
    expect((await as(s.admin, 'PATCH', `/conversations/${first}`, { status: 'closed' })).status).toBe(204);

    // The visitor comes back: a new conversation, on a page whose address holds their email.
    const back = await startVisitor(s.server, s.widget, s.visitor.credential);
    const second = back.conversationId;
    expect(second).not.toBe(first);
    const pageUrl = 'https://shop.example.com/orders/42?email=priya@example.com';
    const page = await asVisitor(back.credential, 'PUT', `/api/v1/visitor/conversations/${second}/page`, {
      pageUrl,
      referrer: 'https://search.example/?q=parcel',
    });
    expect(page.status).toBe(204);
    const profile = await asVisitor(back.credential, 'PUT', '/api/v1/visitor/profile', {
      email: 'priya@example.com',
      custom: { plan: 'pro', 'lead.source': 'flow' },
    });
    expect(profile.status).toBe(200);
    await write(back.credential, second, 'It still has not come');

    // The administrator sees everything, in the clear.
    const full = await as(s.admin, 'GET', `/conversations/${second}/context`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      conversationId: second,
      visitorId: back.visitor.id,
      page: { pageUrl, referrer: 'https://search.example/?q=parcel' },
      profile: { email: 'priya@example.com', custom: { plan: 'pro', 'lead.source': 'flow' }, masked: false },
    });
    expect(full.body.previous).toEqual([
      expect.objectContaining({
        id: first,
        status: 'closed',
        queryState: 'resolved',
        firstMessage: 'My parcel never came, write to priya@example.com',
        canOpen: true,
      }),
    ]);

    // Ana (operator, the second conversation is queued for everyone): masked, and she may open the
    // earlier conversation because she handled it.
    const anas = await as(ana, 'GET', `/conversations/${second}/context`);
    expect(anas.status).toBe(200);
    expect(anas.body.page.pageUrl).toBe('https://shop.example.com/orders/42?email=p•••@•••.com');
    expect(anas.body.profile).toMatchObject({ email: 'p•••@•••.com', masked: true });
    expect(JSON.stringify(anas.body)).not.toContain('priya@example.com');
    expect(anas.body.previous).toEqual([
      expect.objectContaining({
        id: first,
        canOpen: true,
        firstMessage: 'My parcel never came, write to p•••@•••.com',
      }),
    ]);

    // Ben never handled the earlier one: he sees that it exists, not what it said nor its id.
    const bens = await as(ben, 'GET', `/conversations/${second}/context`);
    expect(bens.body.previous).toEqual([
      expect.objectContaining({ id: null, canOpen: false, firstMessage: null }),
    ]);
    expect((await as(ben, 'GET', `/conversations/${first}/context`)).body.error.code).toBe(
      'conversation_not_found',
    );

    // Once Ana takes the second conversation, Ben is out of it.
    const secondQuery = (await as(s.admin, 'GET', `/conversations/${second}`)).body.query.id;
    expect((await as(ana, 'POST', `/queries/${secondQuery}/pick`, {})).status).toBe(200);
    const gone = await as(ben, 'GET', `/conversations/${second}/context`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('conversation_not_found');
    // The visitor's profile routes follow the same confinement.
    const visitorPath = `/visitors/${back.visitor.id}`;
    expect((await as(ana, 'GET', visitorPath)).body).toMatchObject({ email: 'p•••@•••.com', masked: true });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { custom: { vip: 'yes' } }],
    ] as const) {
      const refused = await as(ben, method, visitorPath, body);
      expect(refused.status, method).toBe(404);
      expect(refused.body.error.code, method).toBe('visitor_not_found');
    }
  });

  it('rejects a malformed conversation id and answers unknown ones as not found', async () => {
    expect((await as(s.admin, 'GET', '/conversations/not-an-id/context')).status).toBe(400);
    const unknown = await as(s.admin, 'GET', '/conversations/00000000-0000-4000-8000-000000000000/context');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('conversation_not_found');
  });
});
