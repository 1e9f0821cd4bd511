import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { WidgetIdentitySecret } from '../../../protocol/identity.js';
import { createToken, tokenCall } from '../../../test/support/api-tokens.js';
import {
  addAgent,
  connectVisitor,
  type HttpResult,
  http,
  type Probe,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { identityHash } from './verify-identity.js';

/** One browser: it keeps the visitor cookie Parley sets, like the widget iframe's partitioned cookie jar. */
class Device {
  cookie: string | undefined;
  constructor(
    private readonly s: Scenario,
    private readonly widget: Widget,
  ) {}

  async start(identity?: { userId: string; userHash: string }, credential?: string): Promise<HttpResult> {
    const res = await http(this.s.server, 'POST', '/api/v1/visitor/sessions', {
      ...(this.cookie ? { cookie: this.cookie } : {}),
      body: {
        widgetId: this.widget.id,
        hostOrigin: this.widget.allowedOrigins[0],
        ...(identity ? { identity } : {}),
        ...(credential ? { credential } : {}),
      },
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_visitor_'));
    if (set) this.cookie = set.split(';')[0];
    return res;
  }

  async session(identity?: { userId: string; userHash: string }): Promise<VisitorSession> {
    const res = await this.start(identity);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
}

describe.each(DIALECTS)('identity verification (%s)', (dialect) => {
  let s: Scenario;
  let secret: string;
  const signed = (userId: string, key = secret) => ({ userId, userHash: identityHash(key, userId) });
  const revealSecret = async () => {
    const res = await http<WidgetIdentitySecret>(
      s.server,
      'GET',
      `/api/v1/workspaces/${s.admin.workspaceId}/widgets/${s.widget.id}/identity-secret`,
      { cookie: s.admin.cookie },
    );
    expect(res.status).toBe(200);
    return res.body.secret;
  };
  const history = async (probe: Probe, conversationId: string) => {
    probe.send({ type: 'subscribe', conversationId, afterSeq: 0, rid: `h-${conversationId}` });
    await probe.until((p) =>
      p.frames.some(
        (f) =>
          (f.type === 'subscribed' || f.type === 'error') && 'rid' in f && f.rid === `h-${conversationId}`,
      ),
    );
    const error = probe.of('error').find((e) => e.rid === `h-${conversationId}`);
    if (error) return error.code;
    return probe
      .of('message.new')
      .filter((f) => f.message.conversationId === conversationId)
      .map((f) => f.message.body);
  };

  beforeEach(async () => {
    s = await startScenario(dialect);
    secret = await revealSecret();
  });
  afterEach(async () => s.close());

  it('links a verified user across devices: the second device resumes the same visitor and history', async () => {
    expect(secret).toMatch(/^pws_[A-Za-z0-9_-]{43}$/);
    const laptop = new Device(s, s.widget);
    const first = await laptop.session(signed('customer-42'));
    expect(first.resumed).toBe(false);
    const onLaptop = await connectVisitor(s.server, first.credential);
    onLaptop.sendMessage(first.conversationId, 'Sent from my laptop');
    await onLaptop.next('message.ack');
    onLaptop.close();

    const phone = new Device(s, s.widget);
    const second = await phone.session({
      userId: 'customer-42',
      userHash: identityHash(secret, 'customer-42').toUpperCase(),
    });
    expect(second.visitor.id).toBe(first.visitor.id);
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.resumed).toBe(true);
    const onPhone = await connectVisitor(s.server, second.credential);
    expect(await history(onPhone, second.conversationId)).toEqual([
      'Hi! How can we help?',
      'Sent from my laptop',
    ]);
    onPhone.close();

    // Both devices stay signed in: each has its own credential.
    expect((await laptop.start(signed('customer-42'))).status).toBe(201);
    // Another user of the same site is another visitor.
    const other = await new Device(s, s.widget).session(signed('customer-43'));
    expect(other.visitor.id).not.toBe(first.visitor.id);
  });

  it('gives devices that start at the same moment one visitor and one conversation', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 6 }, () => new Device(s, s.widget).session(signed('customer-99'))),
    );
    expect(new Set(sessions.map((x) => x.visitor.id)).size).toBe(1);
    expect(new Set(sessions.map((x) => x.conversationId)).size).toBe(1);
    const greetings = await s.server.db.db
      .selectFrom('messages')
      .select('seq')
      .where('conversation_id', '=', sessions[0]?.conversationId ?? '')
      .execute();
    expect(greetings).toHaveLength(1);
  });

  it('refuses a wrong hash instead of falling back to anyone, even with the cookie of that user', async () => {
    const laptop = new Device(s, s.widget);
    const first = await laptop.session(signed('customer-42'));
    const wrongs = [
      { userId: 'customer-42', userHash: identityHash(secret, 'customer-43') },
      { userId: 'customer-42', userHash: identityHash('pws_not-the-secret', 'customer-42') },
      { userId: 'customer-42 ', userHash: identityHash(secret, 'customer-42') },
    ];
    for (const identity of wrongs) {
      for (const device of [laptop, new Device(s, s.widget)]) {
        const res = await device.start(identity);
        expect([res.status, res.body.error.code]).toEqual([401, 'identity_invalid']);
      }
    }
    const malformed = await laptop.start({ userId: 'customer-42', userHash: 'abc' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_request']);
    const visitors = await s.server.db.db
      .selectFrom('visitors')
      .select('id')
      .where('widget_id', '=', s.widget.id)
      .execute();
    expect(visitors.map((v) => v.id).sort()).toEqual([s.visitor.visitor.id, first.visitor.id].sort());
  });

  it('never merges the previous visitor of a browser into another identity', async () => {
    // The browser chatted as user A; then user B signs in to the site in the same browser.
    const shared = new Device(s, s.widget);
    const a = await shared.session(signed('alice'));
    const onA = await connectVisitor(s.server, a.credential);
    onA.sendMessage(a.conversationId, 'Alice: my address is 1 Private Lane');
    await onA.next('message.ack');
    onA.close();

    const b = await shared.session(signed('bob'));
    expect(b.visitor.id).not.toBe(a.visitor.id);
    expect(b.conversationId).not.toBe(a.conversationId);
    expect(b.resumed).toBe(false);
    const onB = await connectVisitor(s.server, b.credential);
    expect(await history(onB, a.conversationId)).toBe('conversation_not_found');
    expect(await history(onB, b.conversationId)).toEqual(['Hi! How can we help?']);
    onB.close();
    // A's credential in this browser ended when B took over.
    const ticket = await http(s.server, 'POST', '/api/v1/visitor/tickets', {
      body: {},
      headers: { authorization: `Bearer ${a.credential}` },
    });
    expect(ticket.status).toBe(401);

    // Without an identity, A's cookie does not open A's history either (the site's user signed out).
    const aliceBrowser = new Device(s, s.widget);
    const alice = await aliceBrowser.session(signed('alice'));
    expect(alice.visitor.id).toBe(a.visitor.id);
    const signedOut = await aliceBrowser.session();
    expect(signedOut.visitor.id).not.toBe(a.visitor.id);
    expect(signedOut.conversationId).not.toBe(a.conversationId);
    expect(signedOut.resumed).toBe(false);
    // Sent explicitly, a verified user's credential still needs the identity with it.
    const again = await new Device(s, s.widget).session(signed('alice'));
    const explicit = await new Device(s, s.widget).start(undefined, again.credential);
    expect([explicit.status, explicit.body.error.code]).toEqual([401, 'identity_required']);
  });

  it('does not merge an anonymous visitor into a verified user', async () => {
    const browser = new Device(s, s.widget);
    const anonymous = await browser.session();
    const verified = await browser.session(signed('carol'));
    expect(verified.visitor.id).not.toBe(anonymous.visitor.id);
    expect(verified.conversationId).not.toBe(anonymous.conversationId);
  });

  it('enforces "require identity" for new starts, old cookies and socket tickets', async () => {
    const anonymous = new Device(s, s.widget);
    const before = await anonymous.session();
    const patch = await http<Widget>(
      s.server,
      'PATCH',
      `/api/v1/workspaces/${s.admin.workspaceId}/widgets/${s.widget.id}`,
      {
        cookie: s.admin.cookie,
        body: { requireIdentity: true },
      },
    );
    expect(patch.body.requireIdentity).toBe(true);

    const fresh = await new Device(s, s.widget).start();
    expect([fresh.status, fresh.body.error.code]).toEqual([401, 'identity_required']);
    const withCookie = await anonymous.start();
    expect([withCookie.status, withCookie.body.error.code]).toEqual([401, 'identity_required']);
    const ticket = await http(s.server, 'POST', '/api/v1/visitor/tickets', {
      body: {},
      headers: { authorization: `Bearer ${before.credential}` },
    });
    expect([ticket.status, ticket.body.error.code]).toEqual([401, 'identity_required']);

    const verified = await new Device(s, s.widget).session(signed('dave'));
    const probe = await connectVisitor(s.server, verified.credential);
    probe.close();
  });

  it('lets the site backend find the visitor and conversation of its verified user with a token', async () => {
    const session = await new Device(s, s.widget).session(signed('customer-7'));
    const { token } = await createToken(s.server, s.admin, ['visitors:read', 'messages:write']);
    const base = `/api/v1/workspaces/${s.admin.workspaceId}/visitors`;
    const lookup = (userId: string) =>
      tokenCall(s.server, token, 'POST', `${base}/by-user`, { widgetId: s.widget.id, userId });
    const found = await lookup('customer-7');
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        id: session.visitor.id,
        userId: 'customer-7',
        openConversationId: session.conversationId,
      }),
    ]);
    const none = await lookup('customer-8');
    expect(none.body.items).toEqual([]);
    const byId = await tokenCall(s.server, token, 'GET', `${base}/${s.visitor.visitor.id}/summary`);
    expect(byId.body).toMatchObject({ id: s.visitor.visitor.id, userId: null });
    const sent = await tokenCall(
      s.server,
      token,
      'POST',
      `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${session.conversationId}/messages`,
      { clientId: 'backend-to-customer-7', body: 'Your refund was issued.' },
    );
    expect(sent.status).toBe(201);
  });

  it('shows and rotates the secret for administrators only; a rotated secret refuses old hashes', async () => {
    const base = `/api/v1/workspaces/${s.admin.workspaceId}/widgets/${s.widget.id}`;
    const widget = await http(s.server, 'GET', base, { cookie: s.admin.cookie });
    expect(JSON.stringify(widget.body)).not.toContain(secret);
    expect(widget.body.requireIdentity).toBe(false);
    const supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    const denied = await http(s.server, 'GET', `${base}/identity-secret`, { cookie: supervisor.cookie });
    expect(denied.status).toBe(403);

    const oldHash = signed('erin');
    expect((await new Device(s, s.widget).start(oldHash)).status).toBe(201);
    const rotated = await http<WidgetIdentitySecret>(s.server, 'POST', `${base}/identity-secret/rotate`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    expect(await revealSecret()).toBe(rotated.body.secret);
    const refused = await new Device(s, s.widget).start(oldHash);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'identity_invalid']);
    expect((await new Device(s, s.widget).start(signed('erin', rotated.body.secret))).status).toBe(201);

    const audit = await s.server.db.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'details'])
      .where('action', 'like', 'widget.identity_secret.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'widget.identity_secret.viewed',
      'widget.identity_secret.rotated',
      'widget.identity_secret.viewed',
    ]);
    expect(JSON.stringify(audit)).not.toContain(rotated.body.secret);
  });
});
