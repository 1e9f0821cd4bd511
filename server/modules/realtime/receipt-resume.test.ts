import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealtimeClient } from '../../../protocol/realtime-client.js';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import { fetchTicket } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';

/**
 * The reference client (widget and dashboard) keeps the furthest receipt it was asked for and sends it
 * again after a reconnect: a read made while the socket was down still reaches the server.
 */
describe('receipts across a reconnect', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario('sqlite');
  });
  afterAll(async () => s?.close());

  it('stores a read made while the node restarted once the client is back', async () => {
    const client = new RealtimeClient({
      url: s.server.wsUrl,
      protocols: async () => [
        WS_PROTOCOL,
        WS_TICKET_PREFIX + (await fetchTicket(s.server, s.visitor.credential)),
      ],
      createSocket: (url, protocols) =>
        new WebSocket(url, protocols, { origin: 'https://shop.example.com' }) as unknown as ReturnType<
          NonNullable<ConstructorParameters<typeof RealtimeClient>[0]['createSocket']>
        >,
    });
    client.start();
    await expect.poll(() => client.state, { timeout: 10_000 }).toBe('open');
    client.subscribe(s.visitor.conversationId, 0);
    const cursor = () =>
      s.server.db.db
        .selectFrom('read_cursors')
        .select('read_seq')
        .where('conversation_id', '=', s.visitor.conversationId)
        .where('reader_kind', '=', 'visitor')
        .executeTakeFirst();

    await s.server.app.realtimeHub.drain();
    client.receipt(s.visitor.conversationId, 'read', 1);
    await expect.poll(async () => (await cursor())?.read_seq, { timeout: 10_000 }).toBe(1);
    client.stop();
  });
});
