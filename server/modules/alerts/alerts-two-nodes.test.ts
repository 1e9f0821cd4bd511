import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { alertReceiver } from '../../../test/support/alert-receiver.js';
import { addAgent, http, setupAdmin } from '../../../test/support/clients.js';
import { rawRequest } from '../../../test/support/raw-http.js';
import { hasPostgres, hasRedis, REDIS_URL } from '../../../test/support/services.js';
import { type SpawnedNode, spawnNode } from '../../../test/support/spawned-node.js';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const SECRET = 'alert-webhook-secret-for-the-tests-0123456789';

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A port used by an earlier run may have left its counts in Redis: start from none. */
async function forgetCounts(publicHost: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`parley:alerts:${publicHost}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * Two nodes behind one public name sharing one database, as behind a load balancer. With Redis they
 * count refusals in one window and pass alerts through one throttle; without it each node counts
 * alone, which is what makes the first case meaningful.
 */
describe.skipIf(!hasRedis)('security alerts across two nodes', () => {
  const databases: TestDatabase[] = [];
  const servers: TestServer[] = [];
  const hooks: Array<Awaited<ReturnType<typeof alertReceiver>>> = [];

  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of databases) await d.drop();
    for (const h of hooks) h.close();
  });

  async function pair(redis: boolean) {
    const hook = await alertReceiver();
    hooks.push(hook);
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    const env = {
      PARLEY_ALERT_WEBHOOK_URL: hook.url,
      PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
      PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
      PARLEY_ALERT_REFUSED_ORIGINS: '4',
      ...(redis ? { REDIS_URL } : {}),
    };
    const a = await startTestServer({ database, redis, env });
    servers.push(a);
    if (redis) await forgetCounts(a.config.publicHost);
    // Node B answers to node A's public name: the balancer's.
    const b = await startTestServer({ database, redis, env: { ...env, PARLEY_PUBLIC_URL: a.url } });
    servers.push(b);
    const admin = await setupAdmin(a);
    return { a, b, hook, admin };
  }

  /** A state-changing request from another site, sent to one node under the public name. */
  const refused = async (node: TestServer, publicUrl: string, from = '127.0.0.1') => {
    const { port } = node.app.server.address() as { port: number };
    const res = await rawRequest(`http://127.0.0.1:${port}`, {
      method: 'POST',
      path: '/api/v1/auth/login',
      localAddress: from,
      headers: { host: new URL(publicUrl).host, origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'not the password' }),
    });
    expect(res.json.error.code).toBe('cross_origin_refused');
  };

  it('counts a burst spread over both nodes once, and passes one alert per period for both', async () => {
    const { a, b, hook, admin } = await pair(true);
    await refused(a, a.url, '127.0.0.1');
    await refused(b, a.url, '127.0.0.2');
    await refused(a, a.url, '127.0.0.1');
    await refused(b, a.url, '127.0.0.2');
    // Two refusals on each node: only the shared window reaches the threshold of four.
    await until(() => hook.alerts('refused_origins').length === 1, 'the alert');
    expect(hook.alerts('refused_origins')[0]).toMatchObject({
      workspaceId: admin.workspaceId,
      facts: { refusals: 4, distinctAddresses: 2 },
    });
    expect(hook.alerts('refused_origins')[0]?.facts.addresses).toMatch(
      /127\.0\.0\.1 \(2\).*127\.0\.0\.2 \(2\)/,
    );

    // The attack goes on at node B, which has not alerted itself: the shared throttle holds it back.
    for (let i = 0; i < 4; i++) await refused(b, a.url, '127.0.0.2');
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.alerts('refused_origins')).toHaveLength(1);
    const held = await b.app.sharedCounters.admit(
      `throttle:*:refused_origins`,
      Date.now(),
      b.config.alerts.throttleMs,
    );
    expect(held).toEqual({ admitted: false, heldBack: 5 });
  });

  it('while Redis does not answer, a node counts alone and still alerts', async () => {
    const redis = new URL(REDIS_URL);
    const proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    try {
      const hook = await alertReceiver();
      hooks.push(hook);
      const database = await createTestDatabase('sqlite');
      databases.push(database);
      const node = await startTestServer({
        database,
        env: {
          PARLEY_ALERT_WEBHOOK_URL: hook.url,
          PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
          PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
          PARLEY_ALERT_REFUSED_ORIGINS: '3',
          REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        },
      });
      servers.push(node);
      await setupAdmin(node);
      proxy.cut();
      for (let i = 0; i < 3; i++) await refused(node, node.url);
      await until(() => hook.alerts('refused_origins').length === 1, 'the alert counted alone');
    } finally {
      await proxy.close();
    }
  });

  it('without Redis each node counts alone: the same spread burst stays under the threshold', async () => {
    const { a, b, hook } = await pair(false);
    for (const node of [a, b, a, b]) await refused(node, a.url);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.alerts('refused_origins')).toHaveLength(0);
  });
});

/**
 * Failed sign-ins are heard through the audit log, whose listeners are per process: two nodes in
 * one test process would each hear both. So here the nodes are two real `parley start` processes
 * (the built CLI) on one PostgreSQL database and one Redis, as in production.
 */
describe.skipIf(!hasRedis || !hasPostgres)('failed sign-ins across two node processes', () => {
  let database: TestDatabase;
  let hook: Awaited<ReturnType<typeof alertReceiver>>;
  const nodes: SpawnedNode[] = [];

  afterAll(async () => {
    for (const n of nodes) await n.stop();
    await database?.drop();
    hook?.close();
  });

  it('a password list tried over both nodes counts its accounts once and raises one alert', async () => {
    hook = await alertReceiver();
    database = await createTestDatabase('postgres');
    // The workspace and its members, made through a node that then stops.
    const setup = await startTestServer({ database });
    const admin = await setupAdmin(setup);
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5'])
      await addAgent(setup, admin.workspaceId, 'operator', `${name}@example.com`);
    await setup.close();

    const env = {
      PARLEY_ALERT_WEBHOOK_URL: hook.url,
      PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
      PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    const a = await spawnNode(database, { redisUrl: REDIS_URL, env });
    nodes.push(a);
    await forgetCounts(new URL(a.url).host);
    // Node B answers to node A's public name: the balancer's.
    const b = await spawnNode(database, { redisUrl: REDIS_URL, env: { ...env, PARLEY_PUBLIC_URL: a.url } });
    nodes.push(b);
    const fail = async (node: SpawnedNode, email: string) => {
      const res = await rawRequest(node.url, {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { host: new URL(a.url).host, origin: a.origin },
        body: JSON.stringify({ email, password: 'a wrong password, again' }),
      });
      expect(res.status).toBe(401);
    };
    // Two accounts at node A, three at node B: five only together.
    await fail(a, 'a1@example.com');
    await fail(a, 'a2@example.com');
    await fail(b, 'a3@example.com');
    await fail(b, 'a4@example.com');
    await fail(b, 'a5@example.com');
    await until(() => hook.alerts('brute_force').length === 1, 'the brute-force alert');
    expect(hook.alerts('brute_force')[0]).toMatchObject({ workspaceId: admin.workspaceId, heldBack: 0 });

    // Going on at node A, which has not alerted itself: held back by the shared throttle.
    for (const name of ['a1', 'a2', 'a3']) await fail(a, `${name}@example.com`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(hook.alerts('brute_force')).toHaveLength(1);
    const signedIn = await http(a, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'correct horse battery staple' },
    });
    expect(signedIn.status).toBe(200);
  });
});
