import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import { alertReceiver } from '../../../test/support/alert-receiver.js';
import {
  addAgent,
  createWidget,
  http,
  openSocket,
  setupAdmin,
  type TestAgent,
} from '../../../test/support/clients.js';
import { readOutboxOnHost } from '../../../test/support/mail.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const SECRET = 'alert-webhook-secret-for-the-tests-0123456789';
const EVIL = 'https://evil.example';

const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A WebSocket handshake the server refuses: resolves to the HTTP status of the refusal. */
const refusedUpgrade = (server: TestServer, options: Parameters<typeof openSocket>[1]): Promise<number> =>
  openSocket(server, options).then(
    (probe) => {
      probe.close();
      throw new Error('the handshake was accepted');
    },
    (err: { status?: number }) => err.status ?? 0,
  );

/**
 * A node whose alerts also go to a webhook receiver here, with `env` setting the rules under test,
 * and its administrator; started before the suite's tests, stopped after them.
 */
function alertedNode(dialect: 'sqlite' | 'postgres', env: Record<string, string>) {
  const stage = {} as {
    server: TestServer;
    hook: Awaited<ReturnType<typeof alertReceiver>>;
    admin: TestAgent;
  };
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    stage.hook = await alertReceiver();
    database = await createTestDatabase(dialect);
    stage.server = await startTestServer({
      database,
      env: {
        PARLEY_ALERT_WEBHOOK_URL: stage.hook.url,
        PARLEY_ALERT_WEBHOOK_SECRET: SECRET,
        PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
        ...env,
      },
    });
    stage.admin = await setupAdmin(stage.server);
  });
  afterAll(async () => {
    await stage.server?.close();
    await database?.drop();
    stage.hook?.close();
  });
  return stage;
}

