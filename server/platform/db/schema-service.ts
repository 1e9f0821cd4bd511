/** Tables of the human handoff (migration 2026-11-22-0007-service). Same conventions as schema.ts. */

export type QueryState = 'queued' | 'assigned' | 'waiting_on_visitor' | 'resolved' | 'abandoned';
/** `no_bot`: the widget has no bot to answer (no knowledge base), so the first message queues. */
export type QueryTrigger = 'visitor_asked' | 'button' | 'bot_misses' | 'flow' | 'external_bot' | 'no_bot';
export type QueryEventKind =
  | 'queued'
  | 'assigned'
  | 'transferred'
  | 'waiting_on_visitor'
  | 'visitor_replied'
  | 'resolved'
  | 'abandoned'
  | 'rated';

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  workspace_id: string;
  created_at: string;
}

export interface AgentServiceSettingsTable {
  user_id: string;
  workspace_id: string;
  /** Most queries this agent holds at once (assigned or waiting on the visitor); 0: none automatically. */
  capacity: number;
  /** 1: the agent chose "away": connected, but given no new queries. */
  away: number;
  last_assigned_at: string | null;
}

export interface AgentPresenceTable {
  id: string;
  workspace_id: string;
  user_id: string;
  node_id: string;
  seen_at: string;
}

export interface QueriesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  widget_id: string;
  team_id: string | null;
  state: QueryState;
  assignee_id: string | null;
  trigger: QueryTrigger;
  page_url: string | null;
  referrer: string | null;
  resolution_code: string | null;
  resolution_note: string | null;
  rating: number | null;
  rating_comment: string | null;
  created_at: string;
  first_assigned_at: string | null;
  first_response_at: string | null;
  closed_at: string | null;
  rated_at: string | null;
  updated_at: string;
}

export interface QueryEventsTable {
  id: string;
  workspace_id: string;
  query_id: string;
  kind: QueryEventKind;
  from_state: QueryState | null;
  to_state: QueryState | null;
  actor_id: string | null;
  assignee_id: string | null;
  team_id: string | null;
  occurred_at: string;
}

export interface ResolutionCodesTable {
  id: string;
  workspace_id: string;
  code: string;
  label: string;
  created_at: string;
}

export interface CannedResponsesTable {
  id: string;
  workspace_id: string;
  shortcut: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface ServiceTables {
  teams: TeamsTable;
  team_members: TeamMembersTable;
  agent_service_settings: AgentServiceSettingsTable;
  agent_presence: AgentPresenceTable;
  queries: QueriesTable;
  query_events: QueryEventsTable;
  resolution_codes: ResolutionCodesTable;
  canned_responses: CannedResponsesTable;
}
