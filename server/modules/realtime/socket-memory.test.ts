import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, connectVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * An idle socket costs only what the conversation needs: once the upgrade is done, the HTTP request
 * that carried it (its headers, Fastify's request and reply, a child logger, the response object)
 * is garbage. Held by the socket, it was a third of an idle socket's memory.
 */
describe('memory held by an open socket', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario('sqlite');
  });
  afterEach(async () => scenario.close());

  it('lets the upgrade request go once the socket is open, for visitors and agents', async () => {
    const { server, admin, visitor } = scenario;
    const upgrades: Array<WeakRef<IncomingMessage>> = [];
    server.app.server.on('upgrade', (request: IncomingMessage) => upgrades.push(new WeakRef(request)));

    const v = await connectVisitor(server, visitor.credential);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await v.next('subscribed');
    const agent = await connectAgent(server, admin);
    agent.send({ type: 'inbox.subscribe' });
    await agent.next('inbox.subscribed');
    expect(upgrades).toHaveLength(2);

    // Collected only if nothing reachable holds them; the sockets stay open and working meanwhile.
    for (let i = 0; i < 5 && upgrades.some((r) => r.deref() !== undefined); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      gc();
    }
    expect(upgrades.map((r) => r.deref() === undefined)).toEqual([true, true]);
    v.sendMessage(visitor.conversationId, 'still here');
    await v.next('message.ack');
    v.close();
    agent.close();
  });
});
