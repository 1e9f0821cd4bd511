import { visitorText } from '../../i18n/visitor-texts.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findWidgetById } from '../widgets/lookups.js';

/** The prompt in English; it is asked in the conversation's language (server/i18n). */
export const RATING_PROMPT = visitorText('en', 'ratingPrompt');

/** After a resolution: a structured message the widget shows as a 1–5 rating with a comment box. */
export async function askForRating(
  options: MessageDeps & { conversationId: string; queryId: string },
): Promise<void> {
  const { db } = options;
  const conversation = await db
    .selectFrom('conversations')
    .select(['widget_id', 'status', 'language'])
    .where('id', '=', options.conversationId)
    .executeTakeFirst();
  // Asked right after the resolution (the conversation is resolved by then); never once it closed.
  if (!conversation || conversation.status === 'closed') return;
  const widget = await findWidgetById(db, conversation.widget_id);
  if (!widget) return;
  await postMessage(options, {
    conversationId: options.conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `csat_${options.queryId.replace(/-/g, '')}`,
    body: visitorText(conversation.language, 'ratingPrompt'),
    structured: { parts: [{ type: 'rating' }] },
  });
}
