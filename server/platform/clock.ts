/**
 * The one source of "now" for anything with a deadline (sessions, links, lockouts, retention).
 * Tests replace `clock.now` to move time forward instead of waiting.
 */
export const clock = {
  now: (): number => Date.now(),
};

/** ISO timestamps for storage; one helper so every table uses the same 24-character format. */
export function nowIso(): string {
  return new Date(clock.now()).toISOString();
}

/** The ISO timestamp `ms` milliseconds from now. */
export function isoFromNow(ms: number): string {
  return new Date(clock.now() + ms).toISOString();
}
