import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import {
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { hasPostgres, hasRedis, POSTGRES_URL, REDIS_URL } from '../../../test/support/services.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createDb } from './create-db.js';

/** The test database, reached through a proxy the test can cut: PostgreSQL going away under a node. */
async function databaseBehind(proxy: TcpProxy, database: TestDatabase): Promise<TestDatabase> {
  const url = new URL(POSTGRES_URL);
  url.host = `127.0.0.1:${proxy.port}`;
  const through = { kind: 'postgres', url: url.toString() } as const;
  return {
    ...database,
    database: through,
    open: () => createDb(through, { schema: database.schema as string }),
  };
}

function target(serviceUrl: string) {
  const u = new URL(serviceUrl);
  return { host: u.hostname, port: Number(u.port) };
}

/**
 * PostgreSQL unreachable (backends terminated, server stopped, packets dropped): the node stays up,
 * answers 503 service_unavailable with Retry-After (never a 500), says so on /readyz, and serves again
 * within seconds of the database's return.
 */
describe.runIf(hasPostgres)('PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;

  beforeEach(async () => {
    proxy = await startTcpProxy(target(POSTGRES_URL));
    database = await createTestDatabase('postgres');
    server = await startTestServer({ database: await databaseBehind(proxy, database) });
    admin = await setupAdmin(server);
  });
  afterEach(async () => {
    proxy.restore();
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 service_unavailable while the database is away, and serves again when it returns', async () => {
    const widget = await createWidget(server, admin);
    const visitor = await startVisitor(server, widget);
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    expect((await http(server, 'GET', '/readyz')).body).toEqual({
      status: 'ready',
      checks: { database: 'ok', pubsub: 'ok', migrations: 'ok' },
    });

    proxy.cut();
    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/auth/me'],
      ['GET', `${ws}/conversations`],
      ['GET', `${ws}/widgets/${widget.id}`],
      [
        'POST',
        `${ws}/conversations/${visitor.conversationId}/messages`,
        { clientId: newClientId(), body: 'hi' },
      ],
      ['POST', '/api/v1/auth/login', { email: 'admin@example.com', password: 'wrong password 123' }],
    ];
    for (const [method, path, body] of requests) {
      const res = await http(server, method, path, { cookie: admin.cookie, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const ready = await http(server, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'unavailable',
      checks: { database: 'failing', pubsub: 'ok', migrations: 'unknown' },
    });
    expect((await http(server, 'GET', '/healthz')).status).toBe(200);

    proxy.restore();
    await expect
      .poll(async () => (await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie })).status, {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(200);
    expect((await http(server, 'GET', '/readyz')).status).toBe(200);
  });

  it('fails a request in seconds, not never, when the database stops answering', async () => {
    proxy.blackhole();
    const res = await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    const ready = await http(server, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toBe('failing');
    proxy.restore();
    await expect
      .poll(async () => (await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie })).status, {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(200);
  }, 60_000);
});

describe.runIf(hasRedis)('Redis outage', () => {
  let proxy: TcpProxy;
  let database: TestDatabase;
  let server: TestServer;

  beforeEach(async () => {
    proxy = await startTcpProxy(target(REDIS_URL));
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, redisUrl: `redis://127.0.0.1:${proxy.port}` });
  });
  afterEach(async () => {
    proxy.restore();
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('names pub/sub as the failing part on /readyz, and is ready again when Redis returns', async () => {
    expect((await http(server, 'GET', '/readyz')).status).toBe(200);
    proxy.cut();
    await expect
      .poll(async () => (await http(server, 'GET', '/readyz')).body, { timeout: 10_000, interval: 200 })
      .toEqual({ status: 'unavailable', checks: { database: 'ok', pubsub: 'failing', migrations: 'ok' } });
    proxy.restore();
    await expect
      .poll(async () => (await http(server, 'GET', '/readyz')).status, { timeout: 15_000, interval: 200 })
      .toBe(200);
  }, 60_000);
});
