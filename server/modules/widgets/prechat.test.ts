import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { PrechatSettings } from '../../../protocol/prechat.js';
import {
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { ar } from '../../i18n/ar.js';
import { en } from '../../i18n/en.js';

const SITE = 'https://shop.example.com';
const POLICY = 'https://shop.example.com/privacy';

describe.each(DIALECTS)('pre-chat form (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;

  const path = () => `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/prechat`;
  const put = (body: unknown) => http(server, 'PUT', path(), { cookie: admin.cookie, body });
  const answer = (visitor: VisitorSession, body: Record<string, unknown>) =>
    http(server, 'POST', '/api/v1/visitor/prechat', {
      headers: { authorization: `Bearer ${visitor.credential}` },
      body: { widgetId: widget.id, ...body },
    });
  const profile = async (visitor: VisitorSession) =>
    (
      await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/visitors/${visitor.visitor.id}`, {
        cookie: admin.cookie,
      })
    ).body;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin, [SITE]);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('is off until an administrator turns it on; a visitor then has no form and cannot answer one', async () => {
    const got = await http<PrechatSettings>(server, 'GET', path(), { cookie: admin.cookie });
    expect(got.body).toEqual({
      widgetId: widget.id,
      enabled: false,
      name: 'optional',
      email: 'optional',
      consent: 'off',
      privacyUrl: null,
    });
    const visitor = await startVisitor(server, widget);
    expect(visitor.widget.prechat).toBeUndefined();
    const res = await answer(visitor, { name: 'Ada' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('prechat_not_enabled');
  });

  it('refuses a privacy policy that is not a plain https address, and a consent box without one', async () => {
    const base = { enabled: true, name: 'optional', email: 'optional', consent: 'optional' };
    for (const privacyUrl of [
      'http://shop.example.com/privacy',
      'javascript:alert(1)//https://x.example',
      'https://user:pw@shop.example.com/privacy',
      `https://shop.example.com/${'a'.repeat(2100)}`,
    ]) {
      const res = await put({ ...base, privacyUrl });
      expect(res.status, privacyUrl.slice(0, 60)).toBe(400);
      expect(['privacy_url_invalid', 'invalid_request']).toContain(res.body.error.code);
    }
    const none = await put({ ...base, privacyUrl: null });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('privacy_url_invalid');
    const unknown = await put({ ...base, privacyUrl: POLICY, name: 'always' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_request');
    // Nothing was half-written by the refusals.
    expect((await http(server, 'GET', path(), { cookie: admin.cookie })).body.enabled).toBe(false);
  });

  it('shows the form in the session, in the visitor’s language, and keeps what was filled in', async () => {
    const saved = await put({
      enabled: true,
      name: 'optional',
      email: 'required',
      consent: 'optional',
      privacyUrl: POLICY,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, email: 'required', privacyUrl: POLICY });
    const audit = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/audit`, {
      cookie: admin.cookie,
    });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('widget.prechat_updated');

    const visitor = await startVisitor(server, widget);
    expect(visitor.widget.prechat).toEqual({
      name: 'optional',
      email: 'required',
      consent: 'optional',
      privacyUrl: POLICY,
      consentText: en.prechatConsent,
    });

    // A required field left empty: a stable code, and nothing stored.
    const missing = await answer(visitor, { name: 'Ada' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'prechat_field_required', details: ['email'] });
    expect((await profile(visitor)).name).toBeNull();

    const bad = await answer(visitor, { email: 'not an email' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const long = await answer(visitor, { name: 'x'.repeat(101), email: 'ada@example.com' });
    expect(long.status).toBe(400);

    const ok = await answer(visitor, { name: ' Ada ', email: 'ada@example.com', consent: true });
    expect(ok.status).toBe(204);
    const p = await profile(visitor);
    expect(p).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    // The consent: when, the sentence shown, and the policy linked.
    expect(p.custom['consent.text']).toBe(en.prechatConsent);
    expect(p.custom['consent.policy']).toBe(POLICY);
    expect(Number.isNaN(Date.parse(p.custom['consent.at']))).toBe(false);

    // Resumed after the visitor wrote: the form is not asked again.
    const fresh = await startVisitor(server, widget);
    expect(fresh.widget.prechat).toBeDefined();
    const probe = await connectVisitor(server, fresh.credential);
    probe.sendMessage(fresh.conversationId, 'Hi');
    await probe.until((p) => p.of('message.ack').length > 0, 'the ack');
    probe.close();
    const resumed = await startVisitor(server, widget, fresh.credential);
    expect(resumed.conversationId).toBe(fresh.conversationId);
    expect(resumed.widget.prechat).toBeUndefined();

    // The email makes the visitor a lead (and what email continuity mails to).
    const leads = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/leads`, {
      cookie: admin.cookie,
    });
    expect(JSON.stringify(leads.body)).toContain(visitor.visitor.id);
  });

  it('records a consent in the language the visitor was shown, and refuses a missing required one', async () => {
    await put({ enabled: true, name: 'off', email: 'optional', consent: 'required', privacyUrl: POLICY });
    const res = await http<VisitorSession>(server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: widget.id, hostOrigin: SITE, language: 'ar' },
    });
    const visitor = res.body;
    expect(visitor.widget.prechat).toMatchObject({
      name: 'off',
      consent: 'required',
      consentText: ar.prechatConsent,
    });
    const refused = await answer(visitor, { email: 'layla@example.com' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('consent_required');
    // A field the form does not ask is not stored, even when sent.
    expect((await answer(visitor, { name: 'Layla', consent: true })).status).toBe(204);
    const p = await profile(visitor);
    expect(p.name).toBeNull();
    expect(p.custom['consent.text']).toBe(ar.prechatConsent);
  });

  it('takes nothing from a visitor of another widget, nor without a credential', async () => {
    const other = await createWidget(server, admin, ['https://other.example.com']);
    const stranger = await startVisitor(server, other);
    const res = await answer(stranger, { email: 'x@example.com', consent: true });
    expect(res.status).toBe(401);
    const anonymous = await http(server, 'POST', '/api/v1/visitor/prechat', {
      body: { widgetId: widget.id, email: 'x@example.com' },
    });
    expect(anonymous.status).toBe(401);
  });
});
