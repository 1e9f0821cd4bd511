/** Attachments (migration 2026-12-04-0601-attachments). */
export interface AttachmentsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  /** The message that carries it; null until one does. */
  message_id: string | null;
  /** Who uploaded it: `visitor`, `agent` or `api` (a token), as a message's author kind. */
  uploader_kind: 'visitor' | 'agent' | 'api';
  uploader_id: string;
  /** The cleaned file name, sealed under the visitor's data key. */
  name: string;
  /** The kind decided from the content (protocol/attachments.ts). */
  kind: string;
  /** Plaintext bytes (after re-encoding an image). */
  size_bytes: number;
  chunk_count: number;
  width: number | null;
  height: number | null;
  created_at: string;
}

/** The sealed chunks of an attachment when the store is the database (several nodes share it). */
export interface AttachmentChunksTable {
  attachment_id: string;
  workspace_id: string;
  idx: number;
  data: Buffer;
}

export interface AttachmentSettingsTable {
  workspace_id: string;
  /** JSON array of the kinds this workspace accepts. */
  allowed_kinds: string;
  updated_at: string;
}

export interface AttachmentTables {
  attachments: AttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
  attachment_settings: AttachmentSettingsTable;
}
