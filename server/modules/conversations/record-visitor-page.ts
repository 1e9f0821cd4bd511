import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { purgeIfStorageOff } from '../retention/purge-closed-content.js';
import { findConversationById, setPage } from './conversation.repository.js';

/** The page the visitor is on now (sealed under their key); the next handoff copies it as its origin. */
export async function recordVisitorPage(options: {
  db: Db;
  vault: Vault;
  visitor: { visitorId: string; workspaceId: string };
  conversationId: string;
  pageUrl: string;
  referrer: string | null;
}): Promise<void> {
  const { db, conversationId } = options;
  const key = await options.vault.forConversation(db, conversationId);
  const owner = await findConversationById(db, conversationId);
  if (
    !key ||
    !owner ||
    owner.visitor_id !== options.visitor.visitorId ||
    key.workspaceId !== options.visitor.workspaceId
  )
    throw new AppError('conversation_not_found');
  await setPage(db, conversationId, {
    pageUrl: key.seal('conversations', 'page_url', conversationId, options.pageUrl),
    referrer: key.sealNullable('conversations', 'referrer', conversationId, options.referrer),
  });
  // A page reported for a conversation that closed on a widget with storage off is not kept.
  await purgeIfStorageOff({ db, vault: options.vault, conversationId });
}
