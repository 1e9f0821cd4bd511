import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Vault } from '../encryption/vault.js';
import { abandonOpenQuery } from '../handoff/close-query.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import { purgeIfStorageOff } from '../retention/purge-closed-content.js';
import { changeConversationStatus } from './change-conversation-status.js';
import { findConversationById } from './conversation.repository.js';
import { publishConversationUpdated } from './events.js';

/**
 * Closes a conversation, for good: a visitor who writes again starts a new conversation that names
 * this one. A widget with storage off keeps no content once a conversation is closed, so its
 * messages, notes, preview, page and query texts go at once (the retention scheduler sweeps any
 * that remain). Closing a closed conversation changes nothing.
 */
export async function closeConversation(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  workspaceId: string;
  conversationId: string;
  /** Who closes it: a write is confined exactly like a read (handoff/scope.ts). */
  scope: Scope;
  actor?: { kind: 'agent' | 'api'; id: string | null };
}): Promise<void> {
  const { db, workspaceId, conversationId } = options;
  if (!(await mayAccessConversation(db, options.scope, conversationId)))
    throw new AppError('conversation_not_found');
  const row = await findConversationById(db, conversationId);
  if (!row || row.workspace_id !== workspaceId) throw new AppError('conversation_not_found');
  if (row.status !== 'closed')
    await changeConversationStatus(options, {
      workspaceId,
      conversationId,
      scope: options.scope,
      action: 'close',
      actor: options.actor ?? { kind: 'api', id: null },
    });
  // A query still waiting or in progress when the conversation ends was abandoned.
  await abandonOpenQuery(db, conversationId);
  await purgeIfStorageOff({ db, vault: options.vault, conversationId });
  await publishConversationUpdated({
    db,
    vault: options.vault,
    pubsub: options.pubsub,
    workspaceId,
    conversationId,
    scopeChanged: true,
  });
}
