import type { EmailStatus } from '../../../protocol/email.js';
import { lastDeliveryAt } from './email.repository.js';
import { type EmailDeps, mailTargetOf } from './mail-conversation.js';

/** Whether a follow-up by email can go out, and why not: never the address itself. */
export async function getEmailStatus(deps: EmailDeps, conversationId: string): Promise<EmailStatus> {
  const lastMailedAt = await lastDeliveryAt(deps.db, conversationId);
  if (deps.mailer.kind !== 'smtp') return { available: false, reason: 'no_smtp', lastMailedAt };
  const target = await mailTargetOf(deps, conversationId);
  if ('unavailable' in target) return { available: false, reason: target.unavailable, lastMailedAt };
  return { available: true, reason: null, lastMailedAt };
}
