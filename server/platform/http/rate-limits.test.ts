import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';
import { addAgent, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { type RawResponse, rawRequest } from '../../../test/support/raw-http.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { ConfigError, loadConfig } from '../../config.js';
import { BUDGETS, RATE_LIMIT_RULES, ruleFor } from './rate-limits.js';

const ANOTHER_CLIENT = '127.0.0.2';

function expectRateLimited(res: RawResponse, label: string, windowSeconds: number) {
  expect(res.status, label).toBe(429);
  expect(res.json.error.code, label).toBe('rate_limited');
  const wait = Number(res.headers['retry-after']);
  expect(Number.isInteger(wait) && wait >= 1 && wait <= windowSeconds, `${label}: Retry-After ${wait}`).toBe(
    true,
  );
}

describe('the rate-limit table', () => {
  it('is the one in docs/SECURITY.md, rule for rule', () => {
    const doc = readFileSync(new URL('../../../docs/SECURITY.md', import.meta.url), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Rate limits')) ?? '';
    const rows = section
      .split('\n')
      .filter((line) => /^\|\s*`[a-z-]+`\s*\|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows.map((r) => r[0])).toEqual(RATE_LIMIT_RULES.map((r) => `\`${r.name}\``));
    for (const rule of RATE_LIMIT_RULES) {
      const row = rows.find((r) => r[0] === `\`${rule.name}\``) ?? [];
      expect(row[1], rule.name).toBe(`${rule.max} per ${rule.windowSeconds} s`);
      expect(row[2], rule.name).toBe(rule.per === 'ip' ? 'client address' : 'signed-in user, else address');
      expect(row[3], rule.name).toBe(rule.covers);
    }
  });

  it('lists the budgets of docs/SECURITY.md as they are applied', () => {
    const doc = readFileSync(new URL('../../../docs/SECURITY.md', import.meta.url), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Budgets')) ?? '';
    const rows = section
      .split('\n')
      .filter((line) => /^\|\s*`[a-z-]+`\s*\|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows.map((r) => r[0])).toEqual(BUDGETS.map((b) => `\`${b.name}\``));
    for (const budget of BUDGETS) {
      const row = rows.find((r) => r[0] === `\`${budget.name}\``) ?? [];
      expect(row.slice(1), budget.name).toEqual([
        `${budget.max} per ${budget.windowSeconds} s`,
        budget.per,
        budget.covers,
      ]);
    }
    const c = loadConfig({ PARLEY_RATE_LIMITS: 'refused=300/60,messages=60/10' });
    expect([c.rateLimits.refused, c.rateLimits.messages]).toEqual([
      { max: 300, windowSeconds: 60 },
      { max: 60, windowSeconds: 10 },
    ]);
  });

  it('puts each kind of endpoint under the rule the table says', () => {
    const cases: Array<[string, string, Parameters<typeof ruleFor>[0]['access'], string]> = [
      ['POST', '/api/v1/auth/login', { kind: 'public' }, 'sign-in'],
      ['POST', '/api/v1/setup', { kind: 'public' }, 'sign-in'],
      ['POST', '/api/v1/auth/logout', { kind: 'signed-in' }, 'sign-in'],
      ['POST', '/api/v1/visitor/sessions', { kind: 'visitor' }, 'visitor'],
      ['POST', '/api/v1/visitor/tickets', { kind: 'visitor' }, 'visitor'],
      ['GET', '/api/v1/widgets/:widgetId/public', { kind: 'public' }, 'widget-lookup'],
      ['GET', '/ws', { kind: 'socket' }, 'ws-handshake'],
      [
        'POST',
        '/api/v1/workspaces/:workspaceId/widgets',
        { kind: 'member', permission: 'widgets.manage' },
        'api-write',
      ],
      ['GET', '/api/v1/auth/me', { kind: 'signed-in' }, 'api-read'],
      ['GET', '/inbox', { kind: 'public' }, 'pages'],
      ['GET', '', undefined, 'pages'],
    ];
    for (const [method, url, access, name] of cases)
      expect(ruleFor({ method, url, access }).name, url).toBe(name);
  });

  it('is configurable, and a mistake in the setting stops the start', () => {
    const c = loadConfig({ PARLEY_RATE_LIMITS: 'sign-in=5/10, api-read=20000/60' });
    expect(c.rateLimits['sign-in']).toEqual({ max: 5, windowSeconds: 10 });
    expect(c.rateLimits['api-read']).toEqual({ max: 20000, windowSeconds: 60 });
    expect(c.rateLimits.pages).toEqual({ max: 1200, windowSeconds: 60 });
    for (const bad of ['login=5/10', 'sign-in=5', 'sign-in=0/10', 'sign-in=5/0', 'sign-in=5/100000']) {
      expect(() => loadConfig({ PARLEY_RATE_LIMITS: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ PARLEY_WS_CONNECTIONS_PER_IP: '0' })).toThrow(/PARLEY_WS_CONNECTIONS_PER_IP/);
  });
});

describe('rate limits on one node', () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let operator: TestAgent;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({
      database,
      env: {
        PARLEY_RATE_LIMITS: 'sign-in=1000/60,api-read=4/60,ws-handshake=1000/60',
        PARLEY_WS_CONNECTIONS_PER_IP: '2',
      },
    });
    admin = await setupAdmin(server);
    operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.terminate();
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const openSocket = (localAddress?: string) =>
    new Promise<{ status: number; retryAfter?: string | undefined }>((resolve, reject) => {
      const ws = new WebSocket(server.wsUrl, [WS_PROTOCOL], {
        origin: server.origin,
        headers: { cookie: operator.cookie },
        ...(localAddress ? { localAddress } : {}),
      });
      sockets.push(ws);
      ws.once('open', () => resolve({ status: 101 }));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      });
      ws.once('error', reject);
    });
  const send = (path: string, options: Parameters<typeof rawRequest>[1] = {}) =>
    rawRequest(server.url, { path, ...options, headers: { origin: server.origin, ...options.headers } });

  it('limits sign-in attempts per client address, counting malformed ones, and tells when to retry', async () => {
    const limited = await startTestServer({
      database,
      migrate: false,
      env: { PARLEY_RATE_LIMITS: 'sign-in=3/60' },
    });
    try {
      const attempt = (body: string, localAddress?: string) =>
        rawRequest(limited.url, {
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { origin: limited.origin },
          body,
          ...(localAddress ? { localAddress } : {}),
        });
      const wrong = JSON.stringify({ email: 'admin@example.com', password: 'not the password' });
      expect((await attempt(wrong)).status).toBe(401);
      expect((await attempt('{"email":')).status).toBe(400);
      expect((await attempt('{}')).status).toBe(400);
      expectRateLimited(await attempt(wrong), 'fourth attempt', 60);
      // Even the right password waits now: the limit is about the address, not the answer.
      const right = JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery staple' });
      expectRateLimited(await attempt(right), 'right password', 60);
      // Another client address has its own budget.
      expect((await attempt(right, ANOTHER_CLIENT)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('refuses every request from an address that used up its budget of refused answers, before any work', async () => {
    const limited = await startTestServer({
      database,
      migrate: false,
      env: { PARLEY_RATE_LIMITS: 'refused=5/60' },
    });
    try {
      const get = (path: string, localAddress?: string, headers: Record<string, string> = {}) =>
        rawRequest(limited.url, { path, headers, ...(localAddress ? { localAddress } : {}) });
      // Five refusals of different kinds: no session, a forged one, an unknown address, a bad id.
      expect((await get('/api/v1/auth/me', ANOTHER_CLIENT)).status).toBe(401);
      expect(
        (await get('/api/v1/auth/me', ANOTHER_CLIENT, { cookie: '__Host-parley_session=forged' })).status,
      ).toBe(401);
      expect((await get('/wp-admin/setup.php', ANOTHER_CLIENT)).status).toBe(404);
      expect((await get('/api/v1/widgets/not-an-id/public', ANOTHER_CLIENT)).status).toBe(400);
      expect((await get('/api/v1/auth/me', ANOTHER_CLIENT)).status).toBe(401);
      // Now even a request that would succeed is refused, with the time to wait.
      expectRateLimited(await get('/login', ANOTHER_CLIENT, { accept: 'text/html' }), 'over the budget', 60);
      expectRateLimited(
        await get('/api/v1/auth/me', ANOTHER_CLIENT, { cookie: admin.cookie }),
        'signed in, over the budget',
        60,
      );
      // Health checks still answer, and other addresses are served as before.
      expect((await get('/healthz', ANOTHER_CLIENT)).status).toBe(200);
      expect((await get('/login', undefined, { accept: 'text/html' })).status).toBe(200);
      expect((await get('/api/v1/auth/me', undefined, { cookie: admin.cookie })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts API reads per signed-in user, so colleagues behind one address do not share a budget', async () => {
    for (let i = 0; i < 4; i++)
      expect((await send('/api/v1/auth/me', { headers: { cookie: admin.cookie } })).status).toBe(200);
    expectRateLimited(await send('/api/v1/auth/me', { headers: { cookie: admin.cookie } }), 'fifth read', 60);
    expect((await send('/api/v1/auth/me', { headers: { cookie: operator.cookie } })).status).toBe(200);
  });

  it('caps open WebSocket connections per address at the handshake, before any upgrade', async () => {
    expect((await openSocket()).status).toBe(101);
    expect((await openSocket()).status).toBe(101);
    const third = await openSocket();
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await openSocket(ANOTHER_CLIENT)).status).toBe(101);
    // Closing a socket frees its slot.
    const first = sockets[0] as WebSocket;
    await new Promise<void>((resolve) => {
      first.once('close', () => resolve());
      first.close();
    });
    await expect.poll(async () => (await openSocket()).status, { timeout: 5000 }).toBe(101);
  });

  it('closes the connection of every upgrade it refuses, so refused clients cannot pile up sockets', async () => {
    const { port } = new URL(server.url);
    const held = [await openSocket(), await openSocket()];
    expect(held.map((h) => h.status)).toEqual([101, 101]);
    // Clients that never hang up, refused before anything read their request: Node's HTTP server has
    // already let go of an upgrade's socket, so unless Parley ends it, it stays open for good.
    const refused = await Promise.all(
      ['/ws', '/ws', '/no-such-path'].map(
        (path) =>
          new Promise<string>((resolve, reject) => {
            const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
              socket.write(
                `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
                  `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
                  `Sec-WebSocket-Protocol: ${WS_PROTOCOL}\r\nOrigin: ${server.origin}\r\nCookie: ${operator.cookie}\r\n\r\n`,
              );
            });
            let text = '';
            socket.on('data', (c: Buffer) => {
              text += c;
            });
            const timer = setTimeout(() => {
              socket.destroy();
              resolve(`still open after: ${text.split('\r\n')[0]}`);
            }, 3000);
            socket.on('end', () => {
              clearTimeout(timer);
              socket.destroy();
              resolve(text.split('\r\n')[0] ?? '');
            });
            socket.on('error', reject);
          }),
      ),
    );
    expect(refused).toEqual([
      'HTTP/1.1 429 Too Many Requests',
      'HTTP/1.1 429 Too Many Requests',
      'HTTP/1.1 404 Not Found',
    ]);
  });

  it('limits the WebSocket handshake rate per address, refused handshakes included', async () => {
    const limited = await startTestServer({
      database,
      migrate: false,
      env: { PARLEY_RATE_LIMITS: 'ws-handshake=2/60' },
    });
    try {
      const handshake = () =>
        rawRequest(limited.url, {
          path: '/ws',
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'sec-websocket-protocol': WS_PROTOCOL,
            origin: 'https://evil.example',
          },
        });
      expect((await handshake()).status).toBe(403);
      expect((await handshake()).status).toBe(403);
      expectRateLimited(await handshake(), 'third handshake', 60);
    } finally {
      await limited.close();
    }
  });
});
