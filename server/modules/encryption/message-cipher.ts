import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { ConversationSummaryRow } from '../conversations/lookups.js';
import type { Vault } from './vault.js';
import type { VisitorKey } from './visitor-key.js';

/**
 * What is sealed on the message path: a message's body (bound to the message id) and the inbox
 * preview (bound to the conversation id). Rows in memory are plaintext; rows on disk never are.
 */
export function sealMessageRow(key: VisitorKey, row: MessagesTable): MessagesTable {
  return {
    ...row,
    body: key.seal('messages', 'body', row.id, row.body),
    attachments: key.sealNullable('messages', 'attachments', row.id, row.attachments ?? null),
  };
}

export function openMessageRow(key: VisitorKey, row: MessagesTable): MessagesTable {
  return {
    ...row,
    body: openMessageBody(key, row),
    attachments: key.openNullable('messages', 'attachments', row.id, row.attachments ?? null),
  };
}

/** A message's body alone (the search index reads nothing else of it). */
export function openMessageBody(key: VisitorKey, row: Pick<MessagesTable, 'id' | 'body'>): string {
  return key.open('messages', 'body', row.id, row.body);
}

export function sealPreview(key: VisitorKey, conversationId: string, preview: string): string {
  return key.seal('conversations', 'last_message_preview', conversationId, preview);
}

/** Opens a page of one conversation's messages (all under the same visitor's key). */
export async function openMessageRows(
  vault: Vault,
  db: Executor,
  conversationId: string,
  rows: MessagesTable[],
): Promise<MessagesTable[]> {
  if (rows.length === 0) return rows;
  const key = await vault.forConversation(db, conversationId);
  if (!key) return [];
  return rows.map((row) => openMessageRow(key, row));
}

export type OpenedSummaryRow = ConversationSummaryRow & {
  /** The name the visitor gave (profile), when known and not expired; null when only the pseudonym. */
  visitor_real_name: string | null;
};

/** Opens inbox rows: the preview, and the visitor's own name when the profile holds one. */
export async function openSummaryRows(
  vault: Vault,
  db: Executor,
  rows: ConversationSummaryRow[],
  now = new Date().toISOString(),
): Promise<OpenedSummaryRow[]> {
  await vault.warm(
    db,
    rows.map((r) => r.visitor_id),
  );
  const out: OpenedSummaryRow[] = [];
  for (const row of rows) {
    const key = await vault.forVisitor(db, row.workspace_id, row.visitor_id);
    const preview =
      row.last_message_preview === null
        ? null
        : key.open('conversations', 'last_message_preview', row.id, row.last_message_preview);
    const live = row.visitor_profile_expires_at === null || row.visitor_profile_expires_at > now;
    const realName =
      live && row.visitor_profile_name !== null
        ? key.open('visitor_profiles', 'name', row.visitor_id, row.visitor_profile_name)
        : null;
    out.push({
      ...row,
      last_message_preview: preview,
      visitor_name: realName ?? row.visitor_name,
      visitor_real_name: realName,
    });
  }
  return out;
}
