import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { publishMessage } from '../conversations/events.js';
import { sendMessage } from '../conversations/send-message.js';
import type { Vault } from '../encryption/vault.js';
import { findWidgetById } from '../widgets/widget.repository.js';

export const RATING_PROMPT = 'How did we do? Rate this conversation from 1 to 5.';

/** After a resolution: a structured message the widget shows as a 1–5 rating with a comment box. */
export async function askForRating(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  conversationId: string;
  queryId: string;
}): Promise<void> {
  const { db, vault, pubsub } = options;
  const conversation = await db
    .selectFrom('conversations')
    .select(['widget_id', 'status'])
    .where('id', '=', options.conversationId)
    .executeTakeFirst();
  if (conversation?.status !== 'open') return;
  const widget = await findWidgetById(db, conversation.widget_id);
  if (!widget) return;
  const result = await sendMessage({
    db,
    vault,
    conversationId: options.conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `csat_${options.queryId.replace(/-/g, '')}`,
    body: RATING_PROMPT,
    structured: { parts: [{ type: 'rating' }] },
  });
  if (!result.duplicate) await publishMessage({ db, vault, pubsub, result });
}
