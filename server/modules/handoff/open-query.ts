import { randomUUID } from 'node:crypto';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { QueryTrigger } from '../../platform/db/schema-service.js';
import { attachQuery } from '../conversations/bot-state.js';
import type { Vault } from '../encryption/vault.js';
import { insertQuery, insertQueryEvent } from './query.repository.js';

/**
 * Opens a queued query for a conversation that was just handed to people, inside the caller's
 * transaction (the handoff's). Its origin (widget, page, referrer, trigger) is copied from the
 * conversation; the page and referrer stay sealed under the visitor's key. The caller guarantees one
 * open query per conversation (the handoff flag flips once).
 */
export async function openQuery(options: {
  db: Executor;
  vault: Vault;
  conversation: {
    id: string;
    workspace_id: string;
    widget_id: string;
    page_url: string | null;
    referrer: string | null;
  };
  teamId: string | null;
  trigger: QueryTrigger;
}): Promise<string> {
  const { db, vault, conversation } = options;
  const key = await vault.forConversation(db, conversation.id);
  const id = randomUUID();
  const open = (column: 'page_url' | 'referrer') =>
    key ? key.openNullable('conversations', column, conversation.id, conversation[column]) : null;
  const at = nowIso();
  await insertQuery(db, {
    id,
    workspace_id: conversation.workspace_id,
    conversation_id: conversation.id,
    widget_id: conversation.widget_id,
    team_id: options.teamId,
    state: 'queued',
    assignee_id: null,
    trigger: options.trigger,
    page_url: key ? key.sealNullable('queries', 'page_url', id, open('page_url')) : null,
    referrer: key ? key.sealNullable('queries', 'referrer', id, open('referrer')) : null,
    resolution_code: null,
    resolution_note: null,
    rating: null,
    rating_comment: null,
    created_at: at,
    first_assigned_at: null,
    first_response_at: null,
    closed_at: null,
    rated_at: null,
    updated_at: at,
  });
  await attachQuery(db, conversation.id, id);
  await insertQueryEvent(db, {
    workspace_id: conversation.workspace_id,
    query_id: id,
    kind: 'queued',
    to_state: 'queued',
    team_id: options.teamId,
    occurred_at: at,
  });
  return id;
}
