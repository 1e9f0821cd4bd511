import type { BusinessHours } from '../../../protocol/flows.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A wall-clock moment in the widget's time zone. */
interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function localTime(now: number, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    minutes: get('hour') * 60 + get('minute'),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export interface Opening {
  /** The local date (YYYY-MM-DD) and time (HH:MM) of the next opening, in `timeZone`. */
  date: string;
  time: string;
  timeZone: string;
  /** "Monday 23 November at 09:00 (Europe/Berlin)" */
  text: string;
}

/**
 * Whether the widget is open at `now`, and if not, when it opens next. Days are walked on the local
 * calendar, so daylight-saving changes move nothing: 09:00 stays 09:00 in the widget's zone.
 * No hours configured (or disabled) means always open.
 */
export function checkBusinessHours(
  hours: BusinessHours | null,
  now: number,
): { open: true } | { open: false; next: Opening | null } {
  if (!hours?.enabled) return { open: true };
  const local = localTime(now, hours.timeZone);
  const holidays = new Set(hours.holidays);
  const today = new Date(Date.UTC(local.year, local.month - 1, local.day));
  for (let offset = 0; offset <= 370; offset++) {
    const date = new Date(today.getTime() + offset * 86_400_000);
    if (holidays.has(isoDate(date))) continue;
    const ranges = hours.weekly
      .filter((r) => r.day === date.getUTCDay())
      .map((r) => ({ open: toMinutes(r.open), close: toMinutes(r.close), label: r.open }))
      .sort((a, b) => a.open - b.open);
    for (const r of ranges) {
      if (offset === 0 && r.open <= local.minutes && local.minutes < r.close) return { open: true };
      if (offset === 0 && r.open <= local.minutes) continue;
      const text = `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} at ${r.label} (${hours.timeZone})`;
      return { open: false, next: { date: isoDate(date), time: r.label, timeZone: hours.timeZone, text } };
    }
  }
  return { open: false, next: null };
}

/** Problems with a set of hours an administrator saves; empty when it is usable. */
export function checkHoursShape(hours: BusinessHours): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(hours.timeZone))
    problems.push(`timeZone: ${hours.timeZone} is not an IANA time zone.`);
  for (const r of hours.weekly) {
    if (toMinutes(r.close) <= toMinutes(r.open))
      problems.push(`weekly: ${r.open}–${r.close} closes before it opens.`);
  }
  for (const h of hours.holidays) {
    if (Number.isNaN(Date.parse(`${h}T00:00:00Z`))) problems.push(`holidays: ${h} is not a date.`);
  }
  if (hours.enabled && hours.weekly.length === 0) problems.push('weekly: add at least one opening range.');
  return problems;
}
