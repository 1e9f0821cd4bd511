import type { VisitorExport } from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { Db } from '../../platform/db/schema.js';
import { listConversationAttachments } from '../attachments/lookups.js';
import { exportFlowRecords } from '../bot/export-flow-records.js';
import { exportChannelContact } from '../channels/export-channel-contact.js';
import { listNotes } from '../conversations/list-notes.js';
import { listMessagesAfter } from '../conversations/lookups.js';
import { presentMessage } from '../conversations/presenters.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { exportVisitorQueries } from '../handoff/export-visitor-queries.js';
import { findVisitorLead } from '../leads/find-visitor-lead.js';
import { presentArchive } from '../retention/archive-codec.js';
import { listArchivesOfVisitor } from '../retention/lookups.js';
import { getVisitorProfile } from '../visitors/get-visitor-profile.js';
import { findProfile } from '../visitors/lookups.js';
import { auditExport } from './audit-hooks.js';
import { findVisitorById } from './erasure.repository.js';
import { listConversationsOfVisitor, listCredentialsOfVisitor } from './export.repository.js';

/**
 * Everything Parley holds about one visitor, decrypted, as one JSON document (a data-subject access
 * request): the profile and the site's user id, the lead, every conversation with its messages,
 * notes, pages, queries (origin, resolution, rating, events) and flow checkpoints, archived
 * conversations, and where and when their browser sessions ran. Secrets (credential hashes, data
 * keys) are not data about the person and are left out. `data-classification.ts` names every column
 * this covers; `personal-data.test.ts` checks each one is here.
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
  const row = await findVisitorById(db, visitorId);
  const key = await vault.forVisitor(db, workspaceId, visitorId);
  const rows = await listConversationsOfVisitor(db, visitorId);
  const ids = rows.map((c) => c.id);
  const queries = await exportVisitorQueries({ db, key, conversationIds: ids });
  const flows = await exportFlowRecords({ db, key, conversationIds: ids });
  const open = (column: 'last_message_preview' | 'page_url' | 'referrer', id: string, value: string | null) =>
    key.openNullable('conversations', column, id, value);
  const conversations: VisitorExport['conversations'] = [];
  for (const c of rows) {
    conversations.push({
      id: c.id,
      widgetId: c.widget_id,
      status: c.status,
      channel: c.channel,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      lastSeq: c.last_seq,
      lastMessageAt: c.last_message_at,
      lastMessagePreview: open('last_message_preview', c.id, c.last_message_preview),
      pageUrl: open('page_url', c.id, c.page_url),
      referrer: open('referrer', c.id, c.referrer),
      handoff: {
        state: c.handoff_state,
        requestedAt: c.handoff_requested_at,
        botMisses: c.bot_misses,
        queryId: c.query_id,
      },
      messages: await allMessages(db, key, c.id),
      notes: await listNotes({ db, vault, conversationId: c.id }),
      attachments: await listConversationAttachments(db, key, c.id),
      queries: queries.filter((q) => q.conversationId === c.id),
      flow: flows.get(c.id) ?? { run: null, checkpoints: [] },
    });
  }
  const archives = (await listArchivesOfVisitor(db, visitorId)).map((a) => presentArchive(key, a));
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
  const profile = await findProfile(db, visitorId);
  const lead = await findVisitorLead({ db, vault, workspaceId, visitorId });
  await auditExport(db, { workspaceId, actorUserId: options.actorUserId, visitorId });
  return {
    format: 'parley-visitor-export',
    version: 2,
    exportedAt: new Date().toISOString(),
    visitor,
    verifiedUserId: row?.external_user_id ?? null,
    channelContact: await exportChannelContact(db, key),
    profileUpdatedAt: visitor.collectedAt === null ? null : (profile?.updated_at ?? null),
    lead,
    conversations,
    archives,
    credentials,
  };
}

async function allMessages(db: Db, key: VisitorKey, conversationId: string) {
  const messages = [];
  for (let after = 0; ; ) {
    const page = await listMessagesAfter(db, {
      conversationId,
      afterSeq: after,
      limit: LIMITS.replayPageSize,
    });
    messages.push(...page.map((row) => presentMessage(openMessageRow(key, row))));
    if (page.length < LIMITS.replayPageSize) return messages;
    after = page[page.length - 1]?.seq ?? after;
  }
}
