import type { EmailStatus } from '../../../protocol/email.js';
import { lastDeliveryAt, listMailChecks } from './email.repository.js';
import { type EmailDeps, mailTargetOf } from './mail-conversation.js';

/**
 * Whether a follow-up by email can go out, and why not: never the address itself. With it, the
 * relay's SPF, DKIM and DMARC verdicts on each mail the customer sent, for the agent to weigh.
 */
export async function getEmailStatus(deps: EmailDeps, conversationId: string): Promise<EmailStatus> {
  const lastMailedAt = await lastDeliveryAt(deps.db, conversationId);
  const mailChecks = (await listMailChecks(deps.db, conversationId, 200)).map((r) => ({
    seq: Number(r.seq),
    spf: r.spf,
    dkim: r.dkim,
    dmarc: r.dmarc,
  }));
  if (deps.mailer.kind !== 'smtp') return { available: false, reason: 'no_smtp', lastMailedAt, mailChecks };
  const target = await mailTargetOf(deps, conversationId);
  if ('unavailable' in target)
    return { available: false, reason: target.unavailable, lastMailedAt, mailChecks };
  return { available: true, reason: null, lastMailedAt, mailChecks };
}
