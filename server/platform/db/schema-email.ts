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

/** A mail an email channel conversation received or sent (migration 2026-12-07-0101-email-channel). */
export interface EmailChannelMailsTable {
  /** The Parley message the mail carried. */
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  /** Keyed hash of the Message-ID under the workspace's mail tag key: how an answer finds its thread. */
  mail_key: string;
  /** The Message-ID, sealed under the visitor's key: In-Reply-To and References of replies. */
  mail_id: string;
  /** The trusted relay's verdicts (Authentication-Results); null: none given, or sent by Parley. */
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  created_at: string;
}

export interface EmailTables {
  email_channel_mails: EmailChannelMailsTable;
  email_threads: EmailThreadsTable;
  email_deliveries: EmailDeliveriesTable;
  email_opt_outs: EmailOptOutsTable;
}
