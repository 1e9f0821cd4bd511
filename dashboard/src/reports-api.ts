import type { ReportBucket, ServiceSeries } from '../../protocol/reports.js';
import { request } from './api.js';

const base = (wid: string) => `/workspaces/${encodeURIComponent(wid)}/reports/service/series`;
export interface SeriesRequest {
  from: string;
  to: string;
  bucket: ReportBucket;
  tz: string;
}

/** The service report over time, and the address of the same report as CSV. */
export const reportsApi = {
  series: (wid: string, q: SeriesRequest) =>
    request<ServiceSeries>('GET', `${base(wid)}?${new URLSearchParams({ ...q })}`),
  csvHref: (wid: string, q: SeriesRequest) => `/api/v1${base(wid)}.csv?${new URLSearchParams({ ...q })}`,
};

/** A bucket that keeps the series readable and within the server's 400-bucket limit. */
export function bucketFor(period: { from: string; to: string }): ReportBucket {
  const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000;
  if (days <= 3) return 'hour';
  if (days <= 120) return 'day';
  return 'week';
}

/** The viewer's IANA time zone, or its current UTC offset where the browser does not name one. */
export function viewerTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return zone;
  const minutes = -new Date().getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
