import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { http, newSession, type TestAgent } from '../../../test/support/clients.js';
import { rawRequest } from '../../../test/support/raw-http.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import type { TestServer } from '../../../test/support/test-server.js';
import type { RouteEntry } from '../../modules/auth/access-control.js';
import { HEALTH_PATHS } from './health-routes.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A concrete path for a route pattern: the caller's workspace, fresh ids for everything else. */
function pathOf(route: RouteEntry, workspaceId: string): string {
  return route.url
    .replace(':workspaceId', workspaceId)
    .replace(/:[A-Za-z]+/g, () => randomUUID())
    .replace('*', 'x');
}

/**
 * CSRF and CORS over the whole surface: every state-changing route in the route catalog is tried
 * with the requests a hostile page can make a signed-in browser send, and every route is checked for
 * CORS grants. A route added later is covered without touching this test.
 */
describe('CSRF, CORS and Host checks over every route', () => {
  let scenario: Scenario;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;
  let writes: RouteEntry[];

  beforeAll(async () => {
    scenario = await startScenario('sqlite');
    ({ server, admin, widget } = scenario);
    writes = server.app.routeCatalog.filter((r) => WRITE_METHODS.has(r.method));
  });
  afterAll(async () => scenario.close());

  it('finds the state-changing routes to test', () => {
    const names = writes.map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'POST /api/v1/setup',
        'POST /api/v1/workspaces/:workspaceId/widgets',
        'PATCH /api/v1/workspaces/:workspaceId/widgets/:widgetId',
        'POST /api/v1/visitor/sessions',
      ]),
    );
  });

  it('refuses cookie-carrying writes from another origin, a sandboxed page or an unknown origin', async () => {
    const foreign: Array<[string, Record<string, string>, string | null]> = [
      ['other site', {}, 'https://evil.example'],
      ['sibling port', {}, server.origin.replace(/:\d+$/, ':1')],
      ['other scheme', {}, server.origin.replace('http:', 'https:')],
      ['sandboxed iframe', {}, 'null'],
      ['no Origin, cross-site fetch metadata', { 'sec-fetch-site': 'cross-site' }, null],
      ['no Origin, same-site (sibling subdomain)', { 'sec-fetch-site': 'same-site' }, null],
      ['no Origin and no fetch metadata', {}, null],
    ];
    for (const route of writes.filter((r) => r.access.kind !== 'visitor')) {
      for (const [label, headers, origin] of foreign) {
        const res = await http(server, route.method, pathOf(route, admin.workspaceId), {
          cookie: admin.cookie,
          origin,
          headers,
          body: {},
        });
        const what = `${route.method} ${route.url} (${label})`;
        expect(res.status, what).toBe(403);
        expect(res.body.error.code, what).toBe('cross_origin_refused');
      }
    }
  });

  it('refuses visitor writes that a browser marks cross-site without naming the origin', async () => {
    // Visitor endpoints accept the widget's own sites as origins (the command checks which widget);
    // what the guard itself refuses is a cross-site request that hides its origin.
    for (const route of writes.filter((r) => r.access.kind === 'visitor')) {
      const res = await http(server, route.method, route.url, {
        origin: null,
        headers: { 'sec-fetch-site': 'cross-site' },
        body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
      });
      expect(res.body.error.code, route.url).toBe('cross_origin_refused');
    }
    const evil = await http(server, 'POST', '/api/v1/visitor/sessions', {
      origin: 'https://evil.example',
      body: { widgetId: widget.id, hostOrigin: 'https://shop.example.com' },
    });
    expect(evil.body.error.code).toBe('origin_not_allowed');
  });

  it('accepts only JSON for every write: forms and text a page can send without a preflight are refused', async () => {
    const simpleTypes = [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
      'text/plain; charset=utf-8; application/json',
      'application/json-patch+json',
    ];
    for (const route of writes) {
      for (const type of simpleTypes) {
        // The one form a server posts by design: an OpenID provider's signed logout token (no cookie used).
        if (route.url.endsWith('/backchannel-logout') && type === 'application/x-www-form-urlencoded')
          continue;
        const res = await http(server, route.method, pathOf(route, admin.workspaceId), {
          cookie: admin.cookie,
          rawBody: '{}',
          headers: { 'content-type': type },
        });
        const what = `${route.method} ${route.url} as ${type}`;
        expect(res.status, what).toBe(415);
        expect(res.body.error.code, what).toBe('unsupported_media_type');
      }
    }
  });

  it('lets same-origin JSON writes through the guard, by Origin or by Sec-Fetch-Site alone', async () => {
    for (const route of writes) {
      for (const [origin, headers] of [
        [undefined, {}],
        [null, { 'sec-fetch-site': 'same-origin' }],
      ] as const) {
        // A session of its own, since one of these routes is sign-out.
        const agent = await newSession(server, admin);
        const res = await http(server, route.method, pathOf(route, admin.workspaceId), {
          cookie: agent.cookie,
          ...(origin === null ? { origin: null } : {}),
          headers,
          body: {},
        });
        const what = `${route.method} ${route.url} ${JSON.stringify(headers)}`;
        expect(res.body?.error?.code, what).not.toBe('cross_origin_refused');
        expect(res.status, what).not.toBe(415);
        if (route.url === '/api/v1/auth/logout') expect(res.status, what).toBe(204);
      }
    }
  });

  it('grants CORS to no route but the widget lookup, and there only to the widget’s own origins', async () => {
    for (const route of server.app.routeCatalog) {
      const path = pathOf(route, admin.workspaceId);
      for (const origin of ['https://evil.example', 'https://shop.example.com']) {
        const preflight = await rawRequest(server.url, {
          method: 'OPTIONS',
          path,
          headers: {
            origin,
            'access-control-request-method': route.method,
            'access-control-request-headers': 'content-type',
          },
        });
        expect(preflight.headers['access-control-allow-origin'], `preflight ${path}`).toBeUndefined();
        expect(preflight.headers['access-control-allow-methods'], `preflight ${path}`).toBeUndefined();
        if (route.method !== 'GET' || route.url === '/api/v1/widgets/:widgetId/public') continue;
        const res = await rawRequest(server.url, { path, headers: { origin, cookie: admin.cookie } });
        expect(res.headers['access-control-allow-origin'], `GET ${path} from ${origin}`).toBeUndefined();
      }
    }
    const lookup = `/api/v1/widgets/${widget.id}/public`;
    const allowed = await rawRequest(server.url, {
      path: lookup,
      headers: { origin: 'https://shop.example.com' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    expect(allowed.headers.vary).toContain('Origin');
    // A refused site may read the refusal (so its developer sees why there is no chat), and nothing else.
    const refused = await rawRequest(server.url, {
      path: lookup,
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });
    expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers only for its public host name on every route, whatever X-Forwarded-Host says', async () => {
    for (const route of server.app.routeCatalog) {
      // Load balancers probe health by address, with any Host.
      if (HEALTH_PATHS.has(route.url)) continue;
      const path = pathOf(route, admin.workspaceId);
      for (const host of [
        'attacker.example',
        'localhost',
        `127.0.0.1.nip.example:${new URL(server.url).port}`,
      ]) {
        const res = await rawRequest(server.url, {
          method: route.method,
          path,
          headers: {
            host,
            origin: server.origin,
            cookie: admin.cookie,
            ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
          },
          ...(route.method === 'GET' ? {} : { body: '{}' }),
        });
        expect(res.status, `${route.method} ${path} Host: ${host}`).toBe(421);
        if (route.method !== 'HEAD') expect(res.json.error.code).toBe('host_not_allowed');
      }
    }
    const forwarded = await rawRequest(server.url, {
      path: '/inbox',
      headers: {
        host: 'attacker.example',
        'x-forwarded-host': new URL(server.url).host,
        accept: 'text/html',
      },
    });
    expect(forwarded.status).toBe(308);
    expect(forwarded.headers.location).toBe(`${server.url}/inbox`);
    const spoofed = await rawRequest(server.url, {
      path: '/inbox',
      headers: { 'x-forwarded-host': 'attacker.example', accept: 'text/html' },
    });
    expect(spoofed.status).toBe(200);
  });
});
