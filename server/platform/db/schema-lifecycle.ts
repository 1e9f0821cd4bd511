/** Tables of the conversation lifecycle (migration 2026-12-04-0110-conversation-lifecycle). */

/** `closed` is final; the others move as the lifecycle policy allows (conversations/lifecycle-policy.ts). */
export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed';

export type ConversationEventKind = 'resolved' | 'reopened' | 'pending' | 'snoozed' | 'woke' | 'closed';

/** What happened to a conversation's status, for the transcript. Rows go with their conversation. */
export interface ConversationEventsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  kind: ConversationEventKind;
  /** `agent`, `visitor`, `api` or `system` (the snooze waker). */
  actor_kind: 'agent' | 'visitor' | 'api' | 'system';
  actor_id: string | null;
  /** The resolution code of a resolution; the time a snooze ends. */
  detail: string | null;
  occurred_at: string;
}

/** Whether resolving a conversation needs a resolution code; no row: optional. */
export interface ResolutionSettingsTable {
  workspace_id: string;
  code_required: number;
  updated_at: string;
}

export interface LifecycleTables {
  conversation_events: ConversationEventsTable;
  resolution_settings: ResolutionSettingsTable;
}
