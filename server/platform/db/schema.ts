import type { Kysely, Transaction } from 'kysely';
import type { DataProtectionTables } from './schema-data-protection.js';

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
  created_at: string;
  updated_at: string;
}

export interface VisitorsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  display_name: string;
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
  status: 'open' | 'closed';
  last_seq: number;
  last_message_at: string | null;
  last_message_preview: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  seq: number;
  client_id: string;
  author_kind: 'visitor' | 'agent' | 'bot';
  author_id: string;
  author_name: string;
  body: string;
  created_at: string;
}

export interface Database extends DataProtectionTables {
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
}

export type Db = Kysely<Database>;
/** Repositories take either the database or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
