import type { ExternalBotConfig } from '../../config-external-bot.js';
import { findConversationById, findMessageById } from '../conversations/lookups.js';
import type { MessageStream, OwedTurn } from '../conversations/message-stream.js';
import type { MessageDeps } from '../conversations/post-message.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import { takeBotTurn } from './take-bot-turn.js';

/**
 * The bot is a durable subscriber of the message stream: a visitor's message in a conversation the
 * bot answers (or, after a handoff, still listens to for an after-hours email) owes it a turn,
 * recorded with the message. If this node dies between the ack and the reply, the turn is taken
 * later by whichever node finds it, and the reply's client id (derived from the message) stores it
 * once.
 */
export function registerBotTurns(
  stream: MessageStream,
  deps: Omit<MessageDeps, 'stream'> & { externalBot: ExternalBotConfig },
): void {
  stream.owe('bot', {
    wants: ({ message, conversation }) =>
      message.author_kind === 'visitor' &&
      conversation.status === 'open' &&
      (conversation.handoff_state === 'bot' || conversation.bot_listening === 1),
    handle: async (turn) => {
      const stored = turn.stored ?? (await readStored(deps, turn));
      if (!stored) return;
      await takeBotTurn({
        ...deps,
        stream,
        externalBot: deps.externalBot,
        message: stored.message,
        // A turn taken late reads the conversation as it is now.
        conversation: turn.stored ? stored.conversation : undefined,
      });
    },
  });
}

/** The message a late turn is for, opened; null once it is gone (erased, expired). */
async function readStored(deps: Omit<MessageDeps, 'stream'>, turn: OwedTurn) {
  const row = await findMessageById(deps.db, turn.messageId);
  if (!row) return null;
  const key = await deps.vault.forConversation(deps.db, turn.conversationId);
  if (!key) return null;
  const conversation = await findConversationById(deps.db, turn.conversationId);
  if (!conversation) return null;
  return { message: openMessageRow(key, row), conversation };
}
