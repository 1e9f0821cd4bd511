import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import {
  connectVisitor,
  createWidget,
  fetchTicket,
  Probe,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

describe('heartbeat', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, heartbeatIntervalMs: 100 });
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('closes a socket that stops answering pings with 4002 and keeps one that answers', async () => {
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const healthy = await connectVisitor(server, (await startVisitor(server, widget)).credential);
    const ticket = await fetchTicket(server, (await startVisitor(server, widget)).credential);
    // A peer that has gone away without closing: it never answers pings.
    const silent = new Probe(
      new WebSocket(server.wsUrl, [WS_PROTOCOL, WS_TICKET_PREFIX + ticket], {
        origin: server.origin,
        autoPong: false,
      }),
    );
    await silent.next('welcome');
    await silent.until((p) => p.closed !== null, 'heartbeat close', 5000);
    expect(silent.closed?.code).toBe(4002);
    healthy.send({ type: 'ping', rid: 'alive' });
    expect(await healthy.next('pong')).toMatchObject({ rid: 'alive' });
    expect(healthy.closed).toBeNull();
    healthy.close();
  });
});
