import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { createWidget, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { FakePlatforms, WEBHOOKS } from '../../../test/support/fake-platforms.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { clock } from '../../platform/clock.js';
import { deliverReply } from './deliver-reply.js';

const APP_SECRET = 'test-app-secret-0123456789abcdef';
const PHONE_NUMBER_ID = '106540352242922';
const WAIT = { timeout: 15_000, interval: 50 };

const sign = (raw: string) => `sha256=${createHmac('sha256', APP_SECRET).update(raw, 'utf8').digest('hex')}`;

describe.each(DIALECTS)('channels (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let platforms: FakePlatforms;
  let admin: TestAgent;
  let widget: Widget;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    platforms = new FakePlatforms();
    const base = await platforms.start();
    server = await startTestServer({
      database,
      env: {
        PARLEY_TELEGRAM_API_URL: base,
        PARLEY_META_GRAPH_API_URL: base,
        PARLEY_CHANNELS_ALLOW_PRIVATE: 'true',
        PARLEY_CHANNELS_TIMEOUT_MS: '3000',
      },
    });
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin);
  });
  afterAll(async () => {
    await server?.close();
    await platforms?.close();
    await database?.drop();
  });

  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;
  const connect = async (body: Record<string, unknown>) => {
    const res = await http(server, 'POST', `${ws()}/channels`, {
      cookie: admin.cookie,
      body: { widgetId: widget.id, ...body },
    });
    expect(res.status).toBe(201);
    return res.body as { channel: { id: string; webhookUrl: string }; webhookSecret: string };
  };
  const webhook = (channelId: string, raw: string, headers: Record<string, string | undefined>) =>
    http(server, 'POST', `/api/v1/channels/${channelId}/webhook`, {
      rawBody: raw,
      origin: null,
      headers: Object.fromEntries(
        Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    });
  const counts = async () => {
    const db = server.db.db;
    const n = async (table: 'visitors' | 'conversations' | 'messages' | 'channel_contacts') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      visitors: await n('visitors'),
      conversations: await n('conversations'),
      messages: await n('messages'),
      contacts: await n('channel_contacts'),
    };
  };
  const conversationOf = async (channel: string) => {
    const row = await server.db.db
      .selectFrom('conversations')
      .select(['id'])
      .where('channel', '=', channel as 'telegram')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const reply = (conversationId: string, body: string, clientId = randomUUID()) =>
    http(server, 'POST', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: admin.cookie,
      body: { clientId, body },
    });
  const sentTo = (predicate: (r: { path: string; body: Record<string, any> }) => boolean) =>
    platforms.sent.filter(predicate);

  it('Telegram: refuses a webhook without the secret token (nothing stored), takes the real one once, and answers through sendMessage', async () => {
    const { channel, webhookSecret } = await connect({
      kind: 'telegram',
      name: 'Support bot',
      botToken: platforms.botToken,
    });
    expect(channel.webhookUrl).toBe(`${server.url}/api/v1/channels/${channel.id}/webhook`);
    // The token and the secret are sealed: neither is in the row as text.
    const stored = JSON.stringify(await server.db.db.selectFrom('channels').selectAll().execute());
    expect(stored).not.toContain(platforms.botToken);
    expect(stored).not.toContain(webhookSecret);

    const raw = JSON.stringify(
      WEBHOOKS.telegram({
        updateId: 10000,
        chatId: 1111111,
        text: 'Where is my order?',
        date: Math.floor(Date.now() / 1000),
      }),
    );
    const before = await counts();
    for (const headers of [
      {},
      { 'x-telegram-bot-api-secret-token': 'wrong' },
      { 'x-telegram-bot-api-secret-token': `${webhookSecret}x` },
    ]) {
      const refused = await webhook(channel.id, raw, headers);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('webhook_signature_invalid');
    }
    expect(await counts()).toEqual(before);
    const listed = await http(server, 'GET', `${ws()}/channels`, { cookie: admin.cookie });
    expect(listed.body.items[0].lastSeenAt).toBeNull();

    const headers = { 'x-telegram-bot-api-secret-token': webhookSecret };
    expect((await webhook(channel.id, raw, headers)).status).toBe(200);
    // Telegram redelivers an update it had no answer for: the same update_id is stored once.
    expect((await webhook(channel.id, raw, headers)).status).toBe(200);
    const after = await counts();
    expect(after.visitors).toBe(before.visitors + 1);
    expect(after.contacts).toBe(before.contacts + 1);
    const conversationId = await conversationOf('telegram');
    const page = await http(server, 'GET', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: admin.cookie,
    });
    expect(
      page.body.items
        .filter((m: { author: { kind: string } }) => m.author.kind === 'visitor')
        .map((m: { body: string }) => m.body),
    ).toEqual(['Where is my order?']);
    const conversation = await http(server, 'GET', `${ws()}/conversations/${conversationId}`, {
      cookie: admin.cookie,
    });
    expect(conversation.body.channel).toBe('telegram');
    // The sender id is sealed under the visitor's key: not in the contact row as text.
    expect(
      JSON.stringify(await server.db.db.selectFrom('channel_contacts').selectAll().execute()),
    ).not.toContain('1111111');

    // With no knowledge base the bot hands the conversation to people at once, as on the web.
    await vi.waitFor(async () => {
      const handed = await http(server, 'GET', `${ws()}/conversations/${conversationId}`, {
        cookie: admin.cookie,
      });
      expect(handed.body.handoff).toBe('requested');
    }, WAIT);

    // An agent's reply reaches the customer, once.
    const res = await reply(conversationId, 'Your parcel left our warehouse today.');
    expect(res.status).toBe(201);
    await vi.waitFor(
      () => expect(sentTo((r) => r.body.text === 'Your parcel left our warehouse today.')).toHaveLength(1),
      WAIT,
    );
    expect(platforms.sent.at(-1)?.path).toBe(`/bot${platforms.botToken}/sendMessage`);
    const seen = await http(server, 'GET', `${ws()}/channels`, { cookie: admin.cookie });
    expect(seen.body.items[0]).toMatchObject({ status: 'active', lastError: null });
    expect(seen.body.items[0].lastSeenAt).not.toBeNull();
    expect(JSON.stringify(seen.body)).not.toContain(platforms.botToken);
  });

  it('retries a send the platform failed, and never sends one message twice', async () => {
    const conversationId = await conversationOf('telegram');
    platforms.failNext(2, 500);
    const failedBefore = platforms.failed.length;
    const res = await reply(conversationId, 'Sorry for the wait.');
    expect(res.status).toBe(201);
    await vi.waitFor(
      () => expect(sentTo((r) => r.body.text === 'Sorry for the wait.')).toHaveLength(1),
      WAIT,
    );
    expect(platforms.failed.length - failedBefore).toBe(2);
    // The turn ran again (a node died after sending): the delivery record stops a second send.
    const message = await server.db.db
      .selectFrom('messages')
      .select(['id', 'workspace_id', 'seq'])
      .where('conversation_id', '=', conversationId)
      // The reply itself, by its seq: another message of the conversation (the bot's) may come after it.
      .where('seq', '=', res.body.seq)
      .executeTakeFirstOrThrow();
    // The send is recorded just after the platform answered: wait for the record, as a turn run again
    // after a crash would find it.
    await vi.waitFor(async () => {
      const recorded = await server.db.db
        .selectFrom('channel_deliveries')
        .select('message_id')
        .where('message_id', '=', message.id)
        .executeTakeFirst();
      expect(recorded).toBeDefined();
    }, WAIT);
    const again = await deliverReply(
      { db: server.db.db, vault: server.app.vault, config: server.config.channels, log: server.app.log },
      {
        messageId: message.id,
        conversationId,
        workspaceId: message.workspace_id,
        seq: message.seq,
        attempt: 2,
      },
    );
    expect(again).toBe('skipped');
    expect(sentTo((r) => r.body.text === 'Sorry for the wait.')).toHaveLength(1);
    // The channel turns active just after the send is recorded: wait for that state.
    await vi.waitFor(async () => {
      const listed = await http(server, 'GET', `${ws()}/channels`, { cookie: admin.cookie });
      expect(listed.body.items[0].status).toBe('active');
    }, WAIT);
  });

  it('a refusal another try cannot fix (a revoked token) is shown on the channel and not retried', async () => {
    const conversationId = await conversationOf('telegram');
    platforms.failNext(1, 401);
    const failedBefore = platforms.failed.length;
    expect((await reply(conversationId, 'Are you still there?')).status).toBe(201);
    await vi.waitFor(async () => {
      const listed = await http(server, 'GET', `${ws()}/channels`, { cookie: admin.cookie });
      expect(listed.body.items[0]).toMatchObject({
        status: 'error',
        lastError: 'the platform answered 401: Unauthorized',
      });
    }, WAIT);
    await server.app.messageStream.turns.sweep();
    expect(platforms.failed.length - failedBefore).toBe(1);
    expect(sentTo((r) => r.body.text === 'Are you still there?')).toHaveLength(0);
  });

  it('WhatsApp: the verify-token handshake, X-Hub-Signature-256 over the raw body, and the 24-hour window', async () => {
    platforms.failNext(0, 0);
    const { channel, webhookSecret } = await connect({
      kind: 'whatsapp',
      name: 'WhatsApp',
      accessToken: platforms.accessToken,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
    });
    const hub = (token: string) =>
      http(
        server,
        'GET',
        `/api/v1/channels/${channel.id}/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`,
        { origin: null },
      );
    const ok = await hub(webhookSecret);
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toBe('1158201444');
    expect((await hub('not-the-token')).status).toBe(403);

    const raw = JSON.stringify(
      WEBHOOKS.whatsapp({
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        from: '16315551234',
        text: 'Hello, is the shop open?',
        timestamp: Math.floor(Date.now() / 1000),
        phoneNumberId: PHONE_NUMBER_ID,
      }),
    );
    const before = await counts();
    // Signed with another secret, signed over other bytes, or not signed: refused, nothing stored.
    const otherBytes = `${raw} `;
    for (const headers of [
      {},
      { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'another-secret').update(raw).digest('hex')}` },
      { 'x-hub-signature-256': sign(otherBytes) },
      { 'x-hub-signature-256': sign(raw).replace('sha256=', 'sha1=') },
    ]) {
      const refused = await webhook(channel.id, raw, headers);
      expect(refused.status).toBe(401);
    }
    expect(await counts()).toEqual(before);
    expect((await webhook(channel.id, raw, { 'x-hub-signature-256': sign(raw) })).status).toBe(200);
    expect((await counts()).messages).toBeGreaterThan(before.messages);
    const conversationId = await conversationOf('whatsapp');

    const res = await reply(conversationId, 'Yes, until 6 pm.');
    expect(res.status).toBe(201);
    await vi.waitFor(
      () => expect(sentTo((r) => r.body.text?.body === 'Yes, until 6 pm.')).toHaveLength(1),
      WAIT,
    );
    const sent = sentTo((r) => r.body.text?.body === 'Yes, until 6 pm.')[0];
    expect(sent).toMatchObject({
      path: `/${PHONE_NUMBER_ID}/messages`,
      authorization: `Bearer ${platforms.accessToken}`,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16315551234', type: 'text' },
    });

    // 25 hours after the customer's last message the platform would refuse a reply: Parley refuses it first.
    const lastInbound = new Date(clock.now() - 25 * 3_600_000).toISOString();
    await server.db.db
      .updateTable('channel_contacts')
      .set({ last_inbound_at: lastInbound })
      .where('channel_id', '=', channel.id)
      .execute();
    const messages = (await counts()).messages;
    const late = await reply(conversationId, 'Are you still interested?');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('channel_window_closed');
    expect(late.body.error.message).toMatch(/24 hours/);
    expect((await counts()).messages).toBe(messages);
    // The customer writes again: the window opens again and the reply goes out.
    const again = JSON.stringify(
      WEBHOOKS.whatsapp({
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMQA=',
        from: '16315551234',
        text: 'Still there?',
        timestamp: Math.floor(Date.now() / 1000),
        phoneNumberId: PHONE_NUMBER_ID,
      }),
    );
    expect((await webhook(channel.id, again, { 'x-hub-signature-256': sign(again) })).status).toBe(200);
    expect((await reply(conversationId, 'Are you still interested?')).status).toBe(201);
    await vi.waitFor(
      () => expect(sentTo((r) => r.body.text?.body === 'Are you still interested?')).toHaveLength(1),
      WAIT,
    );
  });

  it('Messenger and Instagram: signed webhooks in, Send API out', async () => {
    for (const [kind, object] of [
      ['messenger', 'page'],
      ['instagram', 'instagram'],
    ] as const) {
      const { channel } = await connect({
        kind,
        name: kind,
        accessToken: platforms.accessToken,
        appSecret: APP_SECRET,
      });
      const sender = kind === 'messenger' ? '7654321098765432' : '17841405309211844';
      const raw = JSON.stringify(
        WEBHOOKS.messaging({
          object,
          mid: `mid.${kind}.1457764197618:41d102a3e1ae206a38`,
          sender,
          text: 'hello, world!',
          timestamp: Date.now(),
        }),
      );
      expect((await webhook(channel.id, raw, { 'x-hub-signature-256': 'sha256=00' })).status).toBe(401);
      expect((await webhook(channel.id, raw, { 'x-hub-signature-256': sign(raw) })).status).toBe(200);
      const conversationId = await conversationOf(kind);
      expect((await reply(conversationId, `Hi from ${kind}`)).status).toBe(201);
      await vi.waitFor(
        () => expect(sentTo((r) => r.body.message?.text === `Hi from ${kind}`)).toHaveLength(1),
        WAIT,
      );
      expect(sentTo((r) => r.body.message?.text === `Hi from ${kind}`)[0]).toMatchObject({
        path: '/me/messages',
        body: { recipient: { id: sender }, messaging_type: 'RESPONSE' },
      });
    }
  });

  it('refuses an email channel while Parley can neither take nor send mail, storing nothing', async () => {
    const before = await server.db.db.selectFrom('channels').select('id').execute();
    const res = await http(server, 'POST', `${ws()}/channels`, {
      cookie: admin.cookie,
      body: { kind: 'email', name: 'Inbox', widgetId: widget.id, address: 'help@company.test' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_channel_unavailable');
    expect(await server.db.db.selectFrom('channels').select('id').execute()).toEqual(before);
    const missing = await http(server, 'POST', `${ws()}/channels`, {
      cookie: admin.cookie,
      body: { kind: 'email', name: 'Inbox', widgetId: widget.id },
    });
    expect(missing.status).toBe(400);
  });

  it('removing a channel refuses its webhooks from then on', async () => {
    const { channel, webhookSecret } = await connect({
      kind: 'telegram',
      name: 'Old bot',
      botToken: platforms.botToken,
    });
    const removed = await http(server, 'DELETE', `${ws()}/channels/${channel.id}`, {
      cookie: admin.cookie,
      body: {},
    });
    expect(removed.status).toBe(204);
    const raw = JSON.stringify(
      WEBHOOKS.telegram({
        updateId: 20000,
        chatId: 2222222,
        text: 'hi',
        date: Math.floor(Date.now() / 1000),
      }),
    );
    const res = await webhook(channel.id, raw, { 'x-telegram-bot-api-secret-token': webhookSecret });
    expect(res.status).toBe(404);
  });
  it('the bot answers on the channel as on the web; its buttons go as numbered lines, and the number presses one', async () => {
    const article = await http(server, 'POST', `${ws()}/knowledge/articles`, {
      cookie: admin.cookie,
      body: {
        title: 'Refund timing',
        body: 'Refunds are issued within 5 business days after your return reaches our warehouse.',
        questions: ['When will I get my refund?'],
      },
    });
    expect(article.status).toBe(201);
    const { channel, webhookSecret } = await connect({
      kind: 'telegram',
      name: 'Bot line',
      botToken: platforms.botToken,
    });
    const headers = { 'x-telegram-bot-api-secret-token': webhookSecret };
    const send = (updateId: number, text: string) =>
      webhook(
        channel.id,
        JSON.stringify(
          WEBHOOKS.telegram({ updateId, chatId: 3333333, text, date: Math.floor(Date.now() / 1000) }),
        ),
        headers,
      );
    const toCustomer = () => sentTo((r) => r.body.chat_id === '3333333').map((r) => r.body.text as string);

    expect((await send(30001, 'When will I get my refund?')).status).toBe(200);
    await vi.waitFor(() => expect(toCustomer()).toHaveLength(1), WAIT);
    expect(toCustomer()[0]).toBe(
      'Refunds are issued within 5 business days after your return reaches our warehouse.\n\nSource: Refund timing',
    );

    expect((await send(30002, 'Do you rent out zebras?')).status).toBe(200);
    await vi.waitFor(() => expect(toCustomer()).toHaveLength(2), WAIT);
    const offer = toCustomer()[1] as string;
    const choices = [...offer.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => ({ n: m[1], label: m[2] }));
    expect(choices.length).toBeGreaterThan(0);
    expect(offer).toContain('Reply with the number of your choice.');
    const person = choices.at(-1);
    expect((await send(30003, ` ${person?.n} `)).status).toBe(200);

    const conversationId = await conversationOf('telegram');
    await vi.waitFor(async () => {
      const handed = await http(server, 'GET', `${ws()}/conversations/${conversationId}`, {
        cookie: admin.cookie,
      });
      expect(handed.body.handoff).toBe('requested');
    }, WAIT);
    // The number was stored as the button it pressed: its label, answering the bot's message.
    const page = await http(server, 'GET', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: admin.cookie,
    });
    const last = page.body.items
      .filter((m: { author: { kind: string } }) => m.author.kind === 'visitor')
      .at(-1);
    expect(last.body).toBe(person?.label);
    expect(last.action).toBeDefined();
  });
});
