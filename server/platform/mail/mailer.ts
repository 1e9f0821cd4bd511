import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import { nowIso } from '../clock.js';
import type { Db } from '../db/schema.js';

export interface MailMessage {
  workspaceId: string;
  to: string;
  subject: string;
  text: string;
  /** When the link inside stops working; outbox copies are deleted then. */
  expiresAt: string;
}

export interface Mailer {
  /** 'smtp' delivers through the configured server; 'outbox' keeps mail for administrators to read. */
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Mail for invitations and password resets. Without PARLEY_SMTP_URL (the embedded default) messages
 * land in the outbox table, which administrators read in the dashboard or with `parley outbox`.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, db: Db): Mailer {
  if (!config.smtpUrl) {
    return {
      kind: 'outbox',
      async send(m) {
        await db
          .insertInto('outbox')
          .values({
            id: randomUUID(),
            workspace_id: m.workspaceId,
            to_address: m.to,
            subject: m.subject,
            body: m.text,
            created_at: nowIso(),
            expires_at: m.expiresAt,
          })
          .execute();
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    kind: 'smtp',
    async send(m) {
      await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
