import { randomUUID } from 'node:crypto';
import type { Language } from '../../../protocol/languages.js';
import { nowIso } from '../../platform/clock.js';
import type { ConversationsTable, Executor } from '../../platform/db/schema.js';
import type { ConversationChannel } from '../../platform/db/schema-channels.js';
import { insertConversation } from './conversation.repository.js';

export async function createConversation(options: {
  db: Executor;
  workspaceId: string;
  widgetId: string;
  visitorId: string;
  /** The closed conversation this one continues, if the visitor wrote after it was closed. */
  previousConversationId?: string | null;
  /** The language the visitor's widget shows; the bot speaks it. */
  language?: Language | null;
  /** The messaging platform it came through; the web widget when absent. */
  channel?: ConversationChannel;
}): Promise<ConversationsTable> {
  const at = nowIso();
  const row: ConversationsTable = {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    widget_id: options.widgetId,
    visitor_id: options.visitorId,
    status: 'open',
    last_seq: 0,
    last_visitor_seq: 0,
    last_message_at: at,
    last_message_preview: null,
    handoff_state: 'bot',
    handoff_requested_at: null,
    bot_misses: 0,
    bot_listening: 0,
    query_id: null,
    page_url: null,
    referrer: null,
    created_at: at,
    updated_at: at,
    snoozed_until: null,
    status_changed_at: null,
    previous_conversation_id: options.previousConversationId ?? null,
    language: options.language ?? null,
    channel: options.channel ?? 'web',
  };
  await insertConversation(options.db, row);
  return row;
}
