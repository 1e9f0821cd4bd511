/** Tables of bot flows, the external bot and business hours (migration 2026-11-22-0008-flows). */
export interface BotFlowsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  name: string;
  trigger: 'first_message' | 'quick_reply' | 'off';
  label: string | null;
  /** JSON `{ [language]: label }`: the quick-reply button's label in other languages; null: none. */
  label_translations: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BotFlowVersionsTable {
  flow_id: string;
  version: number;
  workspace_id: string;
  /** JSON FlowDefinition (protocol/flows.ts). */
  definition: string;
  created_by: string | null;
  created_at: string;
}

export interface FlowRunsTable {
  conversation_id: string;
  workspace_id: string;
  flow_id: string | null;
  flow_version: number | null;
  step_id: string | null;
  /** The seq of the bot message whose buttons the current step offered. */
  prompt_seq: number | null;
  attempts: number;
  awaiting: 'flow' | 'after_hours_email' | null;
  handoff_team_id: string | null;
  updated_at: string;
}

export interface ConversationCheckpointsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  flow_id: string;
  name: string;
  /** Sealed JSON of the attributes collected so far, under the visitor's data key. */
  data: string | null;
  created_at: string;
}

export interface WidgetBotSettingsTable {
  widget_id: string;
  workspace_id: string;
  external_bot_enabled: number;
  external_bot_url: string | null;
  external_bot_secret: string | null;
  /** JSON BusinessHours (protocol/flows.ts), or null: always open. */
  business_hours: string | null;
  updated_at: string;
}

export interface FlowTables {
  bot_flows: BotFlowsTable;
  bot_flow_versions: BotFlowVersionsTable;
  flow_runs: FlowRunsTable;
  conversation_checkpoints: ConversationCheckpointsTable;
  widget_bot_settings: WidgetBotSettingsTable;
}
