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

/**
 * With Parley served over https, a plain http:// embedding page is refused unless an administrator
 * allows it for the widget: that page, the identity hash in its snippet and the frame it embeds can be
 * rewritten by anyone on the way, and the origin would sit in the frame's `frame-ancestors`.
 * Loopback (localhost, 127.0.0.0/8, [::1]) stays allowed for local development: nobody is on that path.
 */
export function assertSecureOrigins(options: {
  origins: readonly string[];
  publicOrigin: string;
  allowInsecure: boolean;
}): void {
  if (options.allowInsecure || !options.publicOrigin.startsWith('https:')) return;
  const insecure = options.origins.filter((o) => o.startsWith('http:') && !isLoopback(new URL(o).hostname));
  if (insecure.length === 0) return;
  throw new AppError('insecure_origin', {
    details: insecure.map(
      (o) => `allowedOrigins: "${o}" is plain http; use https://${o.slice('http://'.length)}`,
    ),
  });
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
