import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { rawRequest } from '../../../test/support/raw-http.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { ConfigError, loadConfig } from '../../config.js';
import { ADMIN_PAGES, isAdministrationRoute } from './admin-allowlist.js';
import { parseAddressList } from './client-address.js';

// Loopback is a whole /8: a client bound to 127.0.0.2 is another address to the server.
const ADMIN_DESK = '127.0.0.2';
const ELSEWHERE = '127.0.0.1';

describe('administration IP allow-list', () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({
      database,
      env: { PARLEY_ADMIN_ALLOWED_IPS: `${ADMIN_DESK}/32, 2001:db8::/32` },
    });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const from = (localAddress: string, method: string, path: string, body?: unknown, cookie = admin.cookie) =>
    rawRequest(server.url, {
      method,
      path,
      localAddress,
      headers: { origin: server.origin, cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lets the administrator administer from an allowed address only', async () => {
    const widgets = `/api/v1/workspaces/${admin.workspaceId}/widgets`;
    const body = { name: 'Site', allowedOrigins: ['https://shop.example.com'], greeting: 'Hi' };
    const refused = await from(ELSEWHERE, 'POST', widgets, body);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('address_not_allowed');
    const created = await from(ADMIN_DESK, 'POST', widgets, body);
    expect(created.status).toBe(201);
    const patch = `${widgets}/${created.json.id}`;
    expect((await from(ELSEWHERE, 'PATCH', patch, { name: 'Renamed' })).json.error.code).toBe(
      'address_not_allowed',
    );
    expect((await from(ADMIN_DESK, 'PATCH', patch, { name: 'Renamed' })).status).toBe(200);
    // Daily work is not administration: reading widgets, the inbox, signing in.
    expect((await from(ELSEWHERE, 'GET', widgets)).status).toBe(200);
    expect(
      (await from(ELSEWHERE, 'GET', `/api/v1/workspaces/${admin.workspaceId}/conversations`)).status,
    ).toBe(200);
    const signIn = await from(
      ELSEWHERE,
      'POST',
      '/api/v1/auth/login',
      { email: 'admin@example.com', password: PASSWORD },
      '',
    );
    expect(signIn.status).toBe(200);
  });

  it('refuses every administration route in the catalog from elsewhere, before authentication', async () => {
    const adminRoutes = server.app.routeCatalog.filter((r) => isAdministrationRoute(r.access));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(2);
    for (const route of adminRoutes) {
      const path = route.url
        .replace(':workspaceId', admin.workspaceId)
        .replace(/:[A-Za-z]+/g, () => randomUUID());
      const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : {};
      for (const cookie of [admin.cookie, '']) {
        const res = await from(ELSEWHERE, route.method, path, body, cookie);
        expect(res.status, `${route.method} ${route.url}`).toBe(403);
        if (route.method !== 'HEAD') expect(res.json.error.code).toBe('address_not_allowed');
      }
    }
  });

  it('refuses the administration screens from elsewhere and serves the rest of the dashboard', async () => {
    const page = (address: string, path: string) =>
      rawRequest(server.url, { path, localAddress: address, headers: { accept: 'text/html' } });
    expect((await page(ELSEWHERE, '/widgets/new')).status).toBe(403);
    expect((await page(ADMIN_DESK, '/widgets/new')).status).toBe(200);
    expect((await page(ELSEWHERE, '/widgets/new?x=1')).status).toBe(403);
    for (const path of ['/inbox', '/login', '/widgets'])
      expect((await page(ELSEWHERE, path)).status, path).toBe(200);
    for (const path of ['/users', '/settings/security', '/audit', '/widgets/new']) {
      expect(
        ADMIN_PAGES.some((p) => p.test(path)),
        path,
      ).toBe(true);
    }
    for (const path of ['/inbox', '/widgets', '/widgets/0b7c9a3e-0000-4000-8000-000000000000', '/usersx']) {
      expect(
        ADMIN_PAGES.some((p) => p.test(path)),
        path,
      ).toBe(false);
    }
  });

  it('decides by the forwarded address only behind a trusted proxy', async () => {
    const proxied = await startTestServer({
      database,
      migrate: false,
      env: { PARLEY_ADMIN_ALLOWED_IPS: '203.0.113.0/24', PARLEY_TRUSTED_PROXIES: '127.0.0.3' },
    });
    try {
      const widgets = `/api/v1/workspaces/${admin.workspaceId}/widgets`;
      const call = (localAddress: string, forwardedFor: string) =>
        rawRequest(proxied.url, {
          method: 'POST',
          path: widgets,
          localAddress,
          headers: { origin: proxied.origin, cookie: admin.cookie, 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({
            name: 'Via proxy',
            allowedOrigins: ['https://a.example.com'],
            greeting: '',
          }),
        });
      expect((await call('127.0.0.3', '203.0.113.9')).status).toBe(201);
      expect((await call('127.0.0.3', '198.51.100.1')).json.error.code).toBe('address_not_allowed');
      // A client that is not the proxy cannot claim an allowed address.
      expect((await call('127.0.0.1', '203.0.113.9')).json.error.code).toBe('address_not_allowed');
      // Nor can it hide behind the proxy: the proxy appends the real address last.
      expect((await call('127.0.0.3', '203.0.113.9, 198.51.100.1')).json.error.code).toBe(
        'address_not_allowed',
      );
    } finally {
      await proxied.close();
    }
  });

  it('matches addresses and ranges, IPv4 and IPv6, and refuses a malformed list at start', () => {
    const problems: string[] = [];
    const list = parseAddressList('X', '10.0.0.0/8, 192.0.2.7, 2001:db8::/32, ::1', problems);
    expect(problems).toEqual([]);
    for (const ip of ['10.1.2.3', '::ffff:10.9.9.9', '192.0.2.7', '2001:db8:1::5', '::1'])
      expect(list.has(ip), ip).toBe(true);
    for (const ip of ['11.0.0.1', '192.0.2.8', '2001:db9::1', '::2', 'not-an-ip'])
      expect(list.has(ip), ip).toBe(false);
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', 'example.com', '10.0.0.0/x']) {
      expect(() => loadConfig({ PARLEY_ADMIN_ALLOWED_IPS: bad }), bad).toThrow(ConfigError);
    }
    expect(loadConfig({}).adminAllowedIps).toBeNull();
  });
});
