import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../test/support/clients.js';
import { type EmailScenario, startEmailScenario } from '../../../test/support/email-scenario.js';
import { CLAMD_SOCKET, DIALECTS, hasClamd } from '../../../test/support/services.js';
import { deliverChannelMail } from './deliver-channel-mail.js';
import { emailDeps } from './routes.js';

const WAIT = { timeout: 15_000, interval: 50 };
const AUTHSERV = 'mx.company.test';

/**
 * An email inbox as a channel, with real mail both ways: customers' mail goes with nodemailer into
 * Parley's own SMTP listener, replies leave through a real SMTP server that keeps them. New senders
 * start conversations, answers continue them (by Message-ID or the reply address), robots and
 * bounces never get an answer, and only the trusted relay's verdicts are recorded.
 */
describe.each(DIALECTS)('the email channel (%s)', (dialect) => {
  let s: EmailScenario;
  let address: string;
  let channelId: string;

  beforeAll(async () => {
    s = await startEmailScenario(dialect, { PARLEY_SMTP_AUTHSERV_ID: AUTHSERV });
    address = `support-${randomUUID().slice(0, 8)}@company.test`;
    const res = await http(s.server, 'POST', `${ws()}/channels`, {
      cookie: s.admin.cookie,
      body: { kind: 'email', name: 'Support inbox', widgetId: s.widget.id, address: address.toUpperCase() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.channel).toMatchObject({ kind: 'email', inboundAddress: address, status: 'active' });
    channelId = res.body.channel.id;
    // One address, one channel: a second claim to it is refused.
    const again = await http(s.server, 'POST', `${ws()}/channels`, {
      cookie: s.admin.cookie,
      body: { kind: 'email', name: 'Copy', widgetId: s.widget.id, address },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('channel_address_taken');
    const malformed = await http(s.server, 'POST', `${ws()}/channels`, {
      cookie: s.admin.cookie,
      body: { kind: 'email', name: 'Bad', widgetId: s.widget.id, address: 'not an address' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
  });
  afterAll(async () => s?.close());

  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const send = (mail: SendMailOptions & { envelope?: { from: string; to: string } }) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: s.inboundPort, secure: false, ignoreTLS: true })
      .sendMail({ to: address, ...mail });
  const emailConversations = () =>
    s.server.db.db
      .selectFrom('conversations')
      .select(['id', 'channel', 'visitor_id'])
      .where('channel', '=', 'email')
      .orderBy('created_at')
      .execute();
  const counts = async () => {
    const n = async (table: 'conversations' | 'messages' | 'visitors') =>
      Number(
        (
          await s.server.db.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      conversations: await n('conversations'),
      messages: await n('messages'),
      visitors: await n('visitors'),
    };
  };
  const messages = async (conversationId: string) => {
    const res = await http(s.server, 'GET', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    expect(res.status).toBe(200);
    return res.body.items as Array<{ seq: number; body: string; author: { kind: string } }>;
  };
  const agentReply = (conversationId: string, body: string) =>
    http(s.server, 'POST', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: s.admin.cookie,
      body: { clientId: randomUUID(), body },
    });
  const idOf = async (conversationId: string, seq: number) =>
    (
      await s.server.db.db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', conversationId)
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow()
    ).id;
  const mailOf = async (conversationId: string, seq: number) =>
    s.server.db.db
      .selectFrom('email_channel_mails')
      .selectAll()
      .where('message_id', '=', await idOf(conversationId, seq))
      .executeTakeFirst();

  it('a new sender starts a conversation; the agent’s reply is mailed once, threaded; the answer continues it', async () => {
    const before = await counts();
    await send({
      from: 'Jane Customer <jane@customer.test>',
      subject: 'Broken kettle',
      messageId: '<first-1@customer.test>',
      // HTML-only: stored as plain text, no markup, no script.
      html: '<p>My kettle <b>stopped</b> working.<script>alert(1)</script></p>',
    });
    const [conversation] = await emailConversations();
    expect(conversation).toBeDefined();
    const conversationId = conversation?.id as string;
    const visitorLines = (await messages(conversationId)).filter((m) => m.author.kind === 'visitor');
    expect(visitorLines.map((m) => m.body)).toEqual(['Subject: Broken kettle\n\nMy kettle stopped working.']);
    expect((await counts()).visitors).toBe(before.visitors + 1);
    const summary = await http(s.server, 'GET', `${ws()}/conversations/${conversationId}`, {
      cookie: s.admin.cookie,
    });
    expect(summary.body.channel).toBe('email');
    // The sender's address is sealed, as every channel's sender id: not in any row as text.
    expect(
      JSON.stringify(await s.server.db.db.selectFrom('channel_contacts').selectAll().execute()),
    ).not.toContain('jane@customer.test');

    const res = await agentReply(conversationId, 'Sorry to hear that. Which model is it?');
    expect(res.status).toBe(201);
    const out = await s.inbox.waitFor((m) => m.parsed.text?.includes('Which model is it?') === true);
    expect(out.to).toEqual(['jane@customer.test']);
    expect(out.parsed.subject).toBe('Re: Broken kettle');
    expect(out.parsed.inReplyTo).toBe('<first-1@customer.test>');
    expect(out.header('references')).toContain('<first-1@customer.test>');
    expect(out.parsed.replyTo?.value[0]?.address).toMatch(
      /^reply\+[0-9a-f-]{36}\.[a-z2-7]{20}@reply\.parley\.test$/,
    );
    // A person's answer is not an automatic one.
    expect(out.header('auto-submitted')).toBe('');
    const ourId = out.parsed.messageId as string;

    // The turn runs again (a node died after sending): the recorded mail stops a second one.
    const agentMessage = (await messages(conversationId)).find((m) => m.body.includes('Which model'));
    const again = await deliverChannelMail(
      { ...emailDeps(s.server.app), log: s.server.app.log },
      {
        messageId: await idOf(conversationId, agentMessage?.seq as number),
        conversationId,
        workspaceId: s.admin.workspaceId,
        seq: agentMessage?.seq as number,
        attempt: 2,
      },
    );
    expect(again).toBe('skipped');
    expect(s.inbox.mails.filter((m) => m.parsed.text?.includes('Which model is it?'))).toHaveLength(1);

    // The customer answers: to the channel address, naming Parley's mail; then to the reply address.
    await send({
      from: 'jane@customer.test',
      subject: 'Re: Broken kettle',
      inReplyTo: ourId,
      references: ['<first-1@customer.test>', ourId],
      text: 'The K-200.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Support <x@y> wrote:\n> Which model is it?',
    });
    await send({
      to: out.parsed.replyTo?.value[0]?.address as string,
      from: 'jane@customer.test',
      subject: 'Re: Broken kettle',
      text: 'Bought in March.',
    });
    expect(await emailConversations()).toHaveLength(1);
    const lines = (await messages(conversationId))
      .filter((m) => m.author.kind === 'visitor')
      .map((m) => m.body);
    expect(lines.slice(1)).toEqual(['The K-200.', 'Bought in March.']);

    const listed = await http(s.server, 'GET', `${ws()}/channels`, { cookie: s.admin.cookie });
    const channel = listed.body.items.find((c: { id: string }) => c.id === channelId);
    expect(channel).toMatchObject({ status: 'active', lastError: null });
    expect(channel.lastSeenAt).not.toBeNull();
  });

  it('a known sender’s new mail, and any mail naming no thread, joins their open conversation; a stranger gets their own', async () => {
    const [first] = await emailConversations();
    await send({ from: 'jane@customer.test', subject: 'Also', text: 'And the lid is loose.' });
    expect((await messages(first?.id as string)).at(-1)?.body).toBe('Subject: Also\n\nAnd the lid is loose.');
    await send({ from: 'bob@other.test', subject: 'Invoice', text: 'Where is my invoice?' });
    const all = await emailConversations();
    expect(all).toHaveLength(2);
    expect(all[1]?.visitor_id).not.toBe(first?.visitor_id);
  });

  it('someone copied on the thread who answers it by Message-ID gets a conversation of their own', async () => {
    const [jane] = await emailConversations();
    const ours = s.inbox.mails.find((m) => m.parsed.text?.includes('Which model is it?') === true);
    const ourId = ours?.parsed.messageId as string;
    expect(ourId).toBeTruthy();
    const janeBefore = (await messages(jane?.id as string)).length;
    await send({
      from: 'dave@neighbour.test',
      subject: 'Re: Broken kettle',
      inReplyTo: ourId,
      references: ['<first-1@customer.test>', ourId],
      text: 'I am Jane’s neighbour; mine broke too.',
    });
    // Not written into Jane's conversation as if she had said it.
    expect(await messages(jane?.id as string)).toHaveLength(janeBefore);
    const dave = (await emailConversations()).at(-1);
    expect(dave?.id).not.toBe(jane?.id);
    expect(dave?.visitor_id).not.toBe(jane?.visitor_id);
    expect((await messages(dave?.id as string)).map((m) => m.body)).toContain(
      'Subject: Re: Broken kettle\n\nI am Jane’s neighbour; mine broke too.',
    );
  });

  it('robots and bounces are accepted and dropped; nothing is stored and nothing is mailed back', async () => {
    const before = await counts();
    const mailsBefore = s.inbox.mails.length;
    const from = 'robot@customer.test';
    await send({ from, text: 'I am out of office.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await send({ from, text: 'Newsletter', headers: { Precedence: 'bulk' } });
    await send({ from, text: 'Junk', headers: { Precedence: 'junk' } });
    await send({ from, text: 'List', headers: { Precedence: 'list' } });
    await send({ from, text: 'Away', headers: { 'X-Autoreply': 'yes' } });
    await send({ from, text: 'A list post', headers: { 'List-Id': '<news.customer.test>' } });
    await send({ from, text: 'Delivery failed', envelope: { from: '', to: address } });
    await send({ from: 'MAILER-DAEMON@mx.customer.test', text: 'Undeliverable: Re: Broken kettle' });
    // A delivery status notification (RFC 3464), sent with a return path as some servers do.
    const dsn = [
      `From: postmaster-robot@customer.test`,
      `To: ${address}`,
      'Subject: Delivery Status Notification (Failure)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; nobody@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n');
    await send({ envelope: { from: 'bounces@customer.test', to: address }, raw: dsn });
    expect(await counts()).toEqual(before);
    // Nothing was mailed in answer to any of it.
    await s.server.app.messageStream.turns.sweep();
    expect(s.inbox.mails.length).toBe(mailsBefore);
  });

  it('refuses any other address at RCPT TO with 550, before any content', async () => {
    const before = await counts();
    for (const to of [`other@company.test`, `x${address}`, `${address.split('@')[0]}@elsewhere.test`]) {
      const err = (await send({ to, from: 'jane@customer.test', text: 'Hello?' }).catch(
        (e: unknown) => e,
      )) as {
        responseCode?: number;
      };
      expect(err.responseCode, to).toBe(550);
    }
    expect(await counts()).toEqual(before);
  });

  it('records SPF/DKIM/DMARC from the trusted relay’s topmost header only; forged ones are ignored', async () => {
    const [first] = await emailConversations();
    const conversationId = first?.id as string;
    // The relay prepends its header; the sender forged one with the same authserv-id below it.
    await send({
      from: 'jane@customer.test',
      subject: 'Re: Broken kettle',
      inReplyTo: '<first-1@customer.test>',
      text: 'Checked by the relay.',
      headers: [
        {
          key: 'Authentication-Results',
          value: `${AUTHSERV}; spf=fail smtp.mailfrom=customer.test; dkim=pass header.d=customer.test; dmarc=fail (p=reject) header.from=customer.test`,
        },
        { key: 'Authentication-Results', value: `${AUTHSERV}; spf=pass; dkim=pass; dmarc=pass` },
        { key: 'Authentication-Results', value: 'evil.example; spf=pass; dkim=pass; dmarc=pass' },
      ],
    });
    const relayed = (await messages(conversationId)).at(-1);
    expect(relayed?.body).toBe('Checked by the relay.');
    expect(await mailOf(conversationId, relayed?.seq as number)).toMatchObject({
      direction: 'in',
      spf: 'fail',
      dkim: 'pass',
      dmarc: 'fail',
    });
    // Only headers of other ids: nothing is trusted, nothing recorded.
    await send({
      from: 'jane@customer.test',
      text: 'Only forged headers.',
      headers: [{ key: 'Authentication-Results', value: 'mx.evil.test; spf=pass; dkim=pass; dmarc=pass' }],
    });
    const forged = (await messages(conversationId)).at(-1);
    expect(forged?.body).toContain('Only forged headers.');
    expect(await mailOf(conversationId, forged?.seq as number)).toMatchObject({
      spf: null,
      dkim: null,
      dmarc: null,
    });
    // The agent sees the trusted verdicts beside the message, and none for the forged-only mail.
    const status = await http(s.server, 'GET', `${ws()}/conversations/${conversationId}/email`, {
      cookie: s.admin.cookie,
    });
    expect(status.status).toBe(200);
    expect(status.body.mailChecks).toContainEqual({
      seq: relayed?.seq,
      spf: 'fail',
      dkim: 'pass',
      dmarc: 'fail',
    });
    expect(status.body.mailChecks.map((c: { seq: number }) => c.seq)).not.toContain(forged?.seq);
  });

  it('the bot’s buttons go out as numbered lines, marked automatic; the number answers the button', async () => {
    const flow = await http(s.server, 'POST', `${ws()}/widgets/${s.widget.id}/flows`, {
      cookie: s.admin.cookie,
      body: {
        name: 'Triage',
        trigger: 'first_message',
        definition: {
          start: 'menu',
          steps: [
            {
              id: 'menu',
              kind: 'buttons',
              text: 'What is it about?',
              buttons: [
                { label: 'An order', next: 'order' },
                { label: 'A repair', next: 'repair' },
              ],
            },
            { id: 'order', kind: 'message', text: 'Orders: noted.' },
            { id: 'repair', kind: 'message', text: 'Repairs: noted.' },
          ],
        },
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    await send({ from: 'carol@customer.test', subject: 'Help', text: 'I need help.' });
    const menu = await s.inbox.waitFor((m) => m.to[0] === 'carol@customer.test');
    expect(menu.parsed.text).toContain(
      'What is it about?\n\n1. An order\n2. A repair\n\nReply with the number of your choice.',
    );
    expect(menu.header('auto-submitted')).toBe('auto-replied');
    expect(menu.parsed.subject).toBe('Re: Help');
    await send({
      from: 'carol@customer.test',
      subject: 'Re: Help',
      inReplyTo: menu.parsed.messageId as string,
      text: '2\n\nOn Sat, Dec 5, 2026 Support <x@y> wrote:\n> What is it about?',
    });
    const next = await s.inbox.waitFor((m) => m.parsed.text?.includes('Repairs: noted.') === true);
    expect(next.header('auto-submitted')).toBe('auto-replied');
    expect(next.parsed.inReplyTo).not.toBe(menu.parsed.inReplyTo);
  });

  it('files follow the attachment rules; an answer to a closed conversation starts the next one', async () => {
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0c0' } })
      .png()
      .toBuffer();
    await send({
      from: 'dave@customer.test',
      subject: 'Photo',
      messageId: '<dave-1@customer.test>',
      text: 'See the photo.',
      attachments: [
        { filename: 'kettle.png', content: photo },
        { filename: 'setup.exe', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 7)]) },
      ],
    });
    const conversationId = (await emailConversations()).at(-1)?.id as string;
    const res = await http(s.server, 'GET', `${ws()}/conversations/${conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    const first = (res.body.items as Array<{ body: string; attachments?: Array<{ name: string }> }>).find(
      (m) => m.body.startsWith('Subject: Photo'),
    );
    expect(first?.body).toMatch(/See the photo\.\n\n\[A file sent by email could not be added/);
    expect(first?.attachments?.map((a) => a.name)).toEqual(['kettle.png']);

    const closed = await http(s.server, 'PATCH', `${ws()}/conversations/${conversationId}`, {
      cookie: s.admin.cookie,
      body: { status: 'closed' },
    });
    expect(closed.status).toBe(204);
    await send({
      from: 'dave@customer.test',
      subject: 'Re: Photo',
      inReplyTo: '<dave-1@customer.test>',
      text: 'One more thing.',
    });
    const latest = (await emailConversations()).at(-1);
    expect(latest?.id).not.toBe(conversationId);
    const summary = await http(s.server, 'GET', `${ws()}/conversations/${latest?.id}`, {
      cookie: s.admin.cookie,
    });
    expect(summary.body.previousConversationId).toBe(conversationId);
    const visitorLines = (await messages(latest?.id as string)).filter((m) => m.author.kind === 'visitor');
    expect(visitorLines.map((m) => m.body)).toEqual(['Subject: Re: Photo\n\nOne more thing.']);
  });

  it('a reply that cannot be mailed shows on the channel', async () => {
    const [first] = await emailConversations();
    await s.inbox.close();
    expect((await agentReply(first?.id as string, 'Is anyone reading this?')).status).toBe(201);
    await vi.waitFor(async () => {
      const listed = await http(s.server, 'GET', `${ws()}/channels`, { cookie: s.admin.cookie });
      expect(listed.body.items.find((c: { id: string }) => c.id === channelId)).toMatchObject({
        status: 'error',
        lastError: 'The SMTP server did not take the reply.',
      });
    }, WAIT);
  });
});

/** EICAR's test file: every scanner reports it, it harms nothing. The test clamd knows only it. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const clamd = await hasClamd();

describe.skipIf(!clamd)('the email channel with malware scanning', () => {
  let s: EmailScenario;
  afterAll(async () => s?.close());

  it('a file clamd finds infected is left out with a note; the clean one is stored', async () => {
    s = await startEmailScenario('sqlite', { PARLEY_CLAMD: `unix:${CLAMD_SOCKET}` });
    const ws = `/api/v1/workspaces/${s.admin.workspaceId}`;
    const created = await http(s.server, 'POST', `${ws}/channels`, {
      cookie: s.admin.cookie,
      body: { kind: 'email', name: 'Support', widgetId: s.widget.id, address: 'help@company.test' },
    });
    expect(created.status).toBe(201);
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: s.inboundPort, secure: false, ignoreTLS: true })
      .sendMail({
        from: 'erin@customer.test',
        to: 'help@company.test',
        subject: 'Files',
        text: 'Two files.',
        attachments: [
          { filename: 'notes.txt', content: 'The serial number is 12345.' },
          { filename: 'invoice.txt', content: EICAR },
        ],
      });
    const conversation = await s.server.db.db
      .selectFrom('conversations')
      .select('id')
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    const res = await http(s.server, 'GET', `${ws}/conversations/${conversation.id}/messages`, {
      cookie: s.admin.cookie,
    });
    const mail = (res.body.items as Array<{ body: string; attachments?: Array<{ name: string }> }>).find(
      (m) => m.body.startsWith('Subject: Files'),
    );
    expect(mail?.body).toMatch(/Two files\.\n\n\[A file sent by email could not be added/);
    expect(mail?.attachments?.map((a) => a.name)).toEqual(['notes.txt']);
  });
});
