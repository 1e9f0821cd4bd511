import type { Kysely, Transaction } from 'kysely';
import type { AlertTables } from './schema-alerts.js';
import type { AttachmentTables } from './schema-attachments.js';
import type { BrandingTables, PrechatTables } from './schema-branding.js';
import type { CallTables } from './schema-calls.js';
import type { ChannelTables, ConversationChannel } from './schema-channels.js';
import type { DataProtectionTables } from './schema-data-protection.js';
import type { DirectoryTables } from './schema-directory.js';
import type { EmailTables } from './schema-email.js';
import type { FlowTables } from './schema-flows.js';
import type { LabelsSearchTables } from './schema-labels-search.js';
import type { ConversationStatus, LifecycleTables } from './schema-lifecycle.js';
import type { MfaTables } from './schema-mfa.js';
import type { ReceiptTables } from './schema-receipts.js';
import type { ServiceTables } from './schema-service.js';
import type { SsoTables } from './schema-sso.js';

/**
 * Table types. Times are ISO 8601 UTC strings on both dialects (they sort as text), ids are UUIDs,
 * JSON is stored as text. Every table carries workspace_id.
 */
export interface WorkspacesTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
}

export interface MembershipsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  role: 'administrator' | 'supervisor' | 'operator';
  created_at: string;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  stage: SessionStage;
}

/** A session owing a second factor ('mfa') or MFA enrollment ('enroll') can do only that. */
export type SessionStage = 'full' | 'mfa' | 'enroll';

export interface AuditEventsTable {
  id: string;
  workspace_id: string;
  seq: number;
  occurred_at: string;
  actor_type: 'user' | 'api_token' | 'visitor' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  /** JSON object of ids and flags only: never secrets or personal data. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  workspace_id: string;
  seq: number;
  hash: string;
}

export interface InvitesTable {
  id: string;
  workspace_id: string;
  email: string;
  role: 'administrator' | 'supervisor' | 'operator';
  token_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface OutboxTable {
  id: string;
  workspace_id: string;
  to_address: string;
  subject: string;
  /** Sealed under the master key ring (`<kek id>:…`); mail from before that is sealed at start. */
  body: string;
  created_at: string;
  expires_at: string;
  /** Whose eyes its link is for: see `listOutboxMail`. */
  kind: OutboxMailKind;
}

export type OutboxMailKind = 'invitation' | 'password_reset' | 'security_alert';

export interface AuthThrottlesTable {
  key: string;
  workspace_id: string;
  failures: number;
  window_started_at: string;
  blocked_until: string | null;
}

