import { REPORT_LIMITS, type ReportBucket } from '../../../protocol/reports.js';
import { AppError } from '../../errors.js';

const HOUR_MS = 3_600_000;
const QUARTER_MS = HOUR_MS / 4;
const BUCKET_MS: Record<ReportBucket, number> = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A wall-clock reading in the viewer's time zone. `weekday`: 0 = Monday … 6 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
}
export type LocalClock = (ms: number) => LocalTime;

/**
 * The viewer's clock: a fixed UTC offset (`+05:30`) or an IANA zone the server's time-zone database
 * knows (DST included). An unknown zone is a rejected input, not a silent UTC.
 */
export function localClock(tz: string): LocalClock {
  const offset = /^([+-])(\d{2}):(\d{2})$/.exec(tz);
  if (offset) {
    const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
    return (ms) => {
      const d = new Date(ms + minutes * 60_000);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        weekday: (d.getUTCDay() + 6) % 7,
      };
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      weekday: 'short',
    });
  } catch {
    throw new AppError('invalid_request', { details: [`tz: unknown time zone "${tz}"`] });
  }
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour) % 24,
      weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Mon'),
    };
  };
}

/** The bucket a local time falls in: `2026-12-01T13:00`, `2026-12-01`, or the week's Monday. */
export function bucketKey(t: LocalTime, bucket: ReportBucket): string {
  if (bucket === 'hour') return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:00`;
  if (bucket === 'day') return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
  const monday = new Date(Date.UTC(t.year, t.month - 1, t.day - t.weekday));
  return monday.toISOString().slice(0, 10);
}

/** Refuses a period too long or too finely cut to compute in one request. */
export function checkPeriod(from: string, to: string, bucket: ReportBucket): void {
  const span = Date.parse(to) - Date.parse(from);
  if (Number.isNaN(span) || span <= 0)
    throw new AppError('invalid_request', { details: ['from must be a time before to'] });
  if (span > REPORT_LIMITS.maxRangeDays * 24 * HOUR_MS)
    throw new AppError('invalid_request', {
      details: [`the period may be at most ${REPORT_LIMITS.maxRangeDays} days`],
    });
  if (Math.ceil(span / BUCKET_MS[bucket]) > REPORT_LIMITS.maxBuckets)
    throw new AppError('invalid_request', {
      details: [`at most ${REPORT_LIMITS.maxBuckets} buckets: choose a shorter period or a larger bucket`],
    });
}

/**
 * Every bucket of [from, to) in order, each with the first instant of the period inside it. Every
 * zone's offset is a multiple of 15 minutes, so stepping on quarter hours finds each bucket's start,
 * whatever the offset or DST changes.
 */
export function bucketsOf(
  from: string,
  to: string,
  bucket: ReportBucket,
  clock: LocalClock,
): { key: string; start: string }[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const seen = new Map<string, string>();
  const visit = (ms: number) => {
    const key = bucketKey(clock(ms), bucket);
    if (!seen.has(key)) seen.set(key, new Date(ms).toISOString());
  };
  visit(start);
  for (let ms = Math.ceil(start / QUARTER_MS) * QUARTER_MS; ms < end; ms += QUARTER_MS) visit(ms);
  return [...seen].map(([key, first]) => ({ key, start: first }));
}
