const DAY_MS = 86_400_000;

export type PeriodChoice = '7' | '30' | '90' | 'custom';

/** A report period as the API takes it: [from, to) in ISO time. Custom days are whole local days. */
export function periodOf(
  choice: PeriodChoice,
  custom: { from: string; to: string },
  now: number,
): { from: string; to: string } | null {
  if (choice !== 'custom') {
    return { from: new Date(now - Number(choice) * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  }
  const from = Date.parse(`${custom.from}T00:00`);
  const lastDay = Date.parse(`${custom.to}T00:00`);
  if (Number.isNaN(from) || Number.isNaN(lastDay) || lastDay < from) return null;
  const to = new Date(lastDay);
  to.setDate(to.getDate() + 1);
  return { from: new Date(from).toISOString(), to: to.toISOString() };
}

/** "45 s", "3 min 20 s", "2 h 5 min"; a dash when nothing was measured. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const minutes = Math.round((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${Math.floor(s / 3600)} h`;
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

export function formatRating(average: number | null): string {
  return average === null ? '—' : `${average.toFixed(1)} / 5`;
}