export interface SetupTokensTable {
  id: string;
  workspace_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface WidgetsTable {
  id: string;
  workspace_id: string;
  name: string;
  greeting: string;
  bot_name: string;
  allowed_origins: string;
  /** Sealed by sealWidgetSecret (server/modules/identity/widget-secret.ts); never read it directly. */
  identity_secret: string | null;
  /** 1: only visitors with a verified identity may start a session. */
  require_identity: number;
  /** 1: an administrator allows plain http:// allowed origins although Parley is served over https. */
  allow_insecure_origins: number;
  /** Percent (0–100): the bot answers from the knowledge base only at or above this confidence. */
  bot_min_confidence: number;
  /** After this many unanswered questions in a row the bot hands the conversation to a person. */
  bot_handoff_after_misses: number;
  /** The team this widget's handoffs queue for; null: anyone. */
  team_id: string | null;
  /** A code of protocol/languages.ts: the widget's language when the browser's is not supported. */
  default_language: string;
  /** 1: always the default language, whatever the visitor's browser prefers. */
  always_default_language: number;
  /** JSON `{ [language]: text }`: the greeting in other languages than the default one; null: none. */
  greeting_translations: string | null;
  /** 1: agents may offer voice and video calls, and the iframe may ask for camera and microphone. */
  calls_enabled: number;
  created_at: string;
  updated_at: string;
}

export interface VisitorsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  display_name: string;
  /** The embedding site's user id, set only after its HMAC was verified; null for anonymous visitors. */
  external_user_id: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface VisitorCredentialsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  visitor_id: string;
  token_hash: string;
  host_origin: string;
  created_at: string;
  first_issued_at: string;
  idle_expires_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface WsTicketsTable {
  id: string;
  workspace_id: string;
  token_hash: string;
  visitor_id: string;
  credential_id: string;
  widget_id: string;
  expires_at: string;
  created_at: string;
}

export interface ConversationsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  visitor_id: string;
  status: ConversationStatus;
  last_seq: number;
  /**
   * The seq of the visitor's latest message: the visitor has read the conversation up to it. Their
   * cursor is the further of this and their `read_cursors` row (read-cursor.repository.ts).
   */
  last_visitor_seq: number;
  last_message_at: string | null;
  last_message_preview: string | null;
  handoff_state: 'bot' | 'requested';
  handoff_requested_at: string | null;
  bot_misses: number;
  /** 1 while the bot still waits for the visitor after a handoff (an after-hours email offer). */
  bot_listening: number;
  /** The conversation's latest handoff query (schema-service.ts), if it ever had one. */
  query_id: string | null;
  /** Sealed: the page the visitor is on, and the page that sent them there, as the widget reports. */
  page_url: string | null;
  referrer: string | null;
  created_at: string;
  updated_at: string;
  /** A snoozed conversation wakes at this time; null: at the visitor's next message. */
  snoozed_until: string | null;
  status_changed_at: string | null;
  /** The closed conversation this one continues (the visitor wrote after it was closed). */
  previous_conversation_id: string | null;
  /** The language the visitor's widget shows (a code of protocol/languages.ts); null: from before languages. */
  language: string | null;
  /** Where it takes place: `web`, or the kind of channel it came through (schema-channels.ts). */
  channel: ConversationChannel;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  seq: number;
  client_id: string;
  author_kind: 'visitor' | 'agent' | 'bot' | 'api';
  author_id: string;
  author_name: string;
  body: string;
  created_at: string;
  /** JSON StructuredContent (protocol/structured.ts), or null for plain text. */
  structured: string | null;
  /** JSON ActionRef: the quick reply this message answers. */
  action_ref: string | null;
  /** JSON Attachment[] the message carries (sealed on disk, like the body); null without files. */
  attachments?: string | null;
}

/** A turn a durable subscriber owes a stored message (migration 2026-12-03-0001-message-outbox). */
export interface MessageOutboxTable {
  id: string;
  /** Which subscriber owes the turn, e.g. `bot`. */
  subscriber: string;
  workspace_id: string;
  conversation_id: string;
  message_id: string;
  seq: number;
  created_at: string;
  /** The node working on it; another node may take it once `lease_until` has passed. */
  lease_owner: string | null;
  lease_until: string;
  attempts: number;
}

export interface KnowledgeArticlesTable {
  id: string;
  workspace_id: string;
  title: string;
  body: string;
  questions: string;
  tags: string;
  language: string;
  published: number;
  created_at: string;
  updated_at: string;
}

export interface KnowledgeVersionsTable {
  workspace_id: string;
  version: number;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  public_id: string;
  /** SHA-256 of the whole token; the token itself is shown once and never stored. */
  token_hash: string;
  name: string;
  /** JSON array of ApiTokenScope. */
  scopes: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Hex SHA-256 of the DER client certificate this token must come with; null: none required. */
  client_cert_sha256: string | null;
  /** PEM of the CA whose certificates this token must come with; null: none required. */
  client_ca_pem: string | null;
}

export interface Database
  extends MfaTables,
    DataProtectionTables,
    FlowTables,
    ServiceTables,
    LabelsSearchTables,
    ReceiptTables,
    LifecycleTables,
    AlertTables,
    AttachmentTables,
    EmailTables,
    BrandingTables,
    PrechatTables,
    SsoTables,
    DirectoryTables,
    CallTables,
    ChannelTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  widgets: WidgetsTable;
  visitors: VisitorsTable;
  visitor_credentials: VisitorCredentialsTable;
  ws_tickets: WsTicketsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_outbox: MessageOutboxTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  invites: InvitesTable;
  password_resets: PasswordResetsTable;
  outbox: OutboxTable;
  auth_throttles: AuthThrottlesTable;
  api_tokens: ApiTokensTable;
  knowledge_articles: KnowledgeArticlesTable;
  knowledge_versions: KnowledgeVersionsTable;
}

export type Db = Kysely<Database>;
/** Repositories take either the database or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
