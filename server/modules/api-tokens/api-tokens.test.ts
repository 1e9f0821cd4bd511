import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiToken } from '../../../protocol/api-tokens.js';
import type { Message } from '../../../protocol/common.js';
import { createToken, tokenCall } from '../../../test/support/api-tokens.js';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { logCapture } from '../../../test/support/log-capture.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer } from '../../../test/support/test-server.js';
import { clock } from '../../platform/clock.js';
import { identityHash } from '../visitors/verify-identity.js';
import { createWorkspace } from '../workspaces/create-workspace.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('API tokens (%s)', (dialect) => {
  let s: Scenario;
  const realNow = clock.now;
  let offset = 0;
  beforeEach(async () => {
    s = await startScenario(dialect);
    offset = 0;
    clock.now = () => realNow() + offset;
  });
  afterEach(async () => {
    clock.now = realNow;
    await s.close();
  });
  const conversations = () => `/api/v1/workspaces/${s.admin.workspaceId}/conversations`;
  const messages = () => `${conversations()}/${s.visitor.conversationId}/messages`;
  const list = async () =>
    (
      await http<{ items: ApiToken[] }>(
        s.server,
        'GET',
        `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens`,
        {
          cookie: s.admin.cookie,
        },
      )
    ).body.items;

  it('shows a token once, lets its backend read and write within its scopes, and ends it on revoke', async () => {
    const created = await createToken(s.server, s.admin, ['conversations:read', 'messages:write'], {
      name: 'Order system',
    });
    expect(created.token).toMatch(/^prt_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(`${created.apiToken.prefix}_`)).toBe(true);
    expect(created.apiToken).toMatchObject({
      name: 'Order system',
      scopes: ['conversations:read', 'messages:write'],
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });

    // Reading: the conversation list and its messages.
    const listed = await tokenCall(s.server, created.token, 'GET', conversations());
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(s.visitor.conversationId);
    expect((await tokenCall(s.server, created.token, 'GET', messages())).status).toBe(200);

    // Writing: the visitor sees the message live, authored by the token.
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
    const sent = await tokenCall(s.server, created.token, 'POST', messages(), {
      clientId: 'backend-order-1001-x',
      body: 'Your order #1001 has shipped.',
    });
    expect(sent.status).toBe(201);
    const again = await tokenCall(s.server, created.token, 'POST', messages(), {
      clientId: 'backend-order-1001-x',
      body: 'Your order #1001 has shipped.',
    });
    expect(again.body).toMatchObject({ seq: sent.body.seq, duplicate: true });
    await visitor.until((p) =>
      p.of('message.new').some((f) => f.message.clientId === 'backend-order-1001-x'),
    );
    const live = visitor.of('message.new').find((f) => f.message.clientId === 'backend-order-1001-x');
    expect(live?.message.author).toEqual({ kind: 'api', id: created.apiToken.id, name: 'Order system' });
    visitor.close();

    // Last use is recorded, but written at most once a minute.
    const [afterUse] = await list();
    expect(afterUse?.lastUsedAt).not.toBeNull();
    offset += 30_000;
    await tokenCall(s.server, created.token, 'GET', conversations());
    expect((await list())[0]?.lastUsedAt).toBe(afterUse?.lastUsedAt);
    offset += 31_000;
    await tokenCall(s.server, created.token, 'GET', conversations());
    expect(Date.parse((await list())[0]?.lastUsedAt ?? '')).toBeGreaterThan(
      Date.parse(afterUse?.lastUsedAt ?? ''),
    );

    // Revoked: refused from the next request on, and listed as revoked.
    const revoked = await http<ApiToken>(
      s.server,
      'POST',
      `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens/${created.apiToken.id}/revoke`,
      { cookie: s.admin.cookie, body: {} },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await tokenCall(s.server, created.token, 'GET', conversations());
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_invalid');
    expect((await list())[0]?.revokedAt).toBe(revoked.body.revokedAt);

    // The audit log has creation and revocation, with ids and scopes and nothing secret.
    const audit = await s.server.db.db
      .selectFrom('audit_events')
      .selectAll()
      .where('workspace_id', '=', s.admin.workspaceId)
      .where('action', 'like', 'token.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_type, a.actor_id, a.target_id])).toEqual([
      ['token.created', 'user', s.admin.me.user.id, created.apiToken.id],
      ['token.revoked', 'user', s.admin.me.user.id, created.apiToken.id],
    ]);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({
      scopes: '["conversations:read","messages:write"]',
    });
    const secretPart = created.token.slice(created.apiToken.prefix.length + 1);
    expect(JSON.stringify(audit)).not.toContain(secretPart);

    // Revoking again changes nothing and records nothing.
    await http(
      s.server,
      'POST',
      `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens/${created.apiToken.id}/revoke`,
      {
        cookie: s.admin.cookie,
        body: {},
      },
    );
    const count = await s.server.db.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'token.revoked')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('expires a token at its expiry time', async () => {
    const { token, apiToken } = await createToken(s.server, s.admin, ['conversations:read'], {
      expiresInDays: 30,
    });
    expect(Date.parse(apiToken.expiresAt ?? '') - Date.parse(apiToken.createdAt)).toBe(30 * DAY);
    offset = 30 * DAY - 60_000;
    expect((await tokenCall(s.server, token, 'GET', conversations())).status).toBe(200);
    offset = 30 * DAY;
    const res = await tokenCall(s.server, token, 'GET', conversations());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_invalid');
  });

  it('confines a token to its scopes and its workspace', async () => {
    const reader = await createToken(s.server, s.admin, ['conversations:read']);
    const writer = await createToken(s.server, s.admin, ['messages:write']);
    const body = { clientId: 'scope-check-00000001', body: 'hello' };
    const noWrite = await tokenCall(s.server, reader.token, 'POST', messages(), body);
    expect([noWrite.status, noWrite.body.error.code]).toEqual([403, 'forbidden']);
    expect(noWrite.body.error.details).toEqual(['required scope: messages:write']);
    const noRead = await tokenCall(s.server, writer.token, 'GET', messages());
    expect([noRead.status, noRead.body.error.code]).toEqual([403, 'forbidden']);

    // Another workspace's token sees this workspace as if it did not exist.
    const other = await createWorkspace({ db: s.server.db.db, name: 'Elsewhere' });
    const outsider = await setupAdmin(s.server, other.id, 'admin@elsewhere.example');
    const foreign = await createToken(s.server, outsider, ['conversations:read', 'messages:write']);
    for (const [method, path] of [
      ['GET', conversations()],
      ['GET', messages()],
      ['POST', messages()],
    ] as const) {
      const res = await tokenCall(
        s.server,
        foreign.token,
        method,
        path,
        method === 'POST' ? body : undefined,
      );
      expect([res.status, res.body.error.code], `${method} ${path}`).toEqual([404, 'not_found']);
    }
    // Its own workspace works: the id of a conversation elsewhere is simply not found there.
    const own = await tokenCall(
      s.server,
      foreign.token,
      'GET',
      `/api/v1/workspaces/${outsider.workspaceId}/conversations/${s.visitor.conversationId}`,
    );
    expect([own.status, own.body.error.code]).toEqual([404, 'conversation_not_found']);
  });

  it('refuses unknown, malformed and tampered tokens alike', async () => {
    const { token } = await createToken(s.server, s.admin, ['conversations:read']);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `prt_zzzzzzzz_${'A'.repeat(43)}`;
    for (const t of [tampered, unknown]) {
      const res = await tokenCall(s.server, t, 'GET', conversations());
      expect([res.status, res.body.error.code]).toEqual([401, 'token_invalid']);
    }
    // Not token-shaped: the request is simply not authenticated.
    const malformed = await tokenCall(s.server, 'prt_short', 'GET', conversations());
    expect([malformed.status, malformed.body.error.code]).toEqual([401, 'unauthenticated']);
  });

  it('skips the CSRF Origin check only for a token call without cookies', async () => {
    const { token } = await createToken(s.server, s.admin, ['messages:write']);
    const body = { clientId: 'csrf-check-000000001', body: 'from the backend' };
    // A cookie-authenticated request from another site is refused as before, token or not.
    for (const headers of [{}, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      const res = await http(s.server, 'POST', messages(), {
        cookie: s.admin.cookie,
        origin: 'https://evil.example',
        headers,
        body,
      });
      expect([res.status, res.body.error.code]).toEqual([403, 'cross_origin_refused']);
    }
    // A cookie request without any Origin is still refused.
    const bare = await http(s.server, 'POST', messages(), { cookie: s.admin.cookie, origin: null, body });
    expect([bare.status, bare.body.error.code]).toEqual([403, 'cross_origin_refused']);
    // A token with a browser's cross-site Origin is refused too; a plain backend call goes through.
    const crossSite = await http(s.server, 'POST', messages(), {
      origin: 'https://evil.example',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'cross_origin_refused']);
    expect((await tokenCall(s.server, token, 'POST', messages(), body)).status).toBe(201);
    // JSON is still required.
    const form = await http(s.server, 'POST', messages(), {
      origin: null,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'clientId=x&body=y',
    });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('lets only administrators manage tokens, and validates what they send', async () => {
    const supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    const denied = await http(s.server, 'POST', `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens`, {
      cookie: supervisor.cookie,
      body: { name: 'x', scopes: ['conversations:read'] },
    });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['everything'] },
      { name: 'x', scopes: ['conversations:read', 'conversations:read'] },
      { name: '   ', scopes: ['conversations:read'] },
      { name: 'x', scopes: ['conversations:read'], expiresInDays: 0 },
      { name: 'x', scopes: ['conversations:read'], expiresInDays: 731 },
      { name: 'x'.repeat(81), scopes: ['conversations:read'] },
    ]) {
      const res = await http(s.server, 'POST', `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens`, {
        cookie: s.admin.cookie,
        body,
      });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    const missing = await http(
      s.server,
      'POST',
      `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens/00000000-0000-4000-8000-000000000000/revoke`,
      { cookie: s.admin.cookie, body: {} },
    );
    expect(missing.status).toBe(404);
  });

  it('never shows the token again: not in lists, messages or the database', async () => {
    const { token, apiToken } = await createToken(s.server, s.admin, [
      'conversations:read',
      'messages:write',
    ]);
    await tokenCall(s.server, token, 'POST', messages(), { clientId: 'no-leak-check-000001', body: 'hi' });
    const responses = [
      await http(s.server, 'GET', `/api/v1/workspaces/${s.admin.workspaceId}/api-tokens`, {
        cookie: s.admin.cookie,
      }),
      await http(s.server, 'GET', messages(), { cookie: s.admin.cookie }),
      await tokenCall(s.server, token, 'GET', messages()),
    ];
    const secretPart = token.slice(apiToken.prefix.length + 1);
    for (const res of responses) {
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain('token_hash');
    }
    const items = (responses[1]?.body as { items: Message[] } | undefined)?.items ?? [];
    expect(items.at(-1)?.author).toEqual({ kind: 'api', id: apiToken.id, name: 'Site backend' });
    const stored = await s.server.db.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secretPart);
  });
});

