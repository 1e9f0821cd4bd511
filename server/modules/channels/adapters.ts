import type { ChannelKind } from '../../platform/db/schema-channels.js';
import type { ChannelAdapter } from './adapter.js';
import { instagramAdapter, messengerAdapter, whatsAppAdapter } from './meta-adapter.js';
import { telegramAdapter } from './telegram-adapter.js';

const ADAPTERS: Record<ChannelKind, ChannelAdapter> = {
  telegram: telegramAdapter,
  whatsapp: whatsAppAdapter,
  messenger: messengerAdapter,
  instagram: instagramAdapter,
};

export function adapterOf(kind: ChannelKind): ChannelAdapter {
  return ADAPTERS[kind];
}

export const CHANNEL_KINDS = Object.keys(ADAPTERS) as ChannelKind[];
