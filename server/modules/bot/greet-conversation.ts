import type { Db, WidgetsTable } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { publishMessage } from '../conversations/events.js';
import { sendMessage } from '../conversations/send-message.js';
import type { Vault } from '../encryption/vault.js';
import { quickReplyFlows } from '../flows/quick-reply-flows.js';

/**
 * The bot's first message in a new conversation: the widget's greeting. Its client id is derived
 * from the conversation, so greeting twice (two nodes, a retry) still stores it once.
 */
export async function greetConversation(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  conversationId: string;
  widget: Pick<WidgetsTable, 'id' | 'workspace_id' | 'greeting' | 'bot_name'>;
}): Promise<void> {
  const { db, vault, pubsub, conversationId, widget } = options;
  if (!widget.greeting) return;
  const actions = await quickReplyFlows(db, widget);
  const result = await sendMessage({
    db,
    vault,
    conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `greeting_${conversationId.replace(/-/g, '')}`,
    body: widget.greeting,
    // Flows the widget offers as quick replies appear as buttons under the greeting.
    ...(actions.length > 0 ? { structured: { actions } } : {}),
  });
  if (!result.duplicate) await publishMessage({ db, vault, pubsub, result });
}
