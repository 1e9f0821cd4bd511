import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { findConversationById } from '../conversations/lookups.js';
import type { Vault } from '../encryption/vault.js';
import { insertOptOut } from './email.repository.js';
import { conversationOfUnsubscribeToken } from './reply-address.js';

/**
 * The link in every mail: the visitor who owns that conversation gets no more mail from Parley (not
 * for this conversation, nor later ones). Idempotent; a token whose tag is wrong changes nothing.
 */
export async function unsubscribe(deps: { db: Db; vault: Vault }, token: string): Promise<void> {
  const found = await conversationOfUnsubscribeToken(deps, token);
  const conversation = found ? await findConversationById(deps.db, found.conversationId) : undefined;
  if (!conversation) throw new AppError('unsubscribe_link_invalid');
  await insertOptOut(deps.db, {
    visitorId: conversation.visitor_id,
    workspaceId: conversation.workspace_id,
    at: nowIso(),
  });
}
