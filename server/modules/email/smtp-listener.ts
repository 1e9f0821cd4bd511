import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { ChannelsTable } from '../../platform/db/schema-channels.js';
import type { AttachmentDeps } from '../attachments/store-attachment.js';
import { emailChannelOfAddress, emailContactOf } from '../channels/email-channel.js';
import { findConversationById } from '../conversations/lookups.js';
import type { MessageDeps } from '../conversations/post-message.js';
import type { Vault } from '../encryption/vault.js';
import { type InboundMail, readInboundMail } from './read-inbound-mail.js';
import { receiveChannelMail } from './receive-channel-mail.js';
import { receiveReply } from './receive-reply.js';
import { conversationOfReplyAddress } from './reply-address.js';

type Target = { chain: string; run: () => Promise<unknown> };
type Answer = Extract<InboundMail, { kind: 'answer' }>;

type Fail = Error & { responseCode: number };
const fail = (responseCode: number, text: string): Fail => Object.assign(new Error(text), { responseCode });

/**
 * Parley's own SMTP listener: it takes visitors' answers to reply mail and customers' mail to email
 * channels, and nothing else. A recipient is accepted only if it is a reply address whose tag is
 * right (reply-address.ts) or the address of an email channel; anything else is refused at RCPT TO
 * with 550, before a byte of content, so Parley never accepts mail it would have to bounce. It never
 * sends mail itself in answer to anything: robots' mail and bounces are accepted and dropped.
 */
export class SmtpListener {
  private server: SMTPServer | null = null;
  /** Answers to one conversation are stored one after another, in the order they arrived. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: MessageDeps & {
      db: Db;
      vault: Vault;
      log: FastifyBaseLogger;
      attachments: AttachmentDeps;
      /** The trusted relay's authserv-id for Authentication-Results; null: none trusted. */
      authservId: string | null;
    },
    private readonly config: Pick<Config, 'email' | 'tls'>,
  ) {}

  async start(): Promise<void> {
    const inbound = this.config.email.inbound;
    const domain = this.config.email.replyDomain;
    if (!inbound || !domain) return;
    const tls = this.config.tls;
    const options: SMTPServerOptions = {
      name: domain,
      banner: 'Parley reply listener',
      logger: false,
      authOptional: true,
      // Offered with Parley's certificate when it has one; the MX or relay in front decides.
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) } : {}),
      size: inbound.maxBytes,
      maxClients: 100,
      onRcptTo: (address, session, callback) => {
        if (session.envelope.rcptTo.length >= 5) return callback(fail(452, '4.5.3 Too many recipients'));
        this.accepts(address.address, domain)
          .then((found) => callback(found ? undefined : fail(550, '5.1.1 No such recipient')))
          .catch(() => callback(fail(451, '4.3.0 Try again later')));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
            return callback(fail(552, '5.3.4 Message too big'));
          const from = session.envelope.mailFrom;
          const returnPath = from ? from.address || null : null;
          this.take(
            Buffer.concat(chunks),
            returnPath,
            session.envelope.rcptTo.map((r) => r.address),
            domain,
          )
            .then(() => callback())
            .catch((err: unknown) => {
              if (err instanceof AppError && err.code === 'conversation_closed')
                return callback(fail(550, '5.7.1 This conversation is closed; start a new one in the chat'));
              this.deps.log.warn({ err }, 'inbound reply not stored');
              callback(fail(451, '4.3.0 Try again later'));
            });
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', (err) => this.deps.log.warn({ err }, 'SMTP listener error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(inbound.port, inbound.host, () => resolve());
    });
    this.server = server;
  }

  get port(): number | null {
    return this.server ? (this.server.server.address() as AddressInfo).port : null;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.chains.values()]);
  }

  private async accepts(address: string, domain: string): Promise<boolean> {
    if (await conversationOfReplyAddress(this.deps, address, domain)) return true;
    return (await emailChannelOfAddress(this.deps.db, address)) !== null;
  }

  /** What to do for one recipient, and the chain it waits in (one per conversation, or channel). */
  private async targetOf(address: string, domain: string, mail: Answer): Promise<Target | null> {
    const replyTo = await conversationOfReplyAddress(this.deps, address, domain);
    if (replyTo) {
      const conversationId = replyTo.conversationId;
      const conversation = await findConversationById(this.deps.db, conversationId);
      const channel =
        conversation?.channel === 'email'
          ? (await emailContactOf(this.deps, conversation.visitor_id))?.channel
          : undefined;
      if (channel) return this.forChannel(channel, mail, conversationId);
      return {
        chain: conversationId,
        run: () => receiveReply(this.deps, { conversationId, mail }),
      };
    }
    const channel = await emailChannelOfAddress(this.deps.db, address);
    return channel ? this.forChannel(channel, mail) : null;
  }

  private forChannel(channel: ChannelsTable, mail: Answer, hint?: string): Target {
    return {
      chain: `channel:${channel.id}`,
      run: () => receiveChannelMail(this.deps, { channel, mail, ...(hint ? { hint } : {}) }),
    };
  }

  private async take(raw: Buffer, returnPath: string | null, recipients: string[], domain: string) {
    const mail = await readInboundMail(raw, { returnPath });
    if (mail.kind === 'ignored') {
      // Accepted and dropped: refusing would make the sending robot's server bounce to nobody useful.
      this.deps.log.info({ why: mail.why }, 'inbound mail ignored');
      return;
    }
    const seen = new Set<string>();
    for (const address of recipients) {
      const target = await this.targetOf(address, domain, mail);
      // The same mail to a channel and its reply address (Reply-All) is taken once.
      if (!target || seen.has(target.chain)) continue;
      seen.add(target.chain);
      const key = target.chain;
      const run = (this.chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(target.run);
      this.chains.set(key, run);
      void run
        .finally(() => {
          if (this.chains.get(key) === run) this.chains.delete(key);
        })
        .catch(() => undefined);
      await run;
    }
  }
}
