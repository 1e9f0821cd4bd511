import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../protocol/common.js';
import { connectAgent, connectVisitor, http, type Probe } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { HANDOFF_MESSAGE } from '../handoff/request-handoff.js';

const ARTICLES = [
  {
    title: 'Refund timing',
    body: 'Refunds are issued within 5 business days after your return reaches our warehouse.',
    questions: ['When will I get my refund?'],
  },
  {
    title: 'Shipping costs',
    body: 'Shipping is free on orders over €50; otherwise it costs €4.95.',
    questions: ['How much is shipping?'],
  },
  {
    title: 'Tracking your order',
    body: 'We email you a tracking link as soon as your parcel leaves the warehouse.',
    questions: ['Where is my package?'],
  },
];

describe.each(DIALECTS)('knowledge-base bot (%s)', (dialect) => {
  let s: Scenario;
  let visitor: Probe;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeEach(async () => {
    s = await startScenario(dialect);
    for (const a of ARTICLES) {
      const res = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
        cookie: s.admin.cookie,
        body: a,
      });
      expect(res.status).toBe(201);
    }
    visitor = await connectVisitor(s.server, s.visitor.credential, s.widget.allowedOrigins[0]);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterEach(async () => {
    visitor.close();
    await s.close();
  });

  const botMessages = (p: Probe): Message[] =>
    p
      .of('message.new')
      .map((f) => f.message)
      .filter((m) => m.author.kind === 'bot' && m.seq > 1);
  const ask = async (text: string, count: number) => {
    visitor.sendMessage(s.visitor.conversationId, text);
    await visitor.until((p) => botMessages(p).length >= count, `bot reply ${count}`);
    return botMessages(visitor)[count - 1] as Message;
  };

  it('answers a question the knowledge base covers, citing the article title', async () => {
    const answer = await ask('When will my refund be issued?', 1);
    expect(answer.body).toContain('within 5 business days');
    expect(answer.parts).toEqual([expect.objectContaining({ type: 'source', title: 'Refund timing' })]);
    // The visitor's own message was acked before (and independently of) the bot's answer.
    expect(visitor.of('message.ack')).toHaveLength(1);
  });

  it('says nothing to a message of files alone, and answers the question that follows', async () => {
    const res = await fetch(
      `${s.server.url}/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments`,
      {
        method: 'POST',
        headers: {
          origin: s.server.origin,
          authorization: `Bearer ${s.visitor.credential}`,
          'content-type': 'application/octet-stream',
          'x-file-name': 'receipt.txt',
        },
        body: new TextEncoder().encode('Order 1001, paid'),
      },
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    visitor.send({
      type: 'message.send',
      conversationId: s.visitor.conversationId,
      clientId: 'files_only_message_1',
      body: '',
      attachmentIds: [id],
    });
    await visitor.until((p) => p.of('message.ack').length === 1, 'the ack');
    const answer = await ask('When will my refund be issued?', 1);
    expect(answer.body).toContain('within 5 business days');
    expect(botMessages(visitor)).toHaveLength(1);
  });

  it('offers the closest articles and a person below the threshold; a click answers with that article', async () => {
    const reply = await ask('shipping refund', 1); // matches two articles, each only half
    expect(reply.parts).toBeUndefined();
    const labels = reply.actions?.map((a) => a.label) ?? [];
    expect(labels).toContain('Refund timing');
    expect(labels.at(-1)).toBe('Talk to a person');

    const choice = reply.actions?.find((a) => a.label === 'Shipping costs');
    expect(choice).toBeDefined();
    visitor.send({
      type: 'message.send',
      conversationId: s.visitor.conversationId,
      clientId: 'click_shipping_costs_1',
      body: 'Shipping costs',
      action: { seq: reply.seq, id: choice?.id },
    });
    await visitor.until((p) => botMessages(p).length >= 2, 'answer to the click');
    const clicked = visitor.of('message.new').find((f) => f.message.clientId === 'click_shipping_costs_1');
    expect(clicked?.message.action).toEqual({ seq: reply.seq, id: choice?.id });
    expect(botMessages(visitor)[1]?.parts?.[0]).toMatchObject({ type: 'source', title: 'Shipping costs' });
  });

  it('refuses a quick reply that the referenced message never offered', async () => {
    const reply = await ask('shipping refund', 1);
    for (const action of [
      { seq: reply.seq, id: 'article_00000000000040008000000000000000' }, // not on that message
      { seq: 1, id: 'handoff' }, // the greeting has no buttons
    ]) {
      visitor.send({
        type: 'message.send',
        conversationId: s.visitor.conversationId,
        clientId: `forged_${action.seq}_${action.id.length}_xxxxxxxx`,
        body: 'Talk to a person',
        action,
      });
    }
    await visitor.until((p) => p.of('error').length >= 2, 'two refusals');
    expect(visitor.of('error').map((e) => e.code)).toEqual(['invalid_action', 'invalid_action']);
  });

  it('hands off when the visitor presses "Talk to a person", shows it in the inbox and stops answering', async () => {
    const agent = await connectAgent(s.server, s.admin);
    agent.send({ type: 'inbox.subscribe' });
    await agent.next('inbox.subscribed');
    const reply = await ask('shipping refund', 1);
    const handoff = reply.actions?.find((a) => a.kind === 'handoff');
    visitor.send({
      type: 'message.send',
      conversationId: s.visitor.conversationId,
      clientId: 'click_handoff_button_1',
      body: 'Talk to a person',
      action: { seq: reply.seq, id: handoff?.id },
    });
    await visitor.until((p) => botMessages(p).some((m) => m.body === HANDOFF_MESSAGE), 'handoff notice');
    await agent.until(
      (p) => p.of('conversation.updated').some((f) => f.conversation.handoff === 'requested'),
      'inbox update',
    );
    const list = await http<{ items: Conversation[] }>(s.server, 'GET', `${base()}/conversations`, {
      cookie: s.admin.cookie,
    });
    expect(list.body.items[0]).toMatchObject({
      handoff: 'requested',
      handoffRequestedAt: expect.any(String),
    });

    // The bot is silent from now on, even for a question it could answer.
    const before = botMessages(visitor).length;
    visitor.sendMessage(s.visitor.conversationId, 'When will I get my refund?');
    const marker = visitor.sendMessage(s.visitor.conversationId, 'hello?');
    await visitor.until((p) => p.of('message.new').some((f) => f.message.clientId === marker), 'own echo');
    await agent.until((p) => p.of('conversation.updated').length >= 4, 'inbox saw both messages');
    expect(botMessages(visitor)).toHaveLength(before);
    agent.close();
  });

  it('hands off when the visitor asks for a human, and after repeated misses', async () => {
    await ask('can I speak to a human please', 1);
    expect(botMessages(visitor)[0]?.body).toBe(HANDOFF_MESSAGE);

    // A second visitor whose questions the bot cannot answer twice in a row (the widget default).
    const other = await http(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: s.widget.id, hostOrigin: s.widget.allowedOrigins[0] },
    });
    const probe = await connectVisitor(s.server, other.body.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: other.body.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    probe.sendMessage(other.body.conversationId, 'quantum chromodynamics');
    await probe.until((p) => botMessages(p).length >= 1, 'first miss');
    expect(botMessages(probe)[0]?.actions?.map((a) => a.kind)).toEqual(['handoff']);
    probe.sendMessage(other.body.conversationId, 'tell me about black holes');
    await probe.until((p) => botMessages(p).length >= 2, 'second miss');
    expect(botMessages(probe)[1]?.body).toBe(HANDOFF_MESSAGE);
    probe.close();
  });

  it('uses the widget threshold: at 100% a half-matching question only gets suggestions', async () => {
    const res = await http(s.server, 'PATCH', `${base()}/widgets/${s.widget.id}`, {
      cookie: s.admin.cookie,
      body: { botMinConfidence: 100, botHandoffAfterMisses: 0 },
    });
    expect(res.body).toMatchObject({ botMinConfidence: 100, botHandoffAfterMisses: 0 });
    const reply = await ask('refund shipping', 1);
    expect(reply.actions?.length).toBeGreaterThan(1);
  });
});
