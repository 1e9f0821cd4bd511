import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import { isErrorCode } from '../../../protocol/errors.js';
import {
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import type { TestServer } from '../../../test/support/test-server.js';
import { createSetupLink } from '../../modules/auth/create-setup-link.js';
import { createWorkspace } from '../../modules/workspaces/create-workspace.js';

describe.each(DIALECTS)('HTTP surface (%s)', (dialect) => {
  let scenario: Scenario;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;
  let visitor: VisitorSession;

  beforeAll(async () => {
    scenario = await startScenario(dialect);
    ({ server, admin, widget, visitor } = scenario);
  });
  afterAll(async () => scenario.close());

  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;

  it('sends security headers on API responses', async () => {
    const res = await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain(`default-src 'none'`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('serves the dashboard with a strict CSP, no inline code allowed, and no framing', async () => {
    const res = await fetch(`${server.url}/inbox`, { headers: { accept: 'text/html' } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(res.status).toBe(200);
    expect(csp).toContain(`script-src 'self'`);
    expect(csp).toContain(`frame-ancestors 'none'`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
  });

  it('serves the widget frame with frame-ancestors set to exactly the allowed origins', async () => {
    const res = await fetch(`${server.url}/w/${widget.id}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(res.status).toBe(200);
    expect(csp).toContain('frame-ancestors https://shop.example.com;');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toContain(visitor.credential);
  });

  it('serves the loader and the scripts it adds to other origins, briefly cached', async () => {
    for (const name of ['widget.js', 'widget-chat.js', 'widget-tip.js']) {
      const res = await fetch(`${server.url}/${name}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toContain('javascript');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      // Not under the immutable asset path: a fixed name must not be cached for a year.
      expect((await fetch(`${server.url}/widget-assets/${name}`)).status).toBe(404);
    }
  });

  it('refuses cross-origin and non-JSON state-changing requests', async () => {
    const evil = await http(server, 'POST', `${ws()}/widgets`, {
      cookie: admin.cookie,
      origin: 'https://evil.example',
      body: { name: 'x', allowedOrigins: ['https://a.example'], greeting: '' },
    });
    expect(evil).toMatchObject({ status: 403, body: { error: { code: 'cross_origin_refused' } } });
    const noOrigin = await http(server, 'POST', '/api/v1/auth/logout', {
      cookie: admin.cookie,
      origin: null,
      body: {},
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(noOrigin.body.error.code).toBe('cross_origin_refused');
    const form = await http(server, 'POST', '/api/v1/auth/login', {
      rawBody: 'email=a%40b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    const me = await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie });
    expect(me.status).toBe(200);
  });

  it('answers only for its public host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const answer = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string; location?: string }>((resolve, reject) => {
        const url = new URL(`${server.url}/api/v1/setup`);
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body,
              ...(res.headers.location ? { location: res.headers.location } : {}),
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const api = await answer({ host: 'attacker.example' });
    expect(api.status).toBe(421);
    expect(JSON.parse(api.body).error.code).toBe('host_not_allowed');
    const page = await answer({ host: 'attacker.example', accept: 'text/html' });
    expect(page.status).toBe(308);
    expect(page.location).toBe(`${server.url}/api/v1/setup`);
  });

  it('answers bad input with a stable code and a readable message, never a 5xx', async () => {
    const cases: Array<[string, string, Parameters<typeof http>[3], number, string]> = [
      ['POST', '/api/v1/auth/login', { rawBody: '{"email":' }, 400, 'invalid_json'],
      ['POST', '/api/v1/auth/login', { body: { email: 'a@b.c', password: 5 } }, 400, 'invalid_request'],
      [
        'POST',
        '/api/v1/auth/login',
        { body: { email: 'a@b.c', password: 'x', admin: true } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/api/v1/auth/login',
        { body: { email: 'nobody@example.com', password: 'whatever-long' } },
        401,
        'invalid_credentials',
      ],
      [
        'POST',
        '/api/v1/auth/login',
        { body: { email: 'admin@example.com', password: 'wrong-password!' } },
        401,
        'invalid_credentials',
      ],
      [
        'POST',
        '/api/v1/auth/login',
        { rawBody: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(70_000) }) },
        413,
        'payload_too_large',
      ],
      ['GET', '/api/v1/auth/me', {}, 401, 'unauthenticated'],
      [
        'GET',
        '/api/v1/auth/me',
        { cookie: '__Host-parley_session=forged-token-value' },
        401,
        'unauthenticated',
      ],
      ['GET', '/api/v1/nothing-here', {}, 404, 'not_found'],
      ['GET', `${ws()}/widgets/not-a-uuid`, { cookie: admin.cookie }, 400, 'invalid_request'],
      [
        'GET',
        `${ws()}/widgets/00000000-0000-4000-8000-000000000000`,
        { cookie: admin.cookie },
        404,
        'widget_not_found',
      ],
      ['GET', `${ws()}/conversations?limit=9999`, { cookie: admin.cookie }, 400, 'invalid_request'],
      ['GET', `${ws()}/conversations?status=weird`, { cookie: admin.cookie }, 400, 'invalid_request'],
      [
        'POST',
        `${ws()}/widgets`,
        { cookie: admin.cookie, body: { name: 'x', allowedOrigins: ['javascript:alert(1)'], greeting: '' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        `${ws()}/widgets`,
        { cookie: admin.cookie, body: { name: 'x', allowedOrigins: [], greeting: '' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        `${ws()}/conversations/${visitor.conversationId}/messages`,
        { cookie: admin.cookie, body: { clientId: 'aaaaaaaaaaaaaaaaaaaa', body: 'x'.repeat(4001) } },
        400,
        'invalid_request',
      ],
      ['GET', '/api/v1/widgets/00000000-0000-4000-8000-000000000000/public', {}, 404, 'widget_not_found'],
      [
        'POST',
        '/api/v1/visitor/sessions',
        {
          body: { widgetId: '00000000-0000-4000-8000-000000000000', hostOrigin: 'https://shop.example.com' },
        },
        404,
        'widget_not_found',
      ],
      [
        'POST',
        '/api/v1/visitor/sessions',
        { body: { widgetId: widget.id, hostOrigin: 'https://evil.example' } },
        403,
        'origin_not_allowed',
      ],
      [
        'POST',
        '/api/v1/visitor/sessions',
        {
          origin: 'https://evil.example',
          body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
        },
        403,
        'origin_not_allowed',
      ],
      [
        'POST',
        '/api/v1/visitor/sessions',
        {
          body: {
            widgetId: widget.id,
            hostOrigin: 'https://shop.example.com',
            credential: 'forged-credential-aaaaaaaaaaaa',
          },
        },
        401,
        'credential_invalid',
      ],
      [
        'POST',
        '/api/v1/visitor/tickets',
        { body: {}, headers: { authorization: 'Bearer forged-credential-aaaaaaaaaaaa' } },
        401,
        'credential_invalid',
      ],
      ['POST', '/api/v1/visitor/tickets', { body: {} }, 401, 'credential_invalid'],
      [
        'POST',
        '/api/v1/setup',
        {
          body: {
            token: 'x'.repeat(43),
            email: 'b@example.com',
            name: 'B',
            password: 'long enough password',
            workspaceName: 'W',
          },
        },
        400,
        'setup_token_invalid',
      ],
    ];
    for (const [method, path, options, status, code] of cases) {
      const res = await http(server, method, path, options);
      const label = `${method} ${path} ${JSON.stringify(options).slice(0, 120)}`;
      expect(res.status, label).toBe(status);
      expect(res.body?.error?.code, label).toBe(code);
      expect(isErrorCode(res.body.error.code)).toBe(true);
      expect(res.body.error.message.length, label).toBeGreaterThan(10);
      expect(JSON.stringify(res.body), label).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
    }
  });

  it('keeps the visitor credential in an HttpOnly, Secure, SameSite=None, Partitioned cookie that resumes and rotates', async () => {
    const first = await http(server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
    });
    const name = `__Host-parley_visitor_${widget.id}`;
    const set = first.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '';
    for (const attribute of [
      '; Path=/',
      '; HttpOnly',
      '; Secure',
      '; SameSite=None',
      '; Partitioned',
      '; Expires=',
    ]) {
      expect(set).toContain(attribute);
    }
    expect(set).not.toMatch(/Domain=/);
    const cookie = set.split(';')[0] as string;
    expect(cookie).toBe(`${name}=${first.body.credential}`);

    const resumed = await http(server, 'POST', '/api/v1/visitor/sessions', {
      cookie,
      body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
    });
    expect(resumed.body).toMatchObject({ resumed: true, conversationId: first.body.conversationId });
    const rotated = resumed.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0] as string;
    expect(rotated).not.toBe(cookie);

    const ticket = await http(server, 'POST', '/api/v1/visitor/tickets', {
      cookie: rotated,
      body: { widgetId: widget.id },
    });
    expect(ticket.status).toBe(201);
    const stale = await http(server, 'POST', '/api/v1/visitor/tickets', {
      cookie,
      body: { widgetId: widget.id },
    });
    expect(stale.body.error.code).toBe('credential_invalid');
    // A cookie that expired or was revoked just starts a new visitor instead of failing the widget.
    const fresh = await http(server, 'POST', '/api/v1/visitor/sessions', {
      cookie,
      body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
    });
    expect(fresh.body).toMatchObject({ resumed: false });
    expect(fresh.body.conversationId).not.toBe(first.body.conversationId);
    // A cookie is good only for its own widget.
    const elsewhere = await createWidget(server, admin, ['https://blog.example.com']);
    const wrong = await http(server, 'POST', '/api/v1/visitor/tickets', {
      cookie: `__Host-parley_visitor_${elsewhere.id}=${rotated.split('=')[1]}`,
      body: { widgetId: elsewhere.id },
    });
    expect(wrong.body.error.code).toBe('credential_invalid');
  });

  it('expires a rotated credential: the old one no longer works', async () => {
    const v = await startVisitor(server, widget);
    const rotated = await startVisitor(server, widget, v.credential);
    expect(rotated.credential).not.toBe(v.credential);
    const reuse = await http(server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com', credential: v.credential },
    });
    expect(reuse.body.error.code).toBe('credential_invalid');
    await server.db.db
      .updateTable('visitor_credentials')
      .set({ idle_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('visitor_id', '=', v.visitor.id)
      .execute();
    const expired = await http(server, 'POST', '/api/v1/visitor/tickets', {
      body: {},
      headers: { authorization: `Bearer ${rotated.credential}` },
    });
    expect(expired.body.error.code).toBe('credential_invalid');
  });

  it('hides other workspaces: their ids answer 404 exactly like unknown ones', async () => {
    const other = await createWorkspace({ db: server.db.db, name: 'Other Co' });
    const otherAdmin = await setupAdmin(server, other.id, 'boss@other.example');
    const otherWidget = await createWidget(server, otherAdmin, ['https://other.example']);
    const otherVisitor = await startVisitor(server, otherWidget);
    const probes = [
      `/api/v1/workspaces/${other.id}/conversations`,
      `/api/v1/workspaces/${other.id}/widgets`,
      `${ws()}/conversations/${otherVisitor.conversationId}`,
      `${ws()}/conversations/${otherVisitor.conversationId}/messages`,
      `${ws()}/widgets/${otherWidget.id}`,
    ];
    for (const path of probes) {
      const res = await http(server, 'GET', path, { cookie: admin.cookie });
      expect(res.status, path).toBe(404);
    }
    const write = await http(
      server,
      'POST',
      `${ws()}/conversations/${otherVisitor.conversationId}/messages`,
      {
        cookie: admin.cookie,
        body: { clientId: 'cross-workspace-1234', body: 'hi' },
      },
    );
    expect(write.status).toBe(404);
    const list = await http(server, 'GET', `${ws()}/conversations?status=all`, { cookie: admin.cookie });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(otherVisitor.conversationId);
  });

  it('makes the setup link single-use and refuses it once expired', async () => {
    const other = await createWorkspace({ db: server.db.db, name: 'Third' });
    const link = await createSetupLink({ db: server.db.db, config: server.config, workspaceId: other.id });
    const token = new URL(link?.url ?? '').hash.replace('#token=', '');
    const body = {
      token,
      email: 'first@third.example',
      name: 'First',
      password: 'a long enough password',
      workspaceName: 'Third',
    };
    expect((await http(server, 'POST', '/api/v1/setup', { body })).status).toBe(201);
    const again = await http(server, 'POST', '/api/v1/setup', {
      body: { ...body, email: 'second@third.example' },
    });
    expect(again.body.error.code).toBe('setup_token_invalid');

    const fourth = await createWorkspace({ db: server.db.db, name: 'Fourth' });
    const old = await createSetupLink({ db: server.db.db, config: server.config, workspaceId: fourth.id });
    await server.db.db
      .updateTable('setup_tokens')
      .set({ expires_at: new Date(Date.now() - 1).toISOString() })
      .where('workspace_id', '=', fourth.id)
      .execute();
    const expired = await http(server, 'POST', '/api/v1/setup', {
      body: {
        ...body,
        token: new URL(old?.url ?? '').hash.replace('#token=', ''),
        email: 'x@fourth.example',
      },
    });
    expect(expired.body.error.code).toBe('setup_token_invalid');
  });

  it('sets the session cookie with __Host- prefix, HttpOnly, Secure and SameSite=Strict, and rotates it at login', async () => {
    const res = await http(server, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'correct horse battery staple' },
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_session=')) ?? '';
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/Domain=/);
    expect(cookie.split(';')[0]).not.toBe(admin.cookie);
  });
});
