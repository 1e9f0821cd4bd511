import type { ChannelKind, PlatformKind } from '../../platform/db/schema-channels.js';
import type { ChannelAdapter } from './adapter.js';
import { instagramAdapter, messengerAdapter, whatsAppAdapter } from './meta-adapter.js';
import { telegramAdapter } from './telegram-adapter.js';

const ADAPTERS: Record<PlatformKind, ChannelAdapter> = {
  telegram: telegramAdapter,
  whatsapp: whatsAppAdapter,
  messenger: messengerAdapter,
  instagram: instagramAdapter,
};

/** The adapter of a platform kind; null for email, which has no webhooks (Parley's SMTP listener takes it). */
export function adapterOf(kind: ChannelKind): ChannelAdapter | null {
  return kind === 'email' ? null : ADAPTERS[kind];
}

export const CHANNEL_KINDS = Object.keys(ADAPTERS) as PlatformKind[];
