import type { FastifyInstance } from 'fastify';
import { clamdScanner } from '../../platform/malware/clamd-scanner.js';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import { messageDeps } from '../conversations/message-plugin.js';
import type { MessageStream } from '../conversations/message-stream.js';
import { deliverChannelMail } from './deliver-channel-mail.js';
import type { EmailDeps } from './mail-conversation.js';
import { emailDeps } from './routes.js';
import { sendDueReplies } from './send-due-replies.js';
import { SmtpListener } from './smtp-listener.js';
import { registerReplyTracking } from './track-replies.js';

export const EMAIL_JOB = 'email-replies';
/** The durable subscriber's name in the outbox: keep it stable across releases. */
export const EMAIL_CHANNEL_SUBSCRIBER = 'email-channel';
const OUTBOUND = new Set(['agent', 'api', 'bot']);
/** How often a node looks for replies due to be mailed: a mail goes out within this of its time. */
export const EMAIL_INTERVAL_SECONDS = 30;
const LEASE_MS = 2 * 60_000;
const BATCH = 50;

/** The reply mailer: on every node, and by its lease on one at a time. */
export function createEmailJob(
  deps: EmailDeps,
  o: { now?: () => Date; node?: string; log?: Pick<FastifyInstance['log'], 'info'> } = {},
): LeasedJob {
  return new LeasedJob({
    db: deps.db,
    name: EMAIL_JOB,
    leaseMs: LEASE_MS,
    ...(o.now ? { now: o.now } : {}),
    ...(o.node ? { node: o.node } : {}),
    run: async ({ now, keepGoing }) => {
      const r = await sendDueReplies(deps, { now, batchSize: BATCH, keepGoing });
      // Counts only: a run's log line names no visitor and no address.
      if (r.sent + r.failed > 0)
        o.log?.info({ job: EMAIL_JOB, sent: r.sent, failed: r.failed }, 'reply mail run');
      return r.completed;
    },
  });
}

/**
 * Email's part of the app: team replies start the wait (a subscriber of the message command), the
 * job mails what waited too long, the SMTP listener (when configured) takes answers and mail to
 * email channels in, and replies in email channel conversations are mailed once each.
 */
export function registerEmail(app: FastifyInstance, stream: MessageStream): void {
  registerReplyTracking(stream);
  // Every team or bot message of an email channel conversation owes a mail (deliver-channel-mail.ts).
  stream.owe(EMAIL_CHANNEL_SUBSCRIBER, {
    wants: ({ message, conversation }) =>
      OUTBOUND.has(message.author_kind) && conversation.channel === 'email',
    handle: async (turn) => {
      await deliverChannelMail({ ...emailDeps(app), log: app.log }, turn);
    },
  });
  const job = createEmailJob(emailDeps(app), { node: stream.node, log: app.log });
  // Files in mail pass the same checks as uploads, clamd's scan included when PARLEY_CLAMD is set.
  const limits = app.config.attachments;
  const attachments = {
    db: app.db,
    vault: app.vault,
    store: app.attachmentStore,
    limits,
    scanner: limits.clamd ? clamdScanner(limits.clamd) : null,
    log: app.log,
  };
  const listener = new SmtpListener(
    { ...messageDeps(app), log: app.log, attachments, authservId: app.config.email.authservId },
    app.config,
  );
  app.decorate('smtpListener', listener);
  app.addHook('onReady', async () => {
    await listener.start();
    job.start(EMAIL_INTERVAL_SECONDS, (err) => app.log.warn({ err }, 'reply mail run failed'));
  });
  app.addHook('preClose', async () => {
    await job.stop();
    await listener.stop();
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Parley's SMTP listener for answers to reply mail (idle unless PARLEY_SMTP_INBOUND_PORT is set). */
    smtpListener: SmtpListener;
  }
}