describe.each(DIALECTS)('refusal alerts (%s)', (dialect) => {
  const stage = alertedNode(dialect, {
    PARLEY_ALERT_REFUSED_ORIGINS: '4',
    PARLEY_ALERT_REFUSED_TICKETS: '3',
  });

  it('a burst of refused origins (cross-site requests, a widget on a page it does not allow, a cross-site socket) raises one alert naming the origin and address', async () => {
    const { server, hook, admin } = stage;
    for (let i = 0; i < 2; i++) {
      const res = await http(server, 'POST', '/api/v1/auth/login', {
        origin: EVIL,
        body: { email: 'admin@example.com', password: 'whatever it is' },
      });
      expect(res.body.error.code).toBe('cross_origin_refused');
    }
    // The widget asked for on a page it does not allow (from its own frame, Parley's origin).
    const widget = await createWidget(server, admin);
    const visitor = await http(server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: widget.id, hostOrigin: EVIL },
    });
    expect(visitor.body.error.code).toBe('origin_not_allowed');
    // Below the threshold: nothing yet.
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.alerts('refused_origins')).toHaveLength(0);
    // A cookie-authenticated socket from another site (cross-site WebSocket hijacking).
    expect(
      await refusedUpgrade(server, { protocols: [WS_PROTOCOL], cookie: admin.cookie, origin: EVIL }),
    ).toBe(403);
    await until(() => hook.alerts('refused_origins').length === 1, 'the origin alert');
    const [alert] = hook.alerts('refused_origins');
    expect(alert).toMatchObject({
      type: 'security.alert',
      title: 'A burst of refused origins',
      workspaceId: admin.workspaceId,
      heldBack: 0,
      facts: {
        refusals: 4,
        windowMinutes: 10,
        distinctAddresses: 1,
        addresses: '127.0.0.1 (4)',
        origins: `${EVIL} (3)`,
      },
    });
    await until(
      async () =>
        (await readOutboxOnHost(server)).some(
          (m) => m.to === 'admin@example.com' && /A burst of refused origins/.test(m.subject),
        ),
      'the mail',
    );

    // The attack going on is held back by the throttle: no second alert, no second mail.
    for (let i = 0; i < 5; i++) await http(server, 'POST', '/api/v1/auth/logout', { origin: EVIL, body: {} });
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.alerts('refused_origins')).toHaveLength(1);
    const mails = (await readOutboxOnHost(server)).filter((m) => /refused origins/.test(m.subject));
    expect(mails).toHaveLength(1);
  });

  it('administrators read the alerts in the dashboard; nobody else does', async () => {
    const { server, admin } = stage;
    const res = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/security-alerts`, {
      cookie: admin.cookie,
    });
    expect(res.status).toBe(200);
    const origins = res.body.items.find((a: { rule: string }) => a.rule === 'refused_origins');
    expect(origins).toMatchObject({
      title: 'A burst of refused origins',
      heldBack: 0,
      facts: { refusals: 4, addresses: '127.0.0.1 (4)', origins: `${EVIL} (3)` },
    });
    expect(Date.now() - Date.parse(origins.raisedAt)).toBeLessThan(60_000);
    // Unread until the administrator was shown them; the position never moves back.
    expect(res.body.unread).toBe(res.body.items.length);
    const seen = (through: string) =>
      http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/security-alerts/seen`, {
        cookie: admin.cookie,
        body: { through },
      });
    expect((await seen(res.body.items[0].raisedAt)).status).toBe(204);
    expect((await seen('2020-01-01T00:00:00.000Z')).status).toBe(204);
    const after = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/security-alerts`, {
      cookie: admin.cookie,
    });
    expect(after.body.unread).toBe(0);
    expect((await seen('not a time')).body.error.code).toBe('invalid_request');
    const supervisor = await addAgent(server, admin.workspaceId, 'supervisor', 'sue@example.com');
    const refused = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/security-alerts`, {
      cookie: supervisor.cookie,
    });
    expect(refused.status).toBe(403);
  });

  it('a burst of refused WebSocket tickets raises an alert that never carries a ticket', async () => {
    const { server, hook } = stage;
    const tickets = ['a'.repeat(43), 'b'.repeat(43), 'c'.repeat(43)];
    for (const ticket of tickets)
      expect(
        await refusedUpgrade(server, {
          protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + ticket],
          origin: server.origin,
        }),
      ).toBe(401);
    await until(() => hook.alerts('refused_tickets').length === 1, 'the ticket alert');
    const delivery = hook.got.find((g) => JSON.parse(g.body).rule === 'refused_tickets');
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      title: 'A burst of refused WebSocket tickets',
      facts: { refusals: 3, addresses: '127.0.0.1 (3)' },
    });
    for (const ticket of tickets) expect(delivery?.body).not.toContain(ticket);
    const mail = async () =>
      (await readOutboxOnHost(server)).find((m) => /refused WebSocket tickets/.test(m.subject));
    await until(async () => (await mail()) !== undefined, 'the mail');
    for (const ticket of tickets) expect((await mail())?.body).not.toContain(ticket);
  });
});

describe('allow-list refusal alerts', () => {
  const stage = alertedNode('sqlite', {
    PARLEY_ALERT_REFUSED_ADDRESSES: '2',
    // The tests connect from 127.0.0.1: administration is refused to them.
    PARLEY_ADMIN_ALLOWED_IPS: '10.20.30.0/24',
  });

  it('administration refused to an address outside PARLEY_ADMIN_ALLOWED_IPS raises an alert naming the address', async () => {
    const { server, hook, admin } = stage;
    const audit = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/audit`, {
      cookie: admin.cookie,
    });
    expect(audit.body.error.code).toBe('address_not_allowed');
    // A refused administration screen counts too.
    const screen = await fetch(`${server.url}/settings`, { headers: { accept: 'text/html' } });
    expect(screen.status).toBe(403);
    await until(() => hook.alerts('refused_addresses').length === 1, 'the allow-list alert');
    expect(hook.alerts('refused_addresses')[0]).toMatchObject({
      title: 'Administration refused from addresses outside the allow-list',
      workspaceId: admin.workspaceId,
      facts: { refusals: 2, addresses: '127.0.0.1 (2)' },
    });
    expect(hook.alerts('refused_addresses')[0]?.facts.origins).toBeUndefined();
  });
});
