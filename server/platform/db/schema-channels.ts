/** Conversations through messaging platforms (migration 2026-12-06-0301-channels). */

/** Where a conversation takes place: the web widget, or a channel of one of these kinds. */
export type ConversationChannel = 'web' | 'email' | 'telegram' | 'whatsapp' | 'messenger' | 'instagram';
export type ChannelKind = Exclude<ConversationChannel, 'web'>;
/** The kinds reached through a platform's webhooks and API (adapters.ts); email has Parley's SMTP listener. */
export type PlatformKind = Exclude<ChannelKind, 'email'>;

export interface ChannelsTable {
  id: string;
  workspace_id: string;
  /** The widget whose bot, business hours, team and retention the channel's conversations follow. */
  widget_id: string;
  kind: ChannelKind;
  name: string;
  /** The platform's credentials (JSON), sealed under the master key ring (`<kek>:<wrapped>`). */
  credentials: string;
  /** The secret the platform presents (Telegram's secret token, Meta's verify token), sealed the same way. */
  webhook_secret: string;
  /** `active`, or `error` after a failed send (last_error says why) until the next one works. */
  status: 'active' | 'error';
  last_error: string | null;
  last_error_at: string | null;
  /** When the platform last delivered a verified webhook. */
  last_seen_at: string | null;
  created_by: string | null;
  created_at: string;
  /** An email channel's address customers write to, lower-case; null for the platforms. */
  inbound_address: string | null;
}

export interface ChannelContactsTable {
  id: string;
  workspace_id: string;
  channel_id: string;
  visitor_id: string;
  /** Keyed hash of the platform's sender id under the workspace's index key: the lookup. */
  sender_index: string;
  /** The platform's sender id (a chat id, a phone number, a page-scoped id), sealed under the visitor's key. */
  sender: string;
  /** The sender's latest message: WhatsApp and Messenger accept replies within 24 hours of it. */
  last_inbound_at: string;
  created_at: string;
}

export interface ChannelDeliveriesTable {
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  channel_id: string;
  platform_message_id: string | null;
  sent_at: string;
}

export interface ChannelTables {
  channels: ChannelsTable;
  channel_contacts: ChannelContactsTable;
  channel_deliveries: ChannelDeliveriesTable;
}
