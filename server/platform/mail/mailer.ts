import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import { nowIso } from '../clock.js';
import type { KeyRing } from '../crypto/key-ring.js';
import type { Db, OutboxMailKind } from '../db/schema.js';
import { sealOutboxBody } from './outbox-body.js';

export interface MailMessage {
  workspaceId: string;
  to: string;
  subject: string;
  text: string;
  /** Decides who may see the link when the mail waits in the outbox (see listOutboxMail). */
  kind: OutboxMailKind;
  /** When the link inside stops working; outbox copies are deleted then. */
  expiresAt: string;
}

/**
 * Mail to a visitor (a reply they have not seen, their transcript): only ever delivered over SMTP,
 * never kept in the outbox, which administrators read and which must not become a copy of
 * conversations.
 */
export interface DirectMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Where the visitor's answer goes (Parley's listener), when there is one. */
  replyTo?: string;
  /** Extra headers (Auto-Submitted, List-Unsubscribe, threading). */
  headers?: Record<string, string>;
  messageId?: string;
}

export interface Mailer {
  /** 'smtp' delivers through the configured server; 'outbox' keeps mail for administrators to read. */
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  /** Delivers over SMTP; refuses (throws) in outbox mode, where nothing reaches a visitor. */
  deliver(message: DirectMail): Promise<void>;
  close(): void;
}

/**
 * Mail for invitations and password resets. Without PARLEY_SMTP_URL (the embedded default) messages
 * land in the outbox table, sealed under the master key ring, which administrators read in the
 * dashboard or the host operator with `parley outbox`.
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'> & { email?: Pick<Config['email'], 'dkim'> },
  db: Db,
  ring: KeyRing,
): Mailer {
  if (!config.smtpUrl) {
    return {
      kind: 'outbox',
      async send(m) {
        const id = randomUUID();
        await db
          .insertInto('outbox')
          .values({
            id,
            workspace_id: m.workspaceId,
            to_address: m.to,
            subject: m.subject,
            body: sealOutboxBody(ring, id, m.text),
            kind: m.kind,
            created_at: nowIso(),
            expires_at: m.expiresAt,
          })
          .execute();
      },
      async deliver() {
        throw new Error('Mail to visitors needs PARLEY_SMTP_URL; the outbox keeps only mail for the team.');
      },
      close() {},
    };
  }
  // Every mail is DKIM-signed when a key is configured (config-email.ts): receivers check it with SPF.
  const dkim = config.email?.dkim;
  const transport = nodemailer.createTransport(config.smtpUrl, dkim ? { dkim: { ...dkim } } : {});
  return {
    kind: 'smtp',
    async send(m) {
      await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text });
    },
    async deliver(m) {
      await transport.sendMail({
        from: config.mailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        ...(m.messageId ? { messageId: m.messageId } : {}),
        headers: m.headers ?? {},
      });
    },
    close: () => transport.close(),
  };
}
