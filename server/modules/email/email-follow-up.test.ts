import { afterEach, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import {
  anotherVisitor,
  type EmailScenario,
  leaveEmail,
  startEmailScenario,
} from '../../../test/support/email-scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer } from '../../../test/support/test-server.js';

const EMAIL = 'lead.person@example.com';

/**
 * An operator, whose role does not show personal data, follows up a lead by email without ever
 * seeing the address; the visitor asks for their transcript by email. Real SMTP both ways.
 */
describe.each(DIALECTS)('follow-up and transcript by email (%s)', (dialect) => {
  let s: EmailScenario;
  afterEach(async () => s?.close());

  const base = (agent: TestAgent, c: string) => `/api/v1/workspaces/${agent.workspaceId}/conversations/${c}`;

  /** A visitor's message queues the conversation for people: operators reach queued conversations. */
  const queued = async (credential: string, conversationId: string) => {
    const v = await connectVisitor(s.server, credential);
    v.sendMessage(conversationId, 'Please call me back about the offer.');
    await v.next('message.ack');
    v.close();
    for (let i = 0; i < 200; i++) {
      const row = await s.server.db.db
        .selectFrom('conversations')
        .select('query_id')
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (row?.query_id) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the conversation was not queued');
  };

  it('lets an operator follow up by email without the address, audited', async () => {
    s = await startEmailScenario(dialect);
    const c = s.visitor.conversationId;
    await leaveEmail(s, s.visitor, EMAIL);
    await queued(s.visitor.credential, c);
    const operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');

    // The operator's view of the visitor is masked, and the mail status says only "available".
    const status = await http(s.server, 'GET', `${base(operator, c)}/email`, { cookie: operator.cookie });
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ available: true, reason: null, lastMailedAt: null, mailChecks: [] });
    const context = await http(
      s.server,
      'GET',
      `/api/v1/workspaces/${operator.workspaceId}/conversations/${c}/visitor`,
      { cookie: operator.cookie },
    );
    expect(JSON.stringify(context.body)).not.toContain(EMAIL);

    const clientId = newClientId();
    const sent = await http(s.server, 'POST', `${base(operator, c)}/email-follow-ups`, {
      cookie: operator.cookie,
      body: { clientId, body: 'Following up on the offer: it is valid until Friday.' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ duplicate: false, mailed: true });
    expect(JSON.stringify(sent.body)).not.toContain(EMAIL);
    const mail = await s.inbox.waitFor((m) => m.to.includes(EMAIL));
    expect(mail.parsed.subject).toBe('A reply to your conversation');
    expect(mail.parsed.text).toContain('Following up on the offer: it is valid until Friday.');
    expect(mail.parsed.text).toContain('Please call me back about the offer.');

    // A resend is the same message and no second mail.
    const again = await http(s.server, 'POST', `${base(operator, c)}/email-follow-ups`, {
      cookie: operator.cookie,
      body: { clientId, body: 'Following up on the offer: it is valid until Friday.' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, mailed: false, seq: sent.body.seq });
    await new Promise((r) => setTimeout(r, 100));
    expect(s.inbox.mails).toHaveLength(1);

    const audit = await http(s.server, 'GET', `/api/v1/workspaces/${s.admin.workspaceId}/audit`, {
      cookie: s.admin.cookie,
    });
    const entry = (audit.body.items as Array<{ action: string }>).find(
      (e) => e.action === 'conversation.email.follow_up',
    );
    expect(entry).toMatchObject({
      actor: { type: 'user', id: operator.me.user.id },
      target: { type: 'conversation', id: c },
    });
    expect(JSON.stringify(audit.body)).not.toContain(EMAIL);
    const after = await http(s.server, 'GET', `${base(operator, c)}/email`, { cookie: operator.cookie });
    expect(after.body.lastMailedAt).toEqual(expect.any(String));
  });

  it('refuses a follow-up with nothing to send to, before storing the message', async () => {
    s = await startEmailScenario(dialect);
    const silent = await anotherVisitor(s);
    const status = await http(s.server, 'GET', `${base(s.admin, silent.conversationId)}/email`, {
      cookie: s.admin.cookie,
    });
    expect(status.body).toMatchObject({ available: false, reason: 'no_address' });
    const res = await http(s.server, 'POST', `${base(s.admin, silent.conversationId)}/email-follow-ups`, {
      cookie: s.admin.cookie,
      body: { clientId: newClientId(), body: 'Hello?' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_unavailable');
    const messages = await http(s.server, 'GET', `${base(s.admin, silent.conversationId)}/messages`, {
      cookie: s.admin.cookie,
    });
    expect((messages.body.items as Array<{ body: string }>).some((m) => m.body === 'Hello?')).toBe(false);
  });

  it('mails the visitor their transcript when they ask, at most every few minutes', async () => {
    s = await startEmailScenario(dialect);
    const c = s.visitor.conversationId;
    const ask = (credential = s.visitor.credential, conversationId = c) =>
      http(s.server, 'POST', `/api/v1/visitor/conversations/${conversationId}/transcript-email`, {
        headers: { authorization: `Bearer ${credential}`, origin: s.widget.allowedOrigins[0] as string },
        body: {},
      });
    // No address yet: a clear refusal.
    const none = await ask();
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('email_unavailable');
    await leaveEmail(s, s.visitor, EMAIL);
    await queued(s.visitor.credential, c);
    const ok = await ask();
    expect(ok.status).toBe(204);
    const mail = await s.inbox.waitFor((m) => m.to.includes(EMAIL));
    expect(mail.parsed.subject).toBe('Your conversation transcript');
    expect(mail.parsed.text).toContain('You (');
    expect(mail.parsed.text).toContain('Please call me back about the offer.');
    const soon = await ask();
    expect(soon.status).toBe(429);
    expect(soon.body.error.code).toBe('email_too_soon');
    // Another visitor cannot have someone else's conversation mailed.
    const other = await anotherVisitor(s);
    const theirs = await ask(other.credential, c);
    expect(theirs.status).toBe(404);
  });

  it('mails a visitor whose widget spoke German in German, the conversation as written', async () => {
    s = await startEmailScenario(dialect);
    const started = await http<{ credential: string; conversationId: string; language: string }>(
      s.server,
      'POST',
      '/api/v1/visitor/sessions',
      { body: { widgetId: s.widget.id, hostOrigin: s.widget.allowedOrigins[0], language: 'de' } },
    );
    expect(started.body.language).toBe('de');
    const visitor = started.body as unknown as typeof s.visitor;
    await leaveEmail(s, visitor, EMAIL);
    await queued(visitor.credential, visitor.conversationId);
    const asked = await http(
      s.server,
      'POST',
      `/api/v1/visitor/conversations/${visitor.conversationId}/transcript-email`,
      {
        headers: {
          authorization: `Bearer ${visitor.credential}`,
          origin: s.widget.allowedOrigins[0] as string,
        },
        body: {},
      },
    );
    expect(asked.status).toBe(204);
    const mail = await s.inbox.waitFor((m) => m.to.includes(EMAIL));
    expect(mail.parsed.subject).toBe('Ihr Gesprächsverlauf');
    expect(mail.parsed.text).toContain('Hier ist der Gesprächsverlauf, den Sie angefordert haben.');
    expect(mail.parsed.text).toContain('Sie (');
    expect(mail.parsed.text).toContain('Please call me back about the offer.');
    expect(mail.parsed.text).toContain('Diese E-Mails abbestellen: ');
  });

  it('refuses clearly when Parley has no SMTP server (the outbox never holds visitor mail)', async () => {
    const database = await createTestDatabase(dialect);
    const server = await startTestServer({ database });
    try {
      const admin = await setupAdmin(server);
      const widget = await createWidget(server, admin);
      const visitor = await startVisitor(server, widget);
      const res = await http(
        server,
        'POST',
        `/api/v1/visitor/conversations/${visitor.conversationId}/transcript-email`,
        {
          headers: {
            authorization: `Bearer ${visitor.credential}`,
            origin: widget.allowedOrigins[0] as string,
          },
          body: {},
        },
      );
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('email_not_configured');
      const status = await http(
        server,
        'GET',
        `/api/v1/workspaces/${admin.workspaceId}/conversations/${visitor.conversationId}/email`,
        { cookie: admin.cookie },
      );
      expect(status.body).toMatchObject({ available: false, reason: 'no_smtp' });
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
