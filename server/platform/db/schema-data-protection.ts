/** Tables of the data-protection migration (2026-11-22-0003). Encrypted columns hold `e1:` values. */
export interface DataKeysTable {
  /** The visitor id for a visitor's data key, the workspace id for a workspace's blind-index key. */
  id: string;
  workspace_id: string;
  purpose: 'visitor' | 'index';
  kek_id: string;
  wrapped: string;
  created_at: string;
  updated_at: string;
}

export interface VisitorProfilesTable {
  visitor_id: string;
  workspace_id: string;
  widget_id: string;
  name: string | null;
  email: string | null;
  /** HMAC of the normalized email under the workspace's index key: exact lookup without the email. */
  email_index: string | null;
  phone: string | null;
  /** Encrypted JSON object of custom fields. */
  custom: string | null;
  collected_at: string;
  expires_at: string | null;
  updated_at: string;
}

export interface ConversationNotesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: string;
}

export interface ConversationArchivesTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  visitor_id: string;
  conversation_id: string;
  /** Encrypted JSON: the conversation, its messages and notes, and the visitor's profile if it moved too. */
  payload: string;
  message_count: number;
  first_message_at: string | null;
  last_message_at: string | null;
  profile_expires_at: string | null;
  /** When the visitor data inside was first given; null when the archive holds none. */
  profile_collected_at: string | null;
  archived_at: string;
}

export interface WidgetRetentionTable {
  widget_id: string;
  workspace_id: string;
  visitor_data_ttl_seconds: number | null;
  history_hours: number | null;
  inactivity_days: number;
  archive_inactive: number;
  storage_off: number;
  updated_at: string;
}

export interface RetentionRunsTable {
  id: string;
  workspace_id: string;
  node: string;
  started_at: string;
  finished_at: string;
  /** JSON object of counts by rule. */
  counts: string;
  error: string | null;
}

export interface SchedulerLeasesTable {
  name: string;
  workspace_id: string;
  holder: string | null;
  expires_at: string;
  last_run_at: string | null;
}

/** Ids only, never personal data: `parley restore` re-applies these after loading a backup. */
export interface ErasuresTable {
  id: string;
  workspace_id: string;
  visitor_id: string;
  erased_at: string;
  actor_user_id: string | null;
  via: 'dashboard' | 'api' | 'cli';
}

export interface KeyRotationsTable {
  id: string;
  workspace_id: string;
  target_kek_id: string;
  started_at: string;
  finished_at: string | null;
  rewrapped: number;
}

export interface DataProtectionTables {
  data_keys: DataKeysTable;
  visitor_profiles: VisitorProfilesTable;
  conversation_notes: ConversationNotesTable;
  conversation_archives: ConversationArchivesTable;
  widget_retention: WidgetRetentionTable;
  retention_runs: RetentionRunsTable;
  scheduler_leases: SchedulerLeasesTable;
  erasures: ErasuresTable;
  key_rotations: KeyRotationsTable;
}
