import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, connectVisitor, type Probe } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

const MESSAGE_FIELDS = ['conversationId', 'seq', 'clientId', 'author', 'body', 'createdAt'];
const MESSAGE_OPTIONAL = ['parts', 'actions', 'action'];

/**
 * The server frames as docs/PROTOCOL.md §4.2 describes them, field for field, for a client written
 * from that text alone; and `subscribed.lastSeq` is the conversation's, whatever `afterSeq` claimed.
 */
describe.each(DIALECTS)('socket frames as documented (%s)', (dialect) => {
  let s: Scenario;
  let agent: Probe;
  let visitor: Probe;
  beforeAll(async () => {
    s = await startScenario(dialect);
    agent = await connectAgent(s.server, s.admin);
    visitor = await connectVisitor(s.server, s.visitor.credential);
  });
  afterAll(async () => {
    agent?.close();
    visitor?.close();
    await s?.close();
  });

  const send = async (body: string) => {
    const clientId = visitor.sendMessage(s.visitor.conversationId, body);
    await visitor.until((p) => p.of('message.ack').some((a) => a.clientId === clientId), 'ack');
    return visitor.of('message.ack').find((a) => a.clientId === clientId);
  };

  it('answers ping, unsubscribe and inbox.subscribe with exactly the documented fields', async () => {
    agent.send({ type: 'ping', rid: 'p1' });
    agent.send({ type: 'unsubscribe', rid: 'u1', conversationId: s.visitor.conversationId });
    agent.send({ type: 'inbox.subscribe', rid: 'i1' });
    await agent.until((p) => p.of('inbox.subscribed').length > 0, 'inbox.subscribed');
    expect(agent.of('pong')).toEqual([{ type: 'pong', rid: 'p1' }]);
    expect(agent.of('unsubscribed')).toEqual([
      { type: 'unsubscribed', rid: 'u1', conversationId: s.visitor.conversationId },
    ]);
    expect(agent.of('inbox.subscribed')).toEqual([{ type: 'inbox.subscribed', rid: 'i1' }]);
  });

  it('sends message.ack, message.new and subscribed with the documented fields', async () => {
    agent.send({ type: 'subscribe', rid: 's1', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await agent.until((p) => p.of('subscribed').some((f) => f.rid === 's1'), 'subscribed');
    const ack = await send('Where is my parcel?');
    expect(Object.keys(ack ?? {}).sort()).toEqual(
      ['type', 'conversationId', 'clientId', 'seq', 'createdAt', 'duplicate'].sort(),
    );
    await agent.until((p) => p.of('message.new').some((f) => f.message.seq === ack?.seq), 'message.new');
    for (const frame of agent.of('message.new')) {
      expect(Object.keys(frame).sort()).toEqual(['message', 'type']);
      const keys = Object.keys(frame.message);
      for (const field of MESSAGE_FIELDS) expect(keys).toContain(field);
      for (const key of keys) expect([...MESSAGE_FIELDS, ...MESSAGE_OPTIONAL]).toContain(key);
      expect(Object.keys(frame.message.author).sort()).toEqual(['id', 'kind', 'name']);
    }
    const subscribed = agent.of('subscribed').find((f) => f.rid === 's1');
    expect(Object.keys(subscribed ?? {}).sort()).toEqual([
      'conversationId',
      'cursors',
      'lastSeq',
      'rid',
      'status',
      'type',
    ]);
    expect(subscribed?.status).toBe('open');
  });

  it('answers subscribed with the real last seq when afterSeq claims more, and then delivers live', async () => {
    const last = (await send('One more question'))?.seq as number;
    const other = await connectAgent(s.server, s.admin);
    other.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: last + 100 });
    const subscribed = await other.next('subscribed');
    expect(subscribed.lastSeq).toBe(last);
    expect(other.of('message.new')).toEqual([]);
    const next = await send('Hello?');
    await other.until(
      (p) => p.of('message.new').some((f) => f.message.seq === next?.seq),
      'the next message',
    );
    expect(next?.seq).toBe(last + 1);
    other.close();
  });

  it('starts over on a second subscribe to the same conversation, and delivers live messages once', async () => {
    const probe = await connectAgent(s.server, s.admin);
    const id = s.visitor.conversationId;
    probe.send({ type: 'subscribe', rid: 'first', conversationId: id, afterSeq: 0 });
    await probe.until((p) => p.of('subscribed').some((f) => f.rid === 'first'), 'first subscribed');
    const replayed = probe.of('message.new').length;
    probe.send({ type: 'subscribe', rid: 'second', conversationId: id, afterSeq: 0 });
    await probe.until((p) => p.of('subscribed').some((f) => f.rid === 'second'), 'second subscribed');
    // The whole history again, then one subscription: a live message arrives once.
    expect(probe.of('message.new').length).toBe(2 * replayed);
    const live = await send('Only once, please');
    await probe.until((p) => p.of('message.new').some((f) => f.message.seq === live?.seq), 'live message');
    await new Promise((r) => setTimeout(r, 200));
    expect(probe.of('message.new').filter((f) => f.message.seq === live?.seq)).toHaveLength(1);
    probe.close();
  });
});
