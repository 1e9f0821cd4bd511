import type { Archive, ArchiveSummary } from '../../../protocol/data-protection.js';
import type { ConversationArchivesTable } from '../../platform/db/schema-data-protection.js';
import type { VisitorKey } from '../encryption/visitor-key.js';

/** What an archive holds, sealed as one JSON document under the visitor's data key. */
export type ArchiveContent = Pick<Archive, 'conversation' | 'messages' | 'notes' | 'profile'>;

export function sealArchive(key: VisitorKey, archiveId: string, content: ArchiveContent): string {
  return key.seal('conversation_archives', 'payload', archiveId, JSON.stringify(content));
}

export function openArchive(
  key: VisitorKey,
  row: Pick<ConversationArchivesTable, 'id' | 'payload'>,
): ArchiveContent {
  return JSON.parse(key.open('conversation_archives', 'payload', row.id, row.payload)) as ArchiveContent;
}

/** Row columns that follow from the content: counts and the time span, kept in the clear for retention. */
export function archiveColumns(content: ArchiveContent) {
  const times = content.messages.map((m) => m.createdAt).sort();
  return {
    message_count: content.messages.length,
    first_message_at: times[0] ?? null,
    last_message_at: times[times.length - 1] ?? null,
    profile_expires_at: content.profile?.expiresAt ?? null,
    profile_collected_at: content.profile?.collectedAt ?? null,
  };
}

export function presentArchiveSummary(
  row: Pick<
    ConversationArchivesTable,
    | 'id'
    | 'conversation_id'
    | 'visitor_id'
    | 'widget_id'
    | 'message_count'
    | 'first_message_at'
    | 'last_message_at'
    | 'archived_at'
  >,
): ArchiveSummary {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    visitorId: row.visitor_id,
    widgetId: row.widget_id,
    messageCount: row.message_count,
    firstMessageAt: row.first_message_at,
    lastMessageAt: row.last_message_at,
    archivedAt: row.archived_at,
  };
}

export function presentArchive(key: VisitorKey, row: ConversationArchivesTable): Archive {
  return { ...presentArchiveSummary(row), ...openArchive(key, row) };
}
