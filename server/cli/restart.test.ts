import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Widget } from '../../protocol/api.js';
import { CLOSE } from '../../protocol/ws-close-codes.js';
import { type CliProcess, runCli, until } from '../../test/support/cli-process.js';
import { connectVisitor, http, PASSWORD, type Probe, startVisitor } from '../../test/support/clients.js';
import { TEST_MASTER_KEY } from '../../test/support/keys.js';
import { createOwnDatabase } from '../../test/support/own-database.js';
import { DIALECTS, hasRedis, REDIS_URL } from '../../test/support/services.js';
import { freePort, type TestServer } from '../../test/support/test-server.js';
import { RATE_LIMIT_NAMES } from '../platform/http/rate-limits.js';

/** A node comes up when `/readyz` says so: database, pub/sub and migrations. */
const ready = (server: TestServer, node: CliProcess) =>
  until(
    '/readyz',
    async () => ((await fetch(`${server.url}/readyz`)).status === 200 ? true : undefined),
    node,
  );

/**
 * The built CLI on real data: it comes back after `kill -9` of a previous instance (SQLite; PostgreSQL
 * with Redis), and SIGTERM drains it: requests in flight finish, sockets get their acks and then
 * close 1012 ("reconnect now"), every acked message is stored, and it exits 0.
 */
describe.each(DIALECTS)('parley start: restarts and drains (%s)', (dialect) => {
  let dir: string;
  let database: { url: string; drop(): Promise<void> } | undefined;
  const nodes: CliProcess[] = [];

  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      n.child.kill('SIGKILL');
      await n.exited;
    }
    await database?.drop();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function environment(): Promise<{ env: Record<string, string>; server: TestServer }> {
    dir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
    const port = await freePort();
    const env: Record<string, string> = {
      PARLEY_PORT: String(port),
      PARLEY_DATA_DIR: join(dir, 'data'),
      PARLEY_LOG_LEVEL: 'info',
      PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((n) => `${n}=1000000/60`).join(','),
    };
    if (dialect === 'postgres') {
      database = await createOwnDatabase('parley_cli');
      env.DATABASE_URL = database.url;
      env.PARLEY_MASTER_KEY = TEST_MASTER_KEY;
      if (hasRedis) env.REDIS_URL = REDIS_URL;
    }
    // The default public URL's name (localhost), reached at the address the node listens on.
    const origin = `http://localhost:${port}`;
    return { env, server: { url: origin, origin, wsUrl: `ws://localhost:${port}/ws` } as TestServer };
  }

  const launch = (env: Record<string, string>) => {
    const node = runCli(['start'], env);
    nodes.push(node);
    return node;
  };

  /** The first administrator, from the one-time link the start printed, then a widget and a visitor. */
  async function setUp(server: TestServer, node: CliProcess) {
    const token = await until(
      'the setup link',
      async () => /#token=([A-Za-z0-9_-]+)/.exec(node.output())?.[1],
      node,
    );
    const res = await http(server, 'POST', '/api/v1/setup', {
      body: { token, email: 'admin@example.com', name: 'Ada', password: PASSWORD, workspaceName: 'Acme' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const cookie = String(res.headers.getSetCookie()[0]).split(';')[0] as string;
    const workspaceId = res.body.workspace.id as string;
    const widget = await http<Widget>(server, 'POST', `/api/v1/workspaces/${workspaceId}/widgets`, {
      cookie,
      body: { name: 'Site', allowedOrigins: ['https://shop.example.com'], greeting: 'Hi' },
    });
    const visitor = await startVisitor(server, widget.body);
    const messages = async () =>
      (
        await http(
          server,
          'GET',
          `/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversationId}/messages?limit=200`,
          { cookie },
        )
      ).body.items.map((m: { clientId: string }) => m.clientId) as string[];
    return { cookie, workspaceId, visitor, messages };
  }

  const acked = (probe: Probe) => probe.of('message.ack').map((a) => a.clientId);

  it('listens and is ready again after kill -9 of the previous instance, with every acked message', async () => {
    const { env, server } = await environment();
    const first = launch(env);
    await ready(server, first);
    const { visitor, messages } = await setUp(server, first);
    const socket = await connectVisitor(server, visitor.credential);
    for (let i = 0; i < 10; i += 1) socket.sendMessage(visitor.conversationId, `before the crash ${i}`);
    await socket.until((p) => p.of('message.ack').length === 10, 'ten acks');
    // More in flight when the process dies: whatever was acked must survive.
    for (let i = 0; i < 10; i += 1) socket.sendMessage(visitor.conversationId, `during the crash ${i}`);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = launch(env);
    await ready(server, second);
    const stored = await messages();
    for (const id of acked(socket)) expect(stored).toContain(id);
    socket.close();
  }, 180_000);

  it('drains on SIGTERM: in-flight requests finish, sockets get their acks and 1012, exit status 0', async () => {
    const { env, server } = await environment();
    const node = launch(env);
    await ready(server, node);
    const { cookie, workspaceId, visitor, messages } = await setUp(server, node);
    const socket = await connectVisitor(server, visitor.credential);
    socket.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await socket.next('subscribed');

    // An HTTP request in flight: headers and half the body sent before the signal.
    const body = JSON.stringify({ clientId: 'in-flight-request-0001', body: 'sent across the restart' });
    const path = `/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversationId}/messages`;
    const raw = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    let response = '';
    raw.on('data', (d) => {
      response += d;
    });
    const rawClosed = new Promise((r) => raw.once('close', r));
    raw.write(
      `POST ${path} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nOrigin: ${server.origin}\r\n` +
        `Cookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body.slice(0, 20)}`,
    );
    await until('the request to arrive', async () => (node.output().includes(path) ? true : undefined), node);

    for (let i = 0; i < 20; i += 1) socket.sendMessage(visitor.conversationId, `mid-conversation ${i}`);
    node.child.kill('SIGTERM');
    await socket.until((p) => p.closed !== null, 'the socket to close', 30_000);
    expect(socket.closed?.code).toBe(CLOSE.serviceRestart);
    expect(acked(socket).length).toBeGreaterThan(0);

    await until(
      'the drain to start',
      async () => (node.output().includes('Shutting down') ? true : undefined),
      node,
    );
    raw.write(body.slice(20));
    await rawClosed;
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    expect(await node.exited).toBe(0);

    const again = launch(env);
    await ready(server, again);
    const stored = await messages();
    for (const id of [...acked(socket), 'in-flight-request-0001']) expect(stored).toContain(id);
  }, 180_000);
});
