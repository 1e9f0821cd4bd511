import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import { connectAgent, connectVisitor, http, startVisitor } from '../../../test/support/clients.js';
import { pdf, png } from '../../../test/support/sample-files.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/**
 * A message carries files: the sender's own uploads to the same conversation, once. They arrive with
 * the message on every socket, in the message list and on replay, like the rest of it.
 */
describe.each(DIALECTS)('messages carry attachments (%s)', (dialect) => {
  let s: Scenario;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const upload = async (credential: string, conversationId: string, bytes: Buffer, name: string) => {
    const res = await fetch(`${s.server.url}/api/v1/visitor/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: {
        origin: s.server.origin,
        authorization: `Bearer ${credential}`,
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(name),
      },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => s?.close());

  it('delivers a message’s files with it, live, in the list and on replay', async () => {
    const c = s.visitor.conversationId;
    const image = await upload(s.visitor.credential, c, await png(40, 30), 'broken part.png');
    const invoice = await upload(s.visitor.credential, c, pdf(), 'invoice.pdf');
    const agent = await connectAgent(s.server, s.admin);
    agent.send({ type: 'subscribe', conversationId: c, afterSeq: 0 });
    await agent.next('subscribed');
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    const clientId = newClientId();
    visitor.send({
      type: 'message.send',
      conversationId: c,
      clientId,
      body: 'Here is the part and the invoice',
      attachmentIds: [image, invoice],
    });
    const ack = await visitor.next('message.ack');
    await agent.until(
      (p) => p.of('message.new').some((f) => f.message.seq === ack.seq),
      'the message with its files',
    );
    const message = agent.of('message.new').find((f) => f.message.seq === ack.seq)?.message;
    expect(message?.attachments).toEqual([
      expect.objectContaining({ id: image, name: 'broken part.png', kind: 'png', width: 40, height: 30 }),
      expect.objectContaining({ id: invoice, name: 'invoice.pdf', kind: 'pdf', width: null }),
    ]);

    const list = await http(s.server, 'GET', `${ws()}/conversations/${c}/messages`, {
      cookie: s.admin.cookie,
    });
    const listed = list.body.items.find((m: { seq: number }) => m.seq === ack.seq);
    expect(listed.attachments.map((a: { id: string }) => a.id)).toEqual([image, invoice]);
    // A plain message carries no attachments field at all.
    expect(list.body.items[0].attachments).toBeUndefined();

    const again = await connectVisitor(s.server, s.visitor.credential);
    again.send({ type: 'subscribe', conversationId: c, afterSeq: ack.seq - 1 });
    await again.until(
      (p) => p.of('message.new').some((f) => f.message.seq === ack.seq),
      'the replayed message',
    );
    expect(again.of('message.new').find((f) => f.message.seq === ack.seq)?.message.attachments).toHaveLength(
      2,
    );

    // A resend with the same client id is the same message, files and all.
    visitor.send({
      type: 'message.send',
      conversationId: c,
      clientId,
      body: 'Here is the part and the invoice',
      attachmentIds: [image, invoice],
    });
    await visitor.until((p) => p.of('message.ack').length === 2, 'the second ack');
    expect(visitor.of('message.ack')[1]).toMatchObject({ seq: ack.seq, duplicate: true });
    for (const p of [agent, visitor, again]) p.close();
  });

  it('refuses files that are not the sender’s own unsent uploads to that conversation, storing no message', async () => {
    const c = s.visitor.conversationId;
    const other = await startVisitor(s.server, s.widget);
    const theirs = await upload(
      other.credential,
      other.conversationId,
      Buffer.from('not yours'),
      'theirs.txt',
    );
    const mine = await upload(s.visitor.credential, c, Buffer.from('mine'), 'mine.txt');
    const before = (await http(s.server, 'GET', `${ws()}/conversations/${c}`, { cookie: s.admin.cookie }))
      .body.lastSeq;
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    const send = async (ids: string[]) => {
      const clientId = newClientId();
      visitor.send({ type: 'message.send', conversationId: c, clientId, body: 'files', attachmentIds: ids });
      await visitor.until(
        (p) =>
          p.frames.some((f) => (f.type === 'error' || f.type === 'message.ack') && f.clientId === clientId),
        'the answer',
      );
      return visitor.frames.find(
        (f) => (f.type === 'error' || f.type === 'message.ack') && f.clientId === clientId,
      );
    };
    expect(await send([theirs])).toMatchObject({ type: 'error', code: 'attachment_not_found' });
    expect(await send([mine, theirs])).toMatchObject({ type: 'error', code: 'attachment_not_found' });
    // The administrator replies in the conversation: a visitor's upload is not theirs to send.
    const byAgent = await http(s.server, 'POST', `${ws()}/conversations/${c}/messages`, {
      cookie: s.admin.cookie,
      body: { clientId: newClientId(), body: 'sending it on', attachmentIds: [mine] },
    });
    expect(byAgent.status).toBe(404);
    expect(byAgent.body.error.code).toBe('attachment_not_found');
    const after = (await http(s.server, 'GET', `${ws()}/conversations/${c}`, { cookie: s.admin.cookie })).body
      .lastSeq;
    expect(after).toBe(before);
    expect(await send([mine])).toMatchObject({ type: 'message.ack' });
    // Sent once: not again with another message.
    expect(await send([mine])).toMatchObject({ type: 'error', code: 'attachment_not_found' });
    visitor.close();
  });

  it('takes a message of files alone; an empty message without files is refused and stores nothing', async () => {
    const c = s.visitor.conversationId;
    const shot = await upload(s.visitor.credential, c, await png(12, 12), 'screen.png');
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    const filesOnly = newClientId();
    visitor.send({
      type: 'message.send',
      conversationId: c,
      clientId: filesOnly,
      body: '',
      attachmentIds: [shot],
    });
    const ack = await visitor.next('message.ack');
    expect(ack.clientId).toBe(filesOnly);
    const empty = newClientId();
    visitor.send({ type: 'message.send', conversationId: c, clientId: empty, body: '' });
    const refused = await visitor.next('error');
    expect(refused).toMatchObject({ code: 'message_empty', message: 'Write a message or attach a file.' });
    const byAgent = await http(s.server, 'POST', `${ws()}/conversations/${c}/messages`, {
      cookie: s.admin.cookie,
      body: { clientId: newClientId(), body: '' },
    });
    expect(byAgent.status).toBe(400);
    expect(byAgent.body.error.code).toBe('message_empty');
    const list = await http(s.server, 'GET', `${ws()}/conversations/${c}/messages`, {
      cookie: s.admin.cookie,
    });
    const stored = list.body.items.filter((m: { clientId: string }) =>
      [filesOnly, empty].includes(m.clientId),
    );
    const conversation = await http(s.server, 'GET', `${ws()}/conversations/${c}`, {
      cookie: s.admin.cookie,
    });
    expect(conversation.body.lastMessagePreview).toBe('Sent a file');
    expect(stored).toEqual([
      expect.objectContaining({
        clientId: filesOnly,
        body: '',
        attachments: [expect.objectContaining({ id: shot })],
      }),
    ]);
    visitor.close();
  });
});
