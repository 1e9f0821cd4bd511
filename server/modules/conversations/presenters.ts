import type { Attachment } from '../../../protocol/attachments.js';
import type { Conversation, Message } from '../../../protocol/common.js';
import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import type { MessagesTable } from '../../platform/db/schema.js';
import type { ConversationSummaryRow } from './conversation.repository.js';

export function presentMessage(row: MessagesTable): Message {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    body: row.body,
    createdAt: row.created_at,
    ...structuredOf(row),
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as Attachment[] } : {}),
  };
}

function structuredOf(row: MessagesTable): Pick<Message, 'parts' | 'actions' | 'action'> {
  const out: Pick<Message, 'parts' | 'actions' | 'action'> = {};
  if (row.structured) {
    const content = JSON.parse(row.structured) as StructuredContent;
    if (content.parts?.length) out.parts = content.parts;
    if (content.actions?.length) out.actions = content.actions;
  }
  if (row.action_ref) out.action = JSON.parse(row.action_ref) as ActionRef;
  return out;
}

export function presentConversation(row: ConversationSummaryRow): Conversation {
  return {
    id: row.id,
    widgetId: row.widget_id,
    visitor: { id: row.visitor_id, name: row.visitor_name },
    status: row.status,
    snoozedUntil: row.snoozed_until ?? null,
    previousConversationId: row.previous_conversation_id ?? null,
    lastSeq: row.last_seq,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    createdAt: row.created_at,
    handoff: row.handoff_state,
    handoffRequestedAt: row.handoff_requested_at,
    channel: row.channel ?? 'web',
    ...(row.query_id && row.query_state
      ? {
          query: {
            id: row.query_id,
            state: row.query_state,
            assigneeId: row.query_assignee_id ?? null,
            teamId: row.query_team_id ?? null,
          },
        }
      : {}),
  };
}

/** White space `previewOf` folds into one plain space: a run of it, or any but a plain space. */
const SPACE_TO_FOLD = /\s\s|[^\S ]/;

/** The inbox preview: the first line, cut at a word boundary near 120 characters. */
export function previewOf(body: string): string {
  // Most messages hold no run of spaces and no other white space: their preview skips the rewrite,
  // which built a new string (about 2 KB of allocation) for every message.
  const line = (SPACE_TO_FOLD.test(body) ? body.replace(/\s+/g, ' ') : body).trim();
  if (line.length <= 120) return line;
  const cut = line.slice(0, 120);
  const space = cut.lastIndexOf(' ');
  return `${space > 80 ? cut.slice(0, space) : cut}…`;
}