describe('API tokens in the server log', () => {
  it('never logs a token, a widget secret or a site user id, in requests that succeed or fail', async () => {
    const { stream, lines } = logCapture();
    const database = await createTestDatabase('sqlite');
    const server = await startTestServer({ database, logStream: stream });
    try {
      const admin = await setupAdmin(server);
      const widget = await createWidget(server, admin);
      const visitor = await startVisitor(server, widget);
      const { token, apiToken } = await createToken(server, admin, ['conversations:read']);
      const base = `/api/v1/workspaces/${admin.workspaceId}/conversations`;
      expect((await tokenCall(server, token, 'GET', base)).status).toBe(200);
      expect(
        (await tokenCall(server, token, 'POST', `${base}/${visitor.conversationId}/messages`, {})).status,
      ).toBe(403);
      expect((await tokenCall(server, token, 'GET', '/api/v1/auth/me')).status).toBe(403);
      await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/api-tokens/${apiToken.id}/revoke`, {
        cookie: admin.cookie,
        body: {},
      });
      expect((await tokenCall(server, token, 'GET', base)).status).toBe(401);

      // Identity verification: the secret, the user id and its hash stay out of the log too.
      const secret = (
        await http(
          server,
          'GET',
          `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/identity-secret`,
          {
            cookie: admin.cookie,
          },
        )
      ).body.secret as string;
      const userId = 'private-user-4711@example.org';
      const userHash = identityHash(secret, userId);
      const started = await http(server, 'POST', '/api/v1/visitor/sessions', {
        body: { widgetId: widget.id, hostOrigin: widget.allowedOrigins[0], identity: { userId, userHash } },
      });
      expect(started.status).toBe(201);
      const reader = await createToken(server, admin, ['visitors:read']);
      const found = await tokenCall(
        server,
        reader.token,
        'POST',
        `/api/v1/workspaces/${admin.workspaceId}/visitors/by-user`,
        {
          widgetId: widget.id,
          userId,
        },
      );
      expect(found.body.items).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 100));
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(5);
      expect(log).toContain('security event token.created');
      expect(log).not.toContain(token.slice(apiToken.prefix.length + 1));
      expect(log).not.toContain(token);
      for (const secretText of [secret, userId, userHash, reader.token])
        expect(log).not.toContain(secretText);
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
