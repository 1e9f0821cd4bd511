import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { PASSWORD, type TestAgent } from '../../../test/support/clients.js';
import { type RawResponse, rawRequest } from '../../../test/support/raw-http.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';
import { createSetupLink } from '../../modules/auth/create-setup-link.js';
import { loadBuiltAssets } from './static-routes.js';

/**
 * Every kind of response Parley sends over HTTPS carries the security headers: not only pages and
 * API answers but errors, refusals, redirects, 404s, static files, 304s, HEAD answers, a refused
 * WebSocket upgrade and the raw answer to a malformed request.
 */
function expectSecurityHeaders(res: RawResponse, label: string, kind: 'api' | 'page' | 'frame' | 'other') {
  const h = res.headers;
  expect(h['strict-transport-security'], label).toBe('max-age=31536000; includeSubDomains');
  expect(h['x-content-type-options'], label).toBe('nosniff');
  expect(h['referrer-policy'], label).toBe('no-referrer');
  expect(h['cross-origin-resource-policy'], label).toMatch(/^(same-origin|cross-origin)$/);
  expect(h['cross-origin-opener-policy'], label).toBe('same-origin');
  if (kind === 'page') {
    // The dashboard's pages: camera, microphone and screen sharing for calls, its own origin only.
    expect(h['permissions-policy'], label).toBe(
      'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()',
    );
  } else {
    expect(h['permissions-policy'], label).toContain('camera=()');
  }
  const csp = String(h['content-security-policy'] ?? '');
  expect(csp, label).toMatch(/default-src '(none|self)'/);
  expect(csp, label).toContain(`base-uri 'none'`);
  expect(csp, label).toContain(`object-src 'none'`);
  expect(csp, label).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  if (kind === 'frame') {
    expect(csp, label).toContain('frame-ancestors https://shop.example.com;');
    expect(h['x-frame-options'], label).toBeUndefined();
  } else {
    expect(csp, label).toContain(`frame-ancestors 'none'`);
    expect(h['x-frame-options'], label).toBe('DENY');
  }
  if (kind !== 'other') expect(h['cache-control'], label).toBe('no-store');
  // CORS is granted only by the widget lookup, to the widget's own origins: nothing here.
  expect(h['access-control-allow-origin'], label).toBeUndefined();
  expect(h['access-control-allow-credentials'], label).toBeUndefined();
  expect(String(h.server ?? ''), label).not.toMatch(/\d/);
  expect(h['x-powered-by'], label).toBeUndefined();
}

