import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { returnToBot } from '../conversations/bot-state.js';
import { markConversationResolved } from '../conversations/lifecycle-state.js';
import type { Vault } from '../encryption/vault.js';
import { ensureResolutionDefaults } from './ensure-resolution-defaults.js';
import {
  findOpenQueryOfConversation,
  findQuery,
  insertQueryEvent,
  moveQuery,
  OPEN_STATES,
} from './query.repository.js';
import { findResolutionCode } from './resolution-code.repository.js';

/**
 * Resolves a query with one of the workspace's resolution codes (optional unless the workspace
 * requires one) and an optional note (sealed under the visitor's key). Only its assignee, or someone
 * who supervises the queue, may resolve it. The conversation is resolved in the same commit and goes
 * back to the bot, so a later request for a person opens a new query.
 */
export async function resolveQuery(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  queryId: string;
  actor: { userId: string; supervises: boolean };
  code?: string | null;
  note?: string;
}): Promise<{ conversationId: string; formerAssigneeId: string | null }> {
  const { db, workspaceId } = options;
  const query = await findQuery(db, workspaceId, options.queryId);
  if (!query) throw new AppError('query_not_found');
  if (!options.actor.supervises && query.assignee_id !== options.actor.userId)
    throw new AppError('query_not_found');
  if (!OPEN_STATES.includes(query.state)) throw new AppError('query_closed');
  const code = await checkResolutionCode(db, workspaceId, options.code ?? null);
  const key = await options.vault.forConversation(db, query.conversation_id);
  const note = options.note?.trim() ? options.note.trim() : null;
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    const moved = await moveQuery(trx, {
      id: query.id,
      from: OPEN_STATES,
      ...(options.actor.supervises ? {} : { fromAssignee: options.actor.userId }),
      set: {
        state: 'resolved',
        resolution_code: code,
        resolution_note: note && key ? key.seal('queries', 'resolution_note', query.id, note) : null,
        closed_at: at,
        updated_at: at,
      },
    });
    if (!moved) throw new AppError('query_taken');
    await insertQueryEvent(trx, {
      workspace_id: workspaceId,
      query_id: query.id,
      kind: 'resolved',
      from_state: query.state,
      to_state: 'resolved',
      actor_id: options.actor.userId,
      assignee_id: query.assignee_id,
      occurred_at: at,
    });
    await returnToBot(trx, query.conversation_id, at);
    await markConversationResolved(trx, {
      workspaceId,
      conversationId: query.conversation_id,
      actor: { kind: 'agent', id: options.actor.userId },
      code,
      at,
    });
  });
  return { conversationId: query.conversation_id, formerAssigneeId: query.assignee_id };
}

/** A code the workspace has, or none when the workspace does not require one. */
export async function checkResolutionCode(
  db: Db,
  workspaceId: string,
  code: string | null,
): Promise<string | null> {
  const { codeRequired } = await ensureResolutionDefaults(db, workspaceId);
  if (code === null) {
    if (codeRequired) throw new AppError('resolution_code_required');
    return null;
  }
  if (!(await findResolutionCode(db, workspaceId, code))) throw new AppError('resolution_code_unknown');
  return code;
}

/** The conversation ended (closed) while its query was still open: the query is abandoned. */
export async function abandonOpenQuery(db: Db, conversationId: string): Promise<boolean> {
  const query = await findOpenQueryOfConversation(db, conversationId);
  if (!query) return false;
  const at = nowIso();
  return db.transaction().execute(async (trx) => {
    const moved = await moveQuery(trx, {
      id: query.id,
      from: OPEN_STATES,
      set: { state: 'abandoned', closed_at: at, updated_at: at },
    });
    if (moved)
      await insertQueryEvent(trx, {
        workspace_id: query.workspace_id,
        query_id: query.id,
        kind: 'abandoned',
        from_state: query.state,
        to_state: 'abandoned',
        assignee_id: query.assignee_id,
        occurred_at: at,
      });
    return moved;
  });
}
