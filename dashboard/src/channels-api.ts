import type { Channel, ChannelCreated, CreateChannelBody } from '../../protocol/channels.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;

/** Messaging channels (administrators). */
export const channelsApi = {
  list: (wid: string) => request<{ items: Channel[] }>('GET', `${ws(wid)}/channels`),
  create: (wid: string, body: CreateChannelBody) =>
    request<ChannelCreated>('POST', `${ws(wid)}/channels`, body),
  remove: (wid: string, id: string) =>
    request<void>('DELETE', `${ws(wid)}/channels/${encodeURIComponent(id)}`, {}),
};

export const CHANNEL_LABELS: Record<string, string> = {
  web: 'Web chat',
  email: 'Email',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
};
