import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/schema.js';

/**
 * A workspace, widget and visitor with one open conversation, handed to a person (its query
 * assigned): what measure-message-path sends into, and what the send's round-trip test counts. No
 * data key yet: the vault makes the visitor's at the first send.
 */
export async function seedConversation(db: Db): Promise<string> {
  const at = new Date().toISOString();
  const [ws, widget, visitor, conversation, query] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  await db
    .insertInto('workspaces')
    .values({ id: ws, workspace_id: ws, name: 'Measure', created_at: at })
    .execute();
  await db
    .insertInto('widgets')
    .values({
      id: widget,
      workspace_id: ws,
      name: 'W',
      greeting: '',
      bot_name: 'B',
      allowed_origins: '[]',
      require_identity: 0,
      allow_insecure_origins: 0,
      calls_enabled: 0,
      bot_min_confidence: 60,
      bot_handoff_after_misses: 2,
      team_id: null,
      default_language: 'en',
      always_default_language: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('visitors')
    .values({
      id: visitor,
      workspace_id: ws,
      widget_id: widget,
      display_name: 'Visitor 0001',
      created_at: at,
      last_seen_at: at,
    })
    .execute();
  await db
    .insertInto('conversations')
    .values({
      id: conversation,
      workspace_id: ws,
      widget_id: widget,
      visitor_id: visitor,
      status: 'open',
      last_seq: 0,
      last_visitor_seq: 0,
      last_message_at: at,
      last_message_preview: null,
      handoff_state: 'bot',
      handoff_requested_at: null,
      bot_misses: 0,
      bot_listening: 0,
      query_id: query,
      page_url: null,
      referrer: null,
      created_at: at,
      updated_at: at,
      channel: 'web',
    })
    .execute();
  // Handed to a person: each visitor message checks whether it moves the query (it does not).
  await db
    .insertInto('queries')
    .values({
      id: query,
      workspace_id: ws,
      conversation_id: conversation,
      widget_id: widget,
      team_id: null,
      state: 'assigned',
      assignee_id: 'agent',
      trigger: 'visitor_asked',
      page_url: null,
      referrer: null,
      resolution_code: null,
      resolution_note: null,
      rating: null,
      rating_comment: null,
      created_at: at,
      first_assigned_at: at,
      first_response_at: null,
      closed_at: null,
      rated_at: null,
      updated_at: at,
    })
    .execute();
  return conversation;
}
