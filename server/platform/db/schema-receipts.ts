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

/** Security alerts administrators read (migration 2026-12-04-0601-security-alerts). */
export interface SecurityAlertsTable {
  id: string;
  workspace_id: string;
  rule: string;
  raised_at: string;
  /** JSON: the alert's facts (ids and counts; for refusal bursts the addresses and origins behind them). */
  facts: string;
  held_back: number;
}

/** An administrator's read position in the security alerts: the newest alert they were shown. */
export interface SecurityAlertReadsTable {
  user_id: string;
  workspace_id: string;
  seen_through: string;
}

export interface ReceiptTables {
  read_cursors: ReadCursorsTable;
  security_alerts: SecurityAlertsTable;
  security_alert_reads: SecurityAlertReadsTable;
  notification_settings: NotificationSettingsTable;
}
