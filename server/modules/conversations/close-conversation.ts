import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Vault } from '../encryption/vault.js';
import { abandonOpenQuery } from '../handoff/close-query.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import { purgeIfStorageOff } from '../retention/purge-closed-content.js';
import { closeConversationRow } from './conversation-close.repository.js';
import { publishConversationUpdated } from './events.js';

/**
 * Closes a conversation. A widget with storage off keeps no content once a conversation is closed, so
 * its messages, notes, preview, page and query texts go at once (the retention scheduler sweeps any
 * that remain).
 */
export async function closeConversation(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  workspaceId: string;
  conversationId: string;
  /** Who closes it: a write is confined exactly like a read (handoff/scope.ts). */
  scope: Scope;
}): Promise<void> {
  const { db, workspaceId, conversationId } = options;
  if (!(await mayAccessConversation(db, options.scope, conversationId)))
    throw new AppError('conversation_not_found');
  if (!(await closeConversationRow(db, workspaceId, conversationId, nowIso())))
    throw new AppError('conversation_not_found');
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
