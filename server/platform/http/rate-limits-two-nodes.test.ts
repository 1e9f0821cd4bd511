import { afterAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../../test/support/raw-http.js';
import { hasRedis, REDIS_URL } from '../../../test/support/services.js';
import {
  createTestDatabase,
  freePort,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

/**
 * Two nodes behind one public name, as behind a load balancer. With Redis they share one budget per
 * client address; without it each node counts alone, which is what makes the first case meaningful.
 */
describe.skipIf(!hasRedis)('rate limits across two nodes', () => {
  const databases: TestDatabase[] = [];
  const servers: TestServer[] = [];

  async function pair(redis: boolean, limits = 'sign-in=4/60'): Promise<[TestServer, TestServer]> {
    // The nodes' public URL is the "load balancer's": requests to either node carry its Host header.
    const publicUrl = `http://127.0.0.1:${await freePort()}`;
    const env = {
      PARLEY_PUBLIC_URL: publicUrl,
      PARLEY_RATE_LIMITS: limits,
      ...(redis ? { REDIS_URL } : {}),
    };
    const nodes: TestServer[] = [];
    for (let i = 0; i < 2; i++) {
      const database = await createTestDatabase('sqlite');
      databases.push(database);
      const node = await startTestServer({ database, redis, env });
      servers.push(node);
      nodes.push(node);
    }
    return nodes as [TestServer, TestServer];
  }

  const attempt = (node: TestServer) => {
    const port = node.app.server.address() as { port: number };
    return rawRequest(`http://127.0.0.1:${port.port}`, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { host: new URL(node.url).host, origin: node.origin },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not a password at all' }),
    });
  };

  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of databases) await d.drop();
  });

  it('holds one budget per address across nodes sharing Redis', async () => {
    const [a, b] = await pair(true);
    const statuses = [];
    for (const node of [a, b, a, b]) statuses.push((await attempt(node)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const fifth = await attempt(b);
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.code).toBe('rate_limited');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(a)).status).toBe(429);
  });

  it('shares the budget of refused answers across nodes sharing Redis', async () => {
    const [a, b] = await pair(true, 'refused=4/60');
    const refused = (node: TestServer) => {
      const port = node.app.server.address() as { port: number };
      return rawRequest(`http://127.0.0.1:${port.port}`, {
        path: '/api/v1/auth/me',
        headers: { host: new URL(node.url).host },
      });
    };
    const statuses = [];
    for (const node of [a, b, a, b]) statuses.push((await refused(node)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    // Node A saw two of the four refusals; the shared count decides.
    const next = await refused(a);
    expect(next.status).toBe(429);
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
    expect((await refused(b)).status).toBe(429);
  });

  it('without Redis, each node counts alone', async () => {
    const [a, b] = await pair(false);
    const statuses = [];
    for (const node of [a, b, a, b, a, b, a, b]) statuses.push((await attempt(node)).status);
    expect(statuses).toEqual(Array(8).fill(401));
    expect((await attempt(b)).status).toBe(429);
  });
});
