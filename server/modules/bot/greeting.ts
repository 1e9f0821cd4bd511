import { type Language, translated } from '../../../protocol/languages.js';
import type { Executor, WidgetsTable } from '../../platform/db/schema.js';
import type { MessageStream } from '../conversations/message-stream.js';
import { type Stored, storeMessage } from '../conversations/store-message.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { greetingTranslationsOf } from '../widgets/lookups.js';
import { quickReplyFlows } from './quick-reply-flows.js';

/**
 * The bot's first message in a new conversation: the widget's greeting, stored in the same commit
 * as the conversation, so no crash can leave a conversation without it. The caller announces it
 * after the commit (post-message.ts announceMessage). Null when the widget has no greeting.
 */
export async function storeGreeting(
  trx: Executor,
  o: {
    key: VisitorKey;
    stream: MessageStream;
    conversationId: string;
    widget: Pick<WidgetsTable, 'id' | 'workspace_id' | 'greeting' | 'greeting_translations' | 'bot_name'>;
    /** The conversation's language: the greeting's translation into it, when the widget has one. */
    language: Language;
  },
): Promise<Stored | null> {
  const { widget, conversationId } = o;
  if (!widget.greeting) return null;
  const body = translated(widget.greeting, greetingTranslationsOf(widget), o.language);
  const actions = await quickReplyFlows(trx, widget, o.language);
  return storeMessage(trx, {
    key: o.key,
    stream: o.stream,
    conversationId,
    author: { kind: 'bot', id: widget.id, name: widget.bot_name },
    clientId: `greeting_${conversationId.replace(/-/g, '')}`,
    body,
    // Flows the widget offers as quick replies appear as buttons under the greeting.
    ...(actions.length > 0 ? { structured: { actions } } : {}),
  });
}
