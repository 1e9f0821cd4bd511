import { LIMITS } from '../../../protocol/limits.js';

/** Same rule as protocol/api.ts OriginString: scheme://host[:port], nothing else. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;

export interface OriginsResult {
  origins: string[];
  errors: string[];
}

function problem(line: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(line)) return 'add the scheme, for example https://';
  if (!/^https?:\/\//i.test(line)) return 'only http:// and https:// are allowed';
  const rest = line.replace(/^https?:\/\//i, '');
  if (rest.includes('@')) return 'remove the user name';
  if (/[/?#]/.test(rest)) return 'remove the path or query — keep only scheme, host and port';
  const port = rest.match(/:(\d+)$/)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'the port must be 1–65535';
  if (!ORIGIN.test(line)) return 'the host may contain only letters, digits, dots and hyphens';
  return null;
}

/**
 * Parses the "one origin per line" box. Blank lines are ignored and a single trailing slash is
 * dropped (browsers never include it in an origin); anything else wrong is reported per line.
 */
export function parseOrigins(text: string): OriginsResult {
  const origins: string[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim().replace(/(?<=\/\/[^/]+)\/$/, '');
    if (!line) return;
    const why = problem(line);
    if (why) errors.push(`Line ${i + 1} (“${line}”): ${why}.`);
    else {
      // Browsers leave the default port out of an origin, so the stored value must too.
      const normalized = line.toLowerCase().replace(/^(https:\/\/[^:]+):443$|^(http:\/\/[^:]+):80$/, '$1$2');
      if (!origins.includes(normalized)) origins.push(normalized);
    }
  });
  if (errors.length === 0 && origins.length === 0)
    errors.push('Add at least one origin, for example https://www.example.com.');
  if (origins.length > LIMITS.maxAllowedOrigins)
    errors.push(`At most ${LIMITS.maxAllowedOrigins} origins per widget.`);
  return { origins, errors };
}
