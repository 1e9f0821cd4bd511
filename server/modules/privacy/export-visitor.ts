import type { VisitorExport } from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { Db } from '../../platform/db/schema.js';
import { listNotes } from '../conversations/list-notes.js';
import { listMessagesAfter } from '../conversations/message.repository.js';
import { presentMessage } from '../conversations/presenters.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { listArchivesOfVisitor } from '../retention/archive.repository.js';
import { presentArchive } from '../retention/archive-codec.js';
import { getVisitorProfile } from '../visitors/get-visitor-profile.js';
import { auditExport } from './audit-hooks.js';
import { listConversationsOfVisitor, listCredentialsOfVisitor } from './export.repository.js';

/**
 * Everything Parley holds about one visitor, decrypted, as one JSON document (a data-subject access
 * request): the profile, every conversation with all messages and notes, archived conversations, and
 * where and when their browser sessions ran. Secrets (credential hashes, data keys) are not data about
 * the person and are left out.
 */
export async function exportVisitor(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  visitorId: string;
  actorUserId: string | null;
}): Promise<VisitorExport> {
  const { db, vault, workspaceId, visitorId } = options;
  const visitor = await getVisitorProfile({ db, vault, workspaceId, visitorId });
  const key = await vault.forVisitor(db, workspaceId, visitorId);
  const conversations: VisitorExport['conversations'] = [];
  for (const c of await listConversationsOfVisitor(db, visitorId)) {
    const messages = [];
    for (let after = 0; ; ) {
      const page = await listMessagesAfter(db, {
        conversationId: c.id,
        afterSeq: after,
        limit: LIMITS.replayPageSize,
      });
      messages.push(...page.map((row) => presentMessage(openMessageRow(key, row))));
      if (page.length < LIMITS.replayPageSize) break;
      after = page[page.length - 1]?.seq ?? after;
    }
    conversations.push({
      id: c.id,
      widgetId: c.widget_id,
      status: c.status,
      createdAt: c.created_at,
      lastMessageAt: c.last_message_at,
      lastMessagePreview:
        c.last_message_preview === null
          ? null
          : key.open('conversations', 'last_message_preview', c.id, c.last_message_preview),
      messages,
      notes: await listNotes({ db, vault, conversationId: c.id }),
    });
  }
  const archives = (await listArchivesOfVisitor(db, visitorId)).map((row) => presentArchive(key, row));
  const credentials = (await listCredentialsOfVisitor(db, visitorId)).map((r) => ({
    id: r.id,
    widgetId: r.widget_id,
    hostOrigin: r.host_origin,
    createdAt: r.created_at,
    firstIssuedAt: r.first_issued_at,
    idleExpiresAt: r.idle_expires_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }));
  await auditExport(db, { workspaceId, actorUserId: options.actorUserId, visitorId });
  return {
    format: 'parley-visitor-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    visitor,
    conversations,
    archives,
    credentials,
  };
}
