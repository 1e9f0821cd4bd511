import type { FastifyInstance } from 'fastify';
import type { MessageStream } from '../conversations/message-stream.js';
import { deliverReply } from './deliver-reply.js';
import { registerReplyWindow } from './reply-window.js';

/** The durable subscriber's name in the outbox: keep it stable across releases. */
export const CHANNEL_SUBSCRIBER = 'channel';
const OUTBOUND = new Set(['agent', 'api', 'bot']);

/**
 * Channels' part of the message stream: a team reply outside a platform's window is refused with the
 * message (reply-window.ts), and every team or bot message of a channel conversation owes a durable
 * turn that sends it to the platform (deliver-reply.ts), under the outbox's lease and retries.
 */
export function registerChannels(app: FastifyInstance, stream: MessageStream): void {
  registerReplyWindow(stream);
  stream.owe(CHANNEL_SUBSCRIBER, {
    wants: ({ message, conversation }) =>
      OUTBOUND.has(message.author_kind) && conversation.channel !== 'web' && conversation.channel !== 'email',
    handle: async (turn) => {
      await deliverReply({ db: app.db, vault: app.vault, config: app.config.channels, log: app.log }, turn);
    },
  });
}
