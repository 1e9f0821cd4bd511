import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectVisitor, http } from '../../../test/support/clients.js';
import {
  agentReply,
  anotherVisitor,
  type EmailScenario,
  leaveEmail,
  REPLY_DOMAIN,
  runReplyMailer,
  startEmailScenario,
} from '../../../test/support/email-scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { listDeliveries } from './email.repository.js';

/**
 * Replies a visitor has not seen are mailed to the address they left, after the wait, in one mail,
 * once: through a real SMTP server, on SQLite and PostgreSQL, with two nodes on one database.
 */
describe.each(DIALECTS)('reply mail (%s)', (dialect) => {
  let s: EmailScenario;
  const extra: TestServer[] = [];
  afterEach(async () => {
    for (const n of extra.splice(0)) await n.close();
    await s?.close();
  });

  it('mails unseen replies once, batched, after the wait, with a reply address and an unsubscribe link', async () => {
    s = await startEmailScenario(dialect);
    const c = s.visitor.conversationId;
    await leaveEmail(s, s.visitor, 'visitor@example.com');
    await agentReply(s, s.admin, c, 'Your parcel left the warehouse.');
    const last = await agentReply(s, s.admin, c, 'It should arrive <Tuesday> & not later.');

    // Inside the wait: nothing goes.
    expect((await runReplyMailer(s.server, 1)).sent).toBe(0);
    const run = await runReplyMailer(s.server, 6);
    expect(run.sent).toBe(1);
    const mail = await s.inbox.waitFor((m) => m.to.includes('visitor@example.com'));
    expect(mail.parsed.subject).toBe('New reply to your conversation');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Your parcel left the warehouse.');
    expect(text).toContain('It should arrive <Tuesday> & not later.');
    // The HTML part carries the conversation escaped, never as markup.
    expect(mail.parsed.html).toContain('&#60;Tuesday&#62; &#38; not later');
    expect(mail.parsed.html).not.toContain('<Tuesday>');
    const replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(
      new RegExp(`^reply\\+${c}\\.[a-z2-7]{20}@${REPLY_DOMAIN.replace(/\./g, '\\.')}$`),
    );
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    expect(mail.raw.replace(/\r\n[ \t]+/g, ' ')).toMatch(
      /^List-Unsubscribe: ?<http[^>]+\/unsubscribe#token=[A-Za-z0-9_.-]+>/m,
    );
    expect(text).toMatch(/\/unsubscribe#token=[A-Za-z0-9_.-]+/);

    // Run again: nothing more. What went is recorded, as seq ranges.
    expect((await runReplyMailer(s.server, 10)).sent).toBe(0);
    expect(s.inbox.mails).toHaveLength(1);
    const deliveries = await listDeliveries(s.server.db.db, c);
    expect(deliveries.map((d) => [d.kind, d.to_seq])).toEqual([['replies', last]]);

    // A later reply makes a new mail with only it marked new.
    await agentReply(s, s.admin, c, 'Tracking number: 42.');
    expect((await runReplyMailer(s.server, 12)).sent).toBe(1);
    expect(s.inbox.mails).toHaveLength(2);
    expect(s.inbox.mails[1]?.parsed.text).toContain('* Ada Admin');
  });

  it('mails nothing the visitor has seen, nor to a visitor who left no email', async () => {
    s = await startEmailScenario(dialect);
    const c = s.visitor.conversationId;
    await leaveEmail(s, s.visitor, 'reader@example.com');
    const seq = await agentReply(s, s.admin, c, 'Seen in time.');
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.send({ type: 'subscribe', conversationId: c, afterSeq: 0 });
    await v.next('subscribed');
    v.send({ type: 'receipt', rid: 'seen', conversationId: c, state: 'read', seq });
    await v.until((p) => p.of('receipt').some((f) => f.rid === 'seen'), 'receipt');
    v.close();

    const silent = await anotherVisitor(s);
    await agentReply(s, s.admin, silent.conversationId, 'Nobody to mail this to.');
    const run = await runReplyMailer(s.server, 6);
    expect(run).toMatchObject({ sent: 0, skipped: 2 });
    expect(s.inbox.mails).toHaveLength(0);
  });

  it('two nodes running the mailer at once send each batch exactly once', async () => {
    s = await startEmailScenario(dialect);
    const second = await startTestServer({
      database: s.database,
      migrate: false,
      env: { PARLEY_SMTP_URL: s.inbox.url, PARLEY_SMTP_INBOUND_DOMAIN: REPLY_DOMAIN },
    });
    extra.push(second);
    const visitors = [s.visitor, ...(await Promise.all([1, 2, 3, 4, 5].map(() => anotherVisitor(s))))];
    for (const [i, v] of visitors.entries()) {
      await leaveEmail(s, v, `visitor${i}@example.com`);
      await agentReply(s, s.admin, v.conversationId, `Answer ${i}`);
    }
    const runs = await Promise.all([
      runReplyMailer(s.server, 6),
      runReplyMailer(second, 6),
      runReplyMailer(s.server, 6),
      runReplyMailer(second, 6),
    ]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(visitors.length);
    await new Promise((r) => setTimeout(r, 200));
    const to = s.inbox.mails.flatMap((m) => m.to).sort();
    expect(to).toEqual(visitors.map((_, i) => `visitor${i}@example.com`).sort());
  });

  it('honours the unsubscribe link: no mail after it, and a forged token changes nothing', async () => {
    s = await startEmailScenario(dialect);
    const c = s.visitor.conversationId;
    await leaveEmail(s, s.visitor, 'leaving@example.com');
    await agentReply(s, s.admin, c, 'First answer.');
    await runReplyMailer(s.server, 6);
    const mail = await s.inbox.waitFor(() => true);
    const token = /unsubscribe#token=([A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1] as string;

    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = await http(s.server, 'POST', '/api/v1/email/unsubscribe', { body: { token: forged } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('unsubscribe_link_invalid');
    const ok = await http(s.server, 'POST', '/api/v1/email/unsubscribe', { body: { token } });
    expect(ok.status).toBe(204);
    // Twice is fine.
    expect((await http(s.server, 'POST', '/api/v1/email/unsubscribe', { body: { token } })).status).toBe(204);

    await agentReply(s, s.admin, c, 'Second answer.');
    expect((await runReplyMailer(s.server, 12)).sent).toBe(0);
    expect(s.inbox.mails).toHaveLength(1);
    const status = await http(
      s.server,
      'GET',
      `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${c}/email`,
      { cookie: s.admin.cookie },
    );
    expect(status.body).toMatchObject({ available: false, reason: 'opted_out' });
  });

  it('signs outgoing mail with DKIM when a key is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-dkim-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'dkim.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    s = await startEmailScenario(dialect, {
      PARLEY_DKIM_DOMAIN: 'parley.test',
      PARLEY_DKIM_SELECTOR: 'mail2026',
      PARLEY_DKIM_PRIVATE_KEY_FILE: keyFile,
    });
    await leaveEmail(s, s.visitor, 'signed@example.com');
    await agentReply(s, s.admin, s.visitor.conversationId, 'Signed reply.');
    await runReplyMailer(s.server, 6);
    const mail = await s.inbox.waitFor(() => true);
    expect(mail.raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=parley\.test;/m);
    expect(mail.raw).toMatch(/s=mail2026;/);
  });
});
