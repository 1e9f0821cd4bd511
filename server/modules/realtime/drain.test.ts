import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Message } from '../../../protocol/common.js';
import { RealtimeClient } from '../../../protocol/realtime-client.js';
import { CLOSE, WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import { fetchTicket } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';

/**
 * A node draining for a restart closes its sockets with 1012, and the reference client (the widget's
 * and the dashboard's) takes it as "reconnect now": it is back without waiting out its backoff, and
 * what was sent in between is delivered once.
 */
describe('reconnect on a drain', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario('sqlite');
  });
  afterAll(async () => s?.close());

  it('reconnects at once after 1012 and delivers a message sent across it', async () => {
    const states: Array<[string, number | undefined]> = [];
    const received: Message[] = [];
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
      // Any reconnect but the one 1012 asks for would wait a minute: longer than this test.
      minBackoffMs: 60_000,
      maxBackoffMs: 60_000,
      onState: (state, detail) => states.push([state, detail?.code]),
      onMessage: (m) => received.push(m),
    });
    client.start();
    await expect.poll(() => client.state, { timeout: 10_000 }).toBe('open');
    client.subscribe(s.visitor.conversationId, 0);

    await s.server.app.realtimeHub.drain();
    const body = 'Sent while the node restarted';
    client.send(s.visitor.conversationId, body);
    await expect.poll(() => received.some((m) => m.body === body), { timeout: 10_000 }).toBe(true);
    expect(states).toContainEqual(['closed', CLOSE.serviceRestart]);
    expect(states.at(-1)?.[0]).toBe('open');
    expect(client.pendingCount()).toBe(0);
    expect(received.filter((m) => m.body === body)).toHaveLength(1);
    client.stop();
  });
});
