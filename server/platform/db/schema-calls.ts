import type { CallEndReason, CallMedia } from '../../../protocol/calls.js';

/** Voice and video calls (migration 2026-12-06-0401-calls). */
export interface CallsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  /** The agent who offered it: the only agent who may join it. */
  agent_user_id: string;
  media: CallMedia;
  state: 'ringing' | 'active' | 'ended';
  /** The socket of each side in the room (`node:counter`); null until that side joined. */
  agent_conn: string | null;
  visitor_conn: string | null;
  /**
   * When the node holding each side's seat last renewed it (migration 2026-12-07-0301): a seat not
   * renewed for a while belongs to a node that died, and the call sweep ends the call as `lost`.
   */
  agent_seen_at: string | null;
  visitor_seen_at: string | null;
  created_at: string;
  accepted_at: string | null;
  ended_at: string | null;
  end_reason: CallEndReason | null;
}

export interface CallTokensTable {
  /** SHA-256 of the token, hex; the token itself is never stored. */
  token_hash: string;
  call_id: string;
  conversation_id: string;
  principal_kind: 'agent' | 'visitor';
  /** The user id or the visitor id. */
  principal_id: string;
  /** The socket that asked for it: the only one that may use it. */
  connection_id: string;
  expires_at: string;
  used_at: string | null;
}

export interface CallTables {
  calls: CallsTable;
  call_tokens: CallTokensTable;
}
