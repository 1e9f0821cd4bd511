import { nowIso } from '../../platform/clock.js';
import type { Db, WidgetsTable } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { markHandoffRequested } from '../conversations/conversation.repository.js';
import { publishConversationUpdated, publishMessage } from '../conversations/events.js';
import { sendMessage } from '../conversations/send-message.js';
import type { Vault } from '../encryption/vault.js';
import { handoffNotice } from '../flows/after-hours.js';

export type HandoffTrigger = 'visitor_asked' | 'button' | 'bot_misses' | 'flow' | 'external_bot';

export const HANDOFF_MESSAGE =
  'I’m passing this conversation to a person. Stay here: someone from the team will reply in this chat.';

/**
 * Marks the conversation as waiting for a person and tells the visitor. From then on the bot stays
 * silent in it. Only the first request changes anything, whichever node or trigger comes first.
 * The queue and assignment build on `handoff_state`; this only records the request.
 */
export async function requestHandoff(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  conversationId: string;
  workspaceId: string;
  widget: Pick<WidgetsTable, 'id' | 'bot_name'>;
  trigger: HandoffTrigger;
}): Promise<boolean> {
  const { db, vault, pubsub, conversationId, workspaceId, widget } = options;
  if (!(await markHandoffRequested(db, conversationId, nowIso()))) return false;
  // Outside the widget's business hours the notice says when someone will answer.
  const body = await handoffNotice({
    db,
    widgetId: widget.id,
    workspaceId,
    conversationId,
    usual: HANDOFF_MESSAGE,
  });
  const result = await sendMessage({
    db,
    vault,
    conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `handoff_${conversationId.replace(/-/g, '')}`,
    body,
  }).catch(() => null); // a closed conversation still records the request
  if (result && !result.duplicate) await publishMessage({ db, vault, pubsub, result });
  else await publishConversationUpdated({ db, vault, pubsub, workspaceId, conversationId });
  return true;
}
