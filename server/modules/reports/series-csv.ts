import type { GroupFigures, ServiceSeries } from '../../../protocol/reports.js';
import type { ServiceReport } from '../../../protocol/service.js';
import { toCsv } from '../../platform/csv.js';

const HEADER = [
  'section',
  'key',
  'name',
  'conversations',
  'handed_off',
  'bot_containment_rate',
  'queries',
  'resolved',
  'abandoned',
  'median_first_response_seconds',
  'median_handle_seconds',
  'average_rating',
  'ratings',
  'calls_offered',
  'calls_answered',
  'calls_declined',
  'calls_missed',
  'call_talk_seconds',
];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
type Cell = string | number | null;

/** Calls are counted for a whole period (the report leaves them out of one without any: zeros). */
const callCells = (r: ServiceReport): Cell[] => {
  const c = r.calls;
  return [c?.offered ?? 0, c?.answered ?? 0, c?.declined ?? 0, c?.missed ?? 0, c?.talkSeconds ?? 0];
};

const reportRow = (section: string, key: string, r: ServiceReport): Cell[] => [
  section,
  key,
  '',
  r.conversations,
  r.handedOff,
  r.botContainmentRate,
  r.queries,
  r.resolved,
  r.abandoned,
  r.medianFirstResponseSeconds,
  r.medianHandleSeconds,
  r.averageRating,
  r.ratings,
  ...callCells(r),
];
const groupRow = (section: string, g: GroupFigures): Cell[] => [
  section,
  g.id,
  g.name,
  g.conversations,
  null,
  null,
  g.queries,
  g.resolved,
  g.abandoned,
  g.medianFirstResponseSeconds,
  g.medianHandleSeconds,
  g.averageRating,
  g.ratings,
];

/**
 * The whole report as one table a spreadsheet can filter by its `section` column: the period and the
 * previous one, the series, the busiest hours, then each breakdown. Names are workspace data typed by
 * people (labels, teams, widgets), so every cell goes through the formula-defusing writer.
 */
export function seriesToCsv(s: ServiceSeries): string {
  const rows: Cell[][] = [HEADER];
  rows.push(reportRow('period', `${s.from}/${s.to}`, s.summary));
  rows.push(reportRow('previous_period', `${s.previous.from}/${s.previous.to}`, s.previous.report));
  for (const p of s.series)
    rows.push([
      `series_${s.bucket}`,
      p.key,
      '',
      p.conversations,
      p.handedOff,
      p.botContainmentRate,
      p.queries,
      p.resolved,
      null,
      p.medianFirstResponseSeconds,
      p.medianHandleSeconds,
      p.averageRating,
      p.ratings,
    ]);
  s.busiestHours.forEach((hours, day) => {
    hours.forEach((count, hour) => {
      rows.push(['hour_of_week', `${WEEKDAYS[day]} ${String(hour).padStart(2, '0')}:00 ${s.tz}`, '', count]);
    });
  });
  for (const g of s.breakdowns.agents) rows.push(groupRow('agent', g));
  for (const g of s.breakdowns.teams) rows.push(groupRow('team', g));
  for (const g of s.breakdowns.widgets) rows.push(groupRow('widget', g));
  for (const g of s.breakdowns.channels) rows.push(groupRow('channel', g));
  for (const g of s.breakdowns.labels) rows.push(groupRow('label', g));
  return toCsv(rows);
}
