import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';

/**
 * A scripted day: one conversation the bot answers, one handed to a person and resolved, one that
 * waits and is abandoned. The report must come out of the recorded transition times alone.
 */
describe.each(DIALECTS)('service report (%s)', (dialect) => {
  let s: Scenario;
  let op: TestAgent;
  const realNow = clock.now;
  let now = 0;
  // The report window opens before the scenario's first conversation, however slow the setup was.
  let started = 0;
  const at = (seconds: number) => {
    clock.now = () => now + seconds * 1000;
  };
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeAll(async () => {
    started = Date.now();
    s = await startScenario(dialect);
    op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'olga@example.com');
    await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: {
        title: 'Shipping costs',
        body: 'Shipping is free on orders over €50.',
        questions: ['How much is shipping?'],
      },
    });
    await http(s.server, 'POST', `${base()}/resolution-codes`, {
      cookie: s.admin.cookie,
      body: { code: 'answered', label: 'Answered' },
    });
    now = Date.now();
  });
  afterEach(() => {
    clock.now = realNow;
  });
  afterAll(async () => {
    clock.now = realNow;
    await s?.close();
  });

  async function visitorSays(
    conversationId: string,
    credential: string,
    body: string,
    waitFor: (p: Probe) => boolean,
  ) {
    const v = await connectVisitor(s.server, credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(conversationId, body);
    await v.until(waitFor, 'the bot’s turn');
    v.close();
  }
  const botSpoke = (n: number) => (p: Probe) =>
    p.of('message.new').filter((f) => f.message.author.kind === 'bot').length >= n;

  it('computes first response, handle time, resolution rate and bot containment', async () => {
    at(0);
    // 1. The bot answers; nobody else is needed.
    await visitorSays(s.visitor.conversationId, s.visitor.credential, 'How much is shipping?', botSpoke(2));
    // 2. Asks for a person at t=0; picked at 60 s; first reply at 90 s; resolved at 600 s; rated 4.
    const second = await startVisitor(s.server, s.widget);
    await visitorSays(second.conversationId, second.credential, 'I want to talk to a human', botSpoke(2));
    const [query] = (await http(s.server, 'GET', `${base()}/queries?view=queue`, { cookie: op.cookie })).body
      .items;
    expect(query.origin.trigger).toBe('visitor_asked');
    at(60);
    expect(
      (await http(s.server, 'POST', `${base()}/queries/${query.id}/pick`, { cookie: op.cookie, body: {} }))
        .status,
    ).toBe(200);
    at(90);
    await http(s.server, 'POST', `${base()}/conversations/${second.conversationId}/messages`, {
      cookie: op.cookie,
      body: { clientId: 'report-reply-0000001', body: 'Hello, I am here.' },
    });
    at(600);
    const resolved = await http(s.server, 'POST', `${base()}/queries/${query.id}/resolve`, {
      cookie: op.cookie,
      body: { code: 'answered' },
    });
    expect(resolved.status).toBe(200);
    await http(s.server, 'POST', `/api/v1/visitor/conversations/${second.conversationId}/rating`, {
      headers: { authorization: `Bearer ${second.credential}` },
      body: { score: 4 },
    });
    // 3. Asks for a person, waits, and the conversation ends unanswered.
    at(700);
    const third = await startVisitor(s.server, s.widget);
    await visitorSays(third.conversationId, third.credential, 'agent please', botSpoke(2));
    at(800);
    const closed = await http(s.server, 'PATCH', `${base()}/conversations/${third.conversationId}`, {
      cookie: s.admin.cookie,
      body: { status: 'closed' },
    });
    expect(closed.status).toBe(204);

    const from = new Date(started - 1000).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    const report = await http(s.server, 'GET', `${base()}/reports/service?from=${from}&to=${to}`, {
      cookie: s.admin.cookie,
    });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      conversations: 3,
      handedOff: 2,
      botContainmentRate: 1 / 3,
      queries: 2,
      resolved: 1,
      abandoned: 1,
      resolutionRate: 0.5,
      medianFirstResponseSeconds: 90,
      medianHandleSeconds: 540,
      averageRating: 4,
      ratings: 1,
    });
    // Operators do not read reports.
    expect((await http(s.server, 'GET', `${base()}/reports/service`, { cookie: op.cookie })).status).toBe(
      403,
    );
  });
});
