/** Read receipts and notification settings (migration 2026-12-04-0301-read-cursors). */
export interface ReadCursorsTable {
  conversation_id: string;
  workspace_id: string;
  /** `visitor` (reader_id is the visitor) or `agent` (reader_id is the user). */
  reader_kind: 'visitor' | 'agent';
  reader_id: string;
  /** The last seq that reached one of the reader's devices. */
  delivered_seq: number;
  /** The last seq the reader saw. Never below what their own messages reached. */
  read_seq: number;
  updated_at: string;
}

export interface NotificationSettingsTable {
  user_id: string;
  workspace_id: string;
  /** 1: a tone for a new message in the agent's own conversations. */
  sound: number;
  /** 1: a desktop notification for it. */
  desktop: number;
  updated_at: string;
}

export interface ReceiptTables {
  read_cursors: ReadCursorsTable;
  notification_settings: NotificationSettingsTable;
}
