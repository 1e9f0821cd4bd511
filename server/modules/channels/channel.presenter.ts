import type { Channel } from '../../../protocol/channels.js';
import type { ChannelsTable } from '../../platform/db/schema-channels.js';

/** Where the platform must send a channel's webhooks. */
export function webhookUrlOf(publicOrigin: string, channelId: string): string {
  return `${publicOrigin}/api/v1/channels/${channelId}/webhook`;
}

/** A channel for administrators: never its credentials or its secret. */
export function presentChannel(row: ChannelsTable, publicOrigin: string): Channel {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    widgetId: row.widget_id,
    status: row.status,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    lastSeenAt: row.last_seen_at,
    webhookUrl: webhookUrlOf(publicOrigin, row.id),
    createdAt: row.created_at,
    inboundAddress: row.inbound_address,
  };
}
