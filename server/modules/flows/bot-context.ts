import type { StructuredContent } from '../../../protocol/structured.js';
import type { ExternalBotConfig } from '../../config-external-bot.js';
import type { ConversationsTable, Db, MessagesTable, WidgetsTable } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { publishMessage } from '../conversations/events.js';
import { sendMessage } from '../conversations/send-message.js';
import type { Vault } from '../encryption/vault.js';
import { type HandoffTrigger, requestHandoff } from '../handoff/request-handoff.js';

/** What one bot turn works with: the visitor's message and where it was written. */
export interface BotTurn {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  externalBot: ExternalBotConfig;
  message: MessagesTable;
  conversation: ConversationsTable;
  widget: WidgetsTable;
}

/**
 * Sends the bot's `n`-th reply to the visitor's message. The client id derives from that message,
 * so a repeated turn stores each reply once. Returns the reply's seq.
 */
export async function botReply(
  turn: BotTurn,
  n: number,
  body: string,
  structured?: StructuredContent,
): Promise<number> {
  const { db, vault, pubsub, conversation, widget, message } = turn;
  const result = await sendMessage({
    db,
    vault,
    conversationId: conversation.id,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `fl${n}_${message.id.replace(/-/g, '')}`,
    body,
    ...(structured ? { structured } : {}),
  });
  if (!result.duplicate) await publishMessage({ db, vault, pubsub, result });
  return result.message.seq;
}

export function handOff(turn: BotTurn, trigger: HandoffTrigger): Promise<boolean> {
  return requestHandoff({
    db: turn.db,
    vault: turn.vault,
    pubsub: turn.pubsub,
    conversationId: turn.conversation.id,
    workspaceId: turn.conversation.workspace_id,
    widget: turn.widget,
    trigger,
  });
}
