import nodemailer, { type SendMailOptions } from 'nodemailer';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, http } from '../../../test/support/clients.js';
import {
  agentReply,
  type EmailScenario,
  leaveEmail,
  REPLY_DOMAIN,
  runReplyMailer,
  startEmailScenario,
} from '../../../test/support/email-scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/**
 * Visitors answer reply mail and the answer lands in their conversation, as them, in order: real
 * mail, sent with nodemailer into Parley's own SMTP listener. Forged addresses are refused at RCPT
 * TO, robots are ignored, quotes are cut, nothing is ever sent back.
 */
describe.each(DIALECTS)('answers by email (%s)', (dialect) => {
  let s: EmailScenario;
  afterEach(async () => s?.close());

  const send = (mail: SendMailOptions & { envelope?: { from: string; to: string } }) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: s.inboundPort, secure: false, ignoreTLS: true })
      .sendMail({ from: 'visitor@example.com', subject: 'Re: New reply to your conversation', ...mail });

  const messages = async () => {
    const res = await http(
      s.server,
      'GET',
      `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${s.visitor.conversationId}/messages`,
      { cookie: s.admin.cookie },
    );
    expect(res.status).toBe(200);
    return res.body.items as Array<{ seq: number; body: string; author: { kind: string } }>;
  };

  /** The reply address of the visitor's conversation, from a real reply mail. */
  const replyAddress = async () => {
    await leaveEmail(s, s.visitor, 'visitor@example.com');
    await agentReply(s, s.admin, s.visitor.conversationId, 'Does Tuesday suit you?');
    await runReplyMailer(s.server, 6);
    const mail = await s.inbox.waitFor(() => true);
    return mail.parsed.replyTo?.value[0]?.address as string;
  };

  it('posts the answer as the visitor, quotes cut, in order, heard live by the agent', async () => {
    s = await startEmailScenario(dialect);
    const to = await replyAddress();
    const agent = await connectAgent(s.server, s.admin);
    agent.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await agent.next('subscribed');

    const first = await send({
      to,
      text: 'Yes, Tuesday works.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Acme <x@y> wrote:\n> Does Tuesday suit you?',
    });
    expect(first.accepted).toEqual([to]);
    await send({ to, text: 'And bring the invoice, please.\n-- \nJane' });
    // HTML-only mail becomes plain text; markup and scripts are not carried.
    await send({
      to,
      html: '<p>Third <b>point</b><script>alert(1)</script></p><blockquote>quoted</blockquote>',
    });

    const visitorLines = (await messages()).filter((m) => m.author.kind === 'visitor').map((m) => m.body);
    expect(visitorLines).toEqual(['Yes, Tuesday works.', 'And bring the invoice, please.', 'Third point']);
    await agent.until(
      (p) => p.of('message.new').some((f) => f.message.body === 'Third point'),
      'the answer, live',
    );
    // The same mail delivered twice (a retry) is stored once.
    await send({ to, text: 'Once only.', messageId: '<retry-1@example.com>' });
    await send({ to, text: 'Once only.', messageId: '<retry-1@example.com>' });
    expect((await messages()).filter((m) => m.body === 'Once only.')).toHaveLength(1);
    // Parley sent nothing in answer to any of it: the only mail is the reply mail itself.
    expect(s.inbox.mails).toHaveLength(1);
  });

  it('refuses forged and unknown addresses at RCPT TO with 550, and stores nothing', async () => {
    s = await startEmailScenario(dialect);
    const to = await replyAddress();
    const [local] = to.split('@') as [string];
    const forged = `${local.slice(0, -3)}aaa@${REPLY_DOMAIN}`;
    const wrongDomain = `${local}@elsewhere.test`;
    const otherConversation = `reply+${crypto.randomUUID()}.${local.slice(-20)}@${REPLY_DOMAIN}`;
    const before = (await messages()).length;
    for (const address of [forged, wrongDomain, otherConversation, `postmaster@${REPLY_DOMAIN}`]) {
      const err = (await send({ to: address, text: 'Let me in' }).catch((e: unknown) => e)) as {
        responseCode?: number;
      };
      expect(err.responseCode, address).toBe(550);
    }
    expect((await messages()).length).toBe(before);
    expect(s.inbox.mails).toHaveLength(1);
  });

  it('ignores auto-replies, bulk mail and mail without a return path', async () => {
    s = await startEmailScenario(dialect);
    const to = await replyAddress();
    const before = (await messages()).length;
    await send({ to, text: 'I am out of office.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await send({ to, text: 'Newsletter', headers: { Precedence: 'bulk' } });
    await send({ to, text: 'Away', headers: { 'X-Autoreply': 'yes' } });
    await send({ to, text: 'Delivery failed', envelope: { from: '', to } });
    expect((await messages()).length).toBe(before);
    expect(s.inbox.mails).toHaveLength(1);
  });

  it("stores files as the visitor's uploads, leaves out what is not accepted, and refuses mail over the size limit (552)", async () => {
    s = await startEmailScenario(dialect, { PARLEY_SMTP_INBOUND_MAX_KB: '64' });
    const to = await replyAddress();
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 7)]);
    await send({
      to,
      text: 'Here is the photo.',
      attachments: [
        { filename: 'photo.png', content: photo },
        { filename: 'setup.exe', content: program },
      ],
    });
    const last = (await messages()).at(-1) as unknown as {
      author: { kind: string };
      body: string;
      attachments?: Array<{ name: string; kind: string }>;
    };
    expect(last.author.kind).toBe('visitor');
    expect(last.body).toMatch(/^Here is the photo\.\n\n\[A file sent by email could not be added/);
    expect(last.attachments?.map((a) => [a.name, a.kind])).toEqual([['photo.png', 'png']]);
    const err = (await send({ to, text: 'x'.repeat(100_000) }).catch((e: unknown) => e)) as {
      responseCode?: number;
    };
    expect(err.responseCode).toBe(552);
  });
});
