const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Short relative time for lists: "now", "5 min", "3 h", "Yesterday", "Mar 4". */
export function relativeTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = now - t;
  if (diff < MINUTE) return 'now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min`;
  if (t >= startOfDay(now)) return diff < 6 * HOUR ? `${Math.floor(diff / HOUR)} h` : timeFmt.format(t);
  if (t >= startOfDay(now) - DAY) return 'Yesterday';
  if (new Date(t).getFullYear() === new Date(now).getFullYear()) return dateFmt.format(t);
  return yearFmt.format(t);
}

/** Clock time of a message: "14:05". */
export function clockTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : timeFmt.format(t);
}

const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date and time in the reader's locale and zone, for tables: "Mar 4, 2026, 14:05". */
export function localDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : dateTimeFmt.format(t);
}

/** Full date and time, for tooltips. */
export function fullTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : fullFmt.format(t);
}

/** A day heading between messages: "Today", "Yesterday", "Monday, March 4". */
export function dayLabel(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const day = startOfDay(t);
  if (day === startOfDay(now)) return 'Today';
  if (day === startOfDay(now) - DAY) return 'Yesterday';
  return dayFmt.format(t);
}

export function sameDay(a: string, b: string): boolean {
  return startOfDay(Date.parse(a)) === startOfDay(Date.parse(b));
}
