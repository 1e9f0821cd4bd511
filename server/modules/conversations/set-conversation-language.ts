import type { Language } from '../../../protocol/languages.js';
import type { ConversationsTable, Executor } from '../../platform/db/schema.js';
import { updateConversationLanguage } from './conversation.repository.js';

/**
 * The visitor's widget now shows another language than the conversation had (they came back with
 * other browser languages, or the widget's setting changed): the bot speaks what the widget shows.
 * Written only when it changed.
 */
export async function setConversationLanguage(
  db: Executor,
  conversation: ConversationsTable,
  language: Language,
): Promise<ConversationsTable> {
  if (conversation.language === language) return conversation;
  await updateConversationLanguage(db, conversation.id, language);
  return { ...conversation, language };
}
