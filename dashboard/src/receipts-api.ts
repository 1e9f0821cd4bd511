import type { NotificationSettings, ReadState } from '../../protocol/receipts.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;

/** Read state (unread counts), the agent's notification settings and their own presence. */
export const receiptsApi = {
  readState: (wid: string) => request<ReadState>('GET', `${ws(wid)}/read-state`),
  notificationSettings: (wid: string) =>
    request<NotificationSettings>('GET', `${ws(wid)}/notification-settings`),
  setNotificationSettings: (wid: string, body: NotificationSettings) =>
    request<NotificationSettings>('PUT', `${ws(wid)}/notification-settings`, body),
  presence: (wid: string) => request<{ status: 'online' | 'away' }>('GET', `${ws(wid)}/presence`),
};
