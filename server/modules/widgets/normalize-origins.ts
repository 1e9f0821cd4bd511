import { AppError } from '../../errors.js';

/** Lower-cases, drops default ports and duplicates; refuses anything that is not a bare origin. */
export function normalizeOrigins(origins: readonly string[]): string[] {
  const out = new Set<string>();
  const problems: string[] = [];
  for (const raw of origins) {
    try {
      const u = new URL(raw);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin === 'null') throw new Error();
      out.add(u.origin);
    } catch {
      problems.push(`allowedOrigins: "${raw}" is not an origin like https://www.example.com`);
    }
  }
  if (problems.length > 0) throw new AppError('invalid_request', { details: problems });
  return [...out];
}
