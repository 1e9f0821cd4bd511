import type { SecurityAlertList } from '../../protocol/security-alerts.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}/security-alerts`;

/** Told when the alerts screen marked alerts seen, so the count beside Alerts follows at once. */
export const ALERTS_SEEN_EVENT = 'parley:alerts-seen';

/** The workspace's security alerts (administrators). */
export const alertsApi = {
  list: (wid: string, limit = 50) => request<SecurityAlertList>('GET', `${ws(wid)}?limit=${limit}`),
  seen: (wid: string, through: string) => request<void>('PUT', `${ws(wid)}/seen`, { through }),
};