describe('security headers on every response over HTTPS', () => {
  let certs: TestCertificates;
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;

  beforeAll(async () => {
    certs = createTestCertificates();
    database = await createTestDatabase('sqlite');
    server = await startTestServer({
      database,
      host: 'localhost',
      tls: certs,
      env: { PARLEY_RATE_LIMITS: 'widget-lookup=1/60' },
    });
    admin = await setupViaRaw(server, certs);
    widget = await createWidgetViaRaw(server, certs, admin);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    certs?.remove();
  });

  const get = (path: string, options: Parameters<typeof rawRequest>[1] = {}) =>
    rawRequest(server.url, { ...options, path, ca: certs.ca });

  it('covers API answers, API errors and refusals', async () => {
    const origin = server.origin;
    const cases: Array<[string, Promise<RawResponse>, number]> = [
      ['API JSON', get('/api/v1/auth/me', { headers: { cookie: admin.cookie } }), 200],
      ['unauthenticated', get('/api/v1/auth/me'), 401],
      ['API 404', get('/api/v1/nothing-here'), 404],
      [
        'validation error',
        get(`/api/v1/workspaces/${admin.workspaceId}/widgets/not-a-uuid`, {
          headers: { cookie: admin.cookie },
        }),
        400,
      ],
      [
        'bad JSON',
        get('/api/v1/auth/login', { method: 'POST', headers: { origin }, body: '{"email":' }),
        400,
      ],
      [
        'wrong media type',
        get('/api/v1/auth/login', {
          method: 'POST',
          headers: { origin, 'content-type': 'text/plain' },
          body: 'x',
        }),
        415,
      ],
      [
        'cross-origin refusal',
        get('/api/v1/auth/logout', {
          method: 'POST',
          headers: { origin: 'https://evil.example' },
          body: '{}',
        }),
        403,
      ],
      [
        'method not allowed / unknown',
        get('/api/v1/auth/me', { method: 'DELETE', headers: { origin }, body: '{}' }),
        404,
      ],
      [
        'preflight',
        get('/api/v1/auth/login', {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        }),
        404,
      ],
      ['host refusal', get('/api/v1/auth/me', { headers: { host: 'attacker.example' } }), 421],
      // Refused by the router before any route or hook runs.
      [
        'bad URL encoding',
        get(`/api/v1/workspaces/${admin.workspaceId}/conversations/%E0%A4%A`, {
          headers: { cookie: admin.cookie },
        }),
        400,
      ],
      [
        'over-long path parameter',
        get(`/api/v1/workspaces/${admin.workspaceId}/conversations/${'a'.repeat(200)}`, {
          headers: { cookie: admin.cookie },
        }),
        400,
      ],
    ];
    for (const [label, pending, status] of cases) {
      const res = await pending;
      expect(res.status, `${label}: ${res.body}`).toBe(status);
      expectSecurityHeaders(res, label, 'api');
      expect(res.json?.error?.code ?? (status === 200 ? 'ok' : undefined), label).toBeDefined();
    }
  });

  it('covers a rate-limited answer', async () => {
    const path = `/api/v1/widgets/${widget.id}/public`;
    await get(path);
    const limited = await get(path);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectSecurityHeaders(limited, '429', 'api');
  });

  it('covers dashboard pages, assets, the widget loader and frame, 304s, HEAD and page 404s', async () => {
    const assets = loadBuiltAssets();
    const script = [...assets.dashboard.keys()].find((k) => k.startsWith('assets/') && k.endsWith('.js'));
    expect(script, 'run `npm run build` first').toBeDefined();
    const page = await get('/inbox', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, 'SPA page', 'page');
    expectSecurityHeaders(await get('/', { method: 'HEAD' }), 'HEAD page', 'page');
    const asset = await get(`/${script}`);
    expect(asset.status).toBe(200);
    expectSecurityHeaders(asset, 'asset', 'other');
    const cached = await get(`/${script}`, { headers: { 'if-none-match': String(asset.headers.etag) } });
    expect(cached.status).toBe(304);
    expectSecurityHeaders(cached, '304', 'other');
    const loader = await get('/widget.js');
    expect(loader.status).toBe(200);
    expectSecurityHeaders(loader, 'loader', 'other');
    const frame = await get(`/w/${widget.id}`);
    expect(frame.status).toBe(200);
    expectSecurityHeaders(frame, 'widget frame', 'frame');
    const missing = await get('/no-such-page', { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, 'page 404', 'other');
    const redirect = await get('/inbox', { headers: { host: 'attacker.example', accept: 'text/html' } });
    expect(redirect.status).toBe(308);
    expectSecurityHeaders(redirect, 'host redirect', 'other');
  });

  it('covers a refused WebSocket upgrade', async () => {
    const res = await get('/ws', {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-protocol': 'parley.v1',
        origin: 'https://evil.example',
        cookie: admin.cookie,
      },
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('cross_origin_refused');
    expectSecurityHeaders(res, 'WS refusal', 'api');
  });

  /** Writes a request exactly as given, for what no HTTP client library will send. */
  const exchange = (request: string) =>
    new Promise<{ statusLine: string; res: RawResponse }>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: Number(new URL(server.url).port), servername: 'localhost', ca: certs.ca },
        () => {
          socket.write(request);
        },
      );
      let out = '';
      socket.on('data', (c: Buffer) => {
        out += c;
      });
      socket.on('close', () => {
        const [head = '', body = ''] = out.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        const status = Number(statusLine.split(' ')[1]);
        resolve({ statusLine, res: { status, headers, body, json: JSON.parse(body) } });
      });
      socket.on('error', reject);
    });

  it('covers the raw answer to a malformed request', async () => {
    const { statusLine, res } = await exchange('GET /\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.json.error.code).toBe('invalid_request');
    expectSecurityHeaders(res, 'malformed request', 'api');
  });

  it('covers a request without a Host header', async () => {
    const { res } = await exchange('GET /api/v1/auth/me HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(421);
    expect(res.json.error.code).toBe('host_not_allowed');
    expectSecurityHeaders(res, 'no Host', 'api');
  });
});

/** The shared helpers use fetch, which cannot be told about the test CA; these go through rawRequest. */
async function setupViaRaw(server: TestServer, certs: TestCertificates): Promise<TestAgent> {
  const link = await createSetupLink({ db: server.db.db, config: server.config });
  const token = new URL(link?.url ?? '').hash.replace('#token=', '');
  const res = await rawRequest(server.url, {
    method: 'POST',
    path: '/api/v1/setup',
    ca: certs.ca,
    headers: { origin: server.origin },
    body: JSON.stringify({
      token,
      email: 'admin@example.com',
      name: 'Ada',
      password: PASSWORD,
      workspaceName: 'W',
    }),
  });
  expect(res.status).toBe(201);
  const cookie = String(res.headers['set-cookie']?.find((c) => c.startsWith('__Host-parley_session=')));
  return { cookie: cookie.split(';')[0] as string, me: res.json, workspaceId: res.json.workspace.id };
}

async function createWidgetViaRaw(
  server: TestServer,
  certs: TestCertificates,
  admin: TestAgent,
): Promise<Widget> {
  const res = await rawRequest(server.url, {
    method: 'POST',
    path: `/api/v1/workspaces/${admin.workspaceId}/widgets`,
    ca: certs.ca,
    headers: { origin: server.origin, cookie: admin.cookie },
    body: JSON.stringify({ name: 'Site', allowedOrigins: ['https://shop.example.com'], greeting: 'Hi' }),
  });
  expect(res.status).toBe(201);
  return res.json as Widget;
}
