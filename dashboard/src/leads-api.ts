import type { LeadPage } from '../../protocol/leads.js';
import { request } from './api.js';

export interface LeadFilter {
  widgetId: string;
  /** yyyy-mm-dd from a date input, or ''. */
  from: string;
  to: string;
}

/** The filter as a query string; dates are whole days in the viewer's time zone, `to` inclusive. */
export function leadQuery(filter: LeadFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.widgetId) q.set('widgetId', filter.widgetId);
  if (filter.from) q.set('from', new Date(`${filter.from}T00:00:00`).toISOString());
  if (filter.to) {
    const end = new Date(`${filter.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    q.set('to', end.toISOString());
  }
  return q;
}

const base = (wid: string) => `/workspaces/${encodeURIComponent(wid)}/leads`;

/** Leads flows collected (docs/PROTOCOL.md §2.16). */
export const leadsApi = {
  list: (wid: string, filter: LeadFilter, cursor: string | null) => {
    const q = leadQuery(filter);
    if (cursor) q.set('cursor', cursor);
    return request<LeadPage>('GET', `${base(wid)}?${q.toString()}`);
  },
  /** A plain link: the browser downloads the file with the session cookie (a GET, same origin). */
  exportHref: (wid: string, filter: LeadFilter, format: 'csv' | 'json') => {
    const q = leadQuery(filter);
    q.set('format', format);
    return `/api/v1${base(wid)}/export?${q.toString()}`;
  },
};
