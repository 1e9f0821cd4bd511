import type { StructuredContent } from '../../../protocol/structured.js';
import type { ExternalBotConfig } from '../../config-external-bot.js';
import type { Executor, MessagesTable, WidgetsTable } from '../../platform/db/schema.js';
import type { ConversationAfterSend } from '../conversations/message-stream.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { type HandoffTrigger, requestHandoff } from '../handoff/request-handoff.js';
import { handoffNotice } from './after-hours.js';

/** What one bot turn works with: the visitor's message and where it was written. */
export interface BotTurn extends MessageDeps {
  externalBot: ExternalBotConfig;
  message: MessagesTable;
  conversation: ConversationAfterSend;
  widget: WidgetsTable;
}

/**
 * Sends the bot's `n`-th reply to the visitor's message. The client id derives from that message,
 * so a repeated turn (a retry, or after the node that began it died) stores each reply once.
 * Returns the reply's seq.
 */
export async function botReply(
  turn: BotTurn,
  n: number,
  body: string,
  structured?: StructuredContent,
): Promise<number> {
  const { conversation, widget, message } = turn;
  const result = await postMessage(turn, {
    conversationId: conversation.id,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `fl${n}_${message.id.replace(/-/g, '')}`,
    body,
    ...(structured ? { structured } : {}),
  });
  return result.message.seq;
}

/**
 * Hands the conversation to people. The visitor is told, unless the widget has no bot at all (then
 * people answer anyway and the bot has nothing to announce).
 */
export function handOff(turn: BotTurn, trigger: HandoffTrigger, announce = true): Promise<boolean> {
  const { conversation, widget } = turn;
  return requestHandoff({
    db: turn.db,
    vault: turn.vault,
    pubsub: turn.pubsub,
    stream: turn.stream,
    conversationId: conversation.id,
    workspaceId: conversation.workspace_id,
    widget,
    trigger,
    ...(announce
      ? {
          notice: (trx: Executor) =>
            handoffNotice({
              db: trx,
              widgetId: widget.id,
              workspaceId: conversation.workspace_id,
              conversationId: conversation.id,
              visitorId: conversation.visitor_id,
              language: conversation.language,
            }),
        }
      : {}),
  });
}
