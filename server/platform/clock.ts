/** ISO timestamps for storage; one helper so every table uses the same 24-character format. */
export function nowIso(): string {
  return new Date().toISOString();
}
