import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import { connectVisitor, http, type Probe } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/**
 * Text that storage would alter (an unpaired UTF-16 surrogate becomes U+FFFD on its way to UTF-8)
 * or cannot hold the same on both dialects (NUL) is refused when it arrives, over the socket and
 * over HTTP, so what is acked is exactly what was sent and an honest resend is recognised.
 */
describe.each(DIALECTS)('message text (%s)', (dialect) => {
  let s: Scenario;
  let visitor: Probe;
  const messages = async () =>
    (
      await http(
        s.server,
        'GET',
        `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${s.visitor.conversationId}/messages`,
        { cookie: s.admin.cookie },
      )
    ).body.items as Array<{ clientId: string; body: string }>;

  beforeAll(async () => {
    s = await startScenario(dialect);
    visitor = await connectVisitor(s.server, s.visitor.credential);
  });
  afterAll(async () => {
    visitor?.close();
    await s?.close();
  });

  it('refuses an unpaired surrogate or NUL on the socket, naming the message, and stores nothing', async () => {
    const refused: string[] = [];
    for (const body of ['Half an emoji \uD83D', '\uDE00 trailing half', 'nul \u0000 inside']) {
      const clientId = newClientId();
      refused.push(clientId);
      visitor.send({ type: 'message.send', conversationId: s.visitor.conversationId, clientId, body });
      await visitor.until((p) => p.of('error').some((e) => e.clientId === clientId), 'the refusal');
      const error = visitor.of('error').find((e) => e.clientId === clientId);
      expect(error?.code).toBe('invalid_frame');
      expect(error?.details).toEqual([
        'message.send/body: must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate',
      ]);
    }
    // The socket stays open and usable.
    visitor.send({ type: 'ping', rid: 'after' });
    await visitor.until((p) => p.of('pong').some((f) => f.rid === 'after'), 'pong');
    expect((await messages()).filter((m) => refused.includes(m.clientId))).toEqual([]);
  });

  it('acks a whole emoji and answers its honest resend as a duplicate', async () => {
    const clientId = newClientId();
    const body = 'Thanks \uD83D\uDE00';
    visitor.sendMessage(s.visitor.conversationId, body, clientId);
    await visitor.until((p) => p.of('message.ack').some((a) => a.clientId === clientId), 'ack');
    visitor.sendMessage(s.visitor.conversationId, body, clientId);
    await visitor.until(
      (p) => p.of('message.ack').filter((a) => a.clientId === clientId).length === 2,
      'resend ack',
    );
    const acks = visitor.of('message.ack').filter((a) => a.clientId === clientId);
    expect(acks.map((a) => a.duplicate)).toEqual([false, true]);
    expect(visitor.of('error').some((e) => e.clientId === clientId)).toBe(false);
    expect((await messages()).find((m) => m.clientId === clientId)?.body).toBe(body);
  });

  it('refuses an unpaired surrogate over HTTP as well', async () => {
    const clientId = newClientId();
    const res = await http(
      s.server,
      'POST',
      `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${s.visitor.conversationId}/messages`,
      { cookie: s.admin.cookie, body: { clientId, body: 'On my way \uD83D' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_request',
      details: ['body/body: must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate'],
    });
    expect((await messages()).some((m) => m.clientId === clientId)).toBe(false);
  });
});
