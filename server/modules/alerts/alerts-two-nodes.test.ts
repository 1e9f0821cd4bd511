import { afterAll, describe, expect, it } from 'vitest';
import { alertReceiver } from '../../../test/support/alert-receiver.js';
import { setupAdmin } from '../../../test/support/clients.js';
import { rawRequest } from '../../../test/support/raw-http.js';
import { hasRedis, REDIS_URL } from '../../../test/support/services.js';
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

  it('without Redis each node counts alone: the same spread burst stays under the threshold', async () => {
    const { a, b, hook } = await pair(false);
    for (const node of [a, b, a, b]) await refused(node, a.url);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.alerts('refused_origins')).toHaveLength(0);
  });
});
