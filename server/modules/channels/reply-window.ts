import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { MessageStream } from '../conversations/message-stream.js';
import { adapterOf } from './adapters.js';
import { findContactOfVisitor } from './channel.repository.js';

const TEAM = new Set(['agent', 'api']);

/**
 * WhatsApp, Messenger and Instagram accept a business's free-form reply only within 24 hours of the
 * customer's last message. A team reply outside that window is refused inside the message's own
 * transaction, so it is not stored, not shown as sent, and the agent gets `channel_window_closed`
 * with a message that says why and what to do. The bot only ever answers a message just received.
 */
export function registerReplyWindow(stream: MessageStream): void {
  stream.onStore(async (trx, { message, conversation }) => {
    if (!TEAM.has(message.author_kind)) return;
    if (conversation.channel === 'web' || conversation.channel === 'email') return;
    const windowMs = adapterOf(conversation.channel)?.replyWindowMs ?? null;
    if (windowMs === null) return;
    const contact = await findContactOfVisitor(trx, conversation.visitor_id);
    if (!contact) return;
    if (clock.now() - Date.parse(contact.last_inbound_at) > windowMs)
      throw new AppError('channel_window_closed');
  });
}
