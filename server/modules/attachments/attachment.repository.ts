import { sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';
import type { AttachmentsTable } from '../../platform/db/schema-attachments.js';

export function insertAttachment(db: Executor, row: AttachmentsTable): Promise<unknown> {
  return db.insertInto('attachments').values(row).execute();
}

export function findAttachment(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<AttachmentsTable | undefined> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listAttachmentsOfMessages(db: Executor, messageIds: string[]): Promise<AttachmentsTable[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Bytes stored in a conversation and in its workspace, for the limits an upload must stay within. */
export async function storedBytes(
  db: Executor,
  workspaceId: string,
  conversationId: string,
): Promise<{ conversation: number; workspace: number }> {
  const row = await db
    .selectFrom('attachments')
    .select([
      sql<string | number>`coalesce(sum(size_bytes), 0)`.as('workspace'),
      sql<
        string | number
      >`coalesce(sum(case when conversation_id = ${conversationId} then size_bytes else 0 end), 0)`.as(
        'conversation',
      ),
    ])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return { conversation: Number(row?.conversation ?? 0), workspace: Number(row?.workspace ?? 0) };
}

export async function listAttachmentIds(
  db: Executor,
  where: { conversationIds: string[] },
): Promise<string[]> {
  if (where.conversationIds.length === 0) return [];
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('conversation_id', 'in', where.conversationIds)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteAttachmentRows(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('attachment_chunks').where('attachment_id', 'in', ids).execute();
  await db.deleteFrom('attachments').where('id', 'in', ids).execute();
}

export async function insertChunks(
  db: Executor,
  o: { attachmentId: string; workspaceId: string; chunks: Buffer[] },
): Promise<void> {
  // A few chunks per statement keeps each under the drivers' parameter and packet limits.
  for (let i = 0; i < o.chunks.length; i += 16) {
    await db
      .insertInto('attachment_chunks')
      .values(
        o.chunks.slice(i, i + 16).map((data, n) => ({
          attachment_id: o.attachmentId,
          workspace_id: o.workspaceId,
          idx: i + n,
          data,
        })),
      )
      .execute();
  }
}

export async function findChunk(db: Executor, attachmentId: string, idx: number): Promise<Buffer | null> {
  const row = await db
    .selectFrom('attachment_chunks')
    .select('data')
    .where('attachment_id', '=', attachmentId)
    .where('idx', '=', idx)
    .executeTakeFirst();
  return row ? Buffer.from(row.data) : null;
}

export async function findAllowedKinds(db: Executor, workspaceId: string): Promise<string[] | null> {
  const row = await db
    .selectFrom('attachment_settings')
    .select('allowed_kinds')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.allowed_kinds) as string[]) : null;
}

export async function upsertAllowedKinds(
  db: Executor,
  o: { workspaceId: string; kinds: string[]; at: string },
): Promise<void> {
  await db
    .insertInto('attachment_settings')
    .values({ workspace_id: o.workspaceId, allowed_kinds: JSON.stringify(o.kinds), updated_at: o.at })
    .onConflict((c) =>
      c.column('workspace_id').doUpdateSet({ allowed_kinds: JSON.stringify(o.kinds), updated_at: o.at }),
    )
    .execute();
}

export async function existingAttachmentIds(db: Executor, ids: string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('attachments')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    found.push(...rows.map((r) => r.id));
  }
  return found;
}

/** A read model over conversations: the widget decides the retention rules of an attachment. */
export async function selectOldAttachmentIds(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .innerJoin('conversations', 'conversations.id', 'attachments.conversation_id')
    .select('attachments.id')
    .where('conversations.widget_id', '=', o.widgetId)
    .where('attachments.created_at', '<', o.before)
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

export function listAttachmentsOfConversation(
  db: Executor,
  conversationId: string,
): Promise<AttachmentsTable[]> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findUnsentAttachments(
  db: Executor,
  o: { conversationId: string; ids: string[]; uploaderKind: string; uploaderId: string },
): Promise<AttachmentsTable[]> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('conversation_id', '=', o.conversationId)
    .where('id', 'in', o.ids)
    .where('message_id', 'is', null)
    .where('uploader_kind', '=', o.uploaderKind as AttachmentsTable['uploader_kind'])
    .where('uploader_id', '=', o.uploaderId)
    .execute();
}

export async function setAttachmentsMessage(
  db: Executor,
  conversationId: string,
  ids: string[],
  messageId: string,
): Promise<number> {
  const result = await db
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('conversation_id', '=', conversationId)
    .where('id', 'in', ids)
    .where('message_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countChunks(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select(sql<string | number>`coalesce(sum(chunk_count), 0)`.as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listChunkCounts(
  db: Executor,
): Promise<Array<Pick<AttachmentsTable, 'id' | 'workspace_id' | 'chunk_count'>>> {
  return db.selectFrom('attachments').select(['id', 'workspace_id', 'chunk_count']).orderBy('id').execute();
}

export async function selectUnsentAttachmentIds(db: Executor, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('message_id', 'is', null)
    .where('created_at', '<', before)
    .limit(1000)
    .execute();
  return rows.map((r) => r.id);
}

export function findAttachmentSettings(db: Executor, workspaceId: string) {
  return db
    .selectFrom('attachment_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}
