import type { SecurityAlert } from '../../protocol/security-alerts.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;

/** The workspace's security alerts (administrators). */
export const alertsApi = {
  list: (wid: string) => request<{ items: SecurityAlert[] }>('GET', `${ws(wid)}/security-alerts`),
};
