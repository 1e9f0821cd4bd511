/** Replies by email (migration 2026-12-05-0401-email-continuity). Ids, seqs and times: no addresses. */
export interface EmailThreadsTable {
  conversation_id: string;
  workspace_id: string;
  visitor_id: string;
  /** Since when an agent's reply waits to be mailed; null: nothing waits. */
  pending_since: string | null;
  /** Replies up to this seq were mailed (or the visitor had seen them when a mail was due). */
  mailed_seq: number;
  updated_at: string;
}

export interface EmailDeliveriesTable {
  id: string;
  conversation_id: string;
  workspace_id: string;
  /** `replies` (unseen replies, batched), `transcript` (the visitor asked), `follow_up` (an agent sent one). */
  kind: 'replies' | 'transcript' | 'follow_up';
  /** The messages the mail carried as new: from_seq < seq <= to_seq. */
  from_seq: number;
  to_seq: number;
  /** The agent who sent a follow-up; null otherwise. */
  requested_by: string | null;
  created_at: string;
}

export interface EmailOptOutsTable {
  visitor_id: string;
  workspace_id: string;
  created_at: string;
}

export interface EmailTables {
  email_threads: EmailThreadsTable;
  email_deliveries: EmailDeliveriesTable;
  email_opt_outs: EmailOptOutsTable;
}
