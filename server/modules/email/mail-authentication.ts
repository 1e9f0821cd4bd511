/**
 * SPF, DKIM and DMARC verdicts of an inbound mail, as the trusted relay in front of Parley's listener
 * recorded them in an `Authentication-Results` header (RFC 8601). Parley checks none of them itself:
 * it trusts exactly one header, the topmost whose authserv-id is the configured one
 * (PARLEY_SMTP_AUTHSERV_ID). The relay prepends its header above everything the sender wrote, so any
 * header below it with the same id is the sender's own (a forgery, or an older hop's) and is ignored.
 * Without a configured id nothing is trusted and nothing is recorded. Pure.
 */
export interface MailVerdicts {
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
}

export const NO_VERDICTS: MailVerdicts = { spf: null, dkim: null, dmarc: null };
const METHODS = ['spf', 'dkim', 'dmarc'] as const;

/** `headers`: the values of every Authentication-Results header, topmost first. */
export function verdictsOf(headers: readonly string[], authservId: string | null): MailVerdicts {
  if (!authservId) return NO_VERDICTS;
  const trusted = headers.map(withoutComments).find((h) => authservIdOf(h) === authservId.toLowerCase());
  if (trusted === undefined) return NO_VERDICTS;
  const found: Record<(typeof METHODS)[number], string[]> = { spf: [], dkim: [], dmarc: [] };
  for (const part of trusted.split(';').slice(1)) {
    const m = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]{1,16})\b/i.exec(part);
    if (m)
      found[(m[1] as string).toLowerCase() as (typeof METHODS)[number]].push((m[2] as string).toLowerCase());
  }
  // A mail may carry several DKIM signatures: one that passes is enough, as for DMARC.
  const pick = (results: string[]) => (results.includes('pass') ? 'pass' : (results[0] ?? null));
  return { spf: pick(found.spf), dkim: pick(found.dkim), dmarc: pick(found.dmarc) };
}

function authservIdOf(header: string): string {
  return (header.split(';')[0] ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** RFC 5322 comments ("(sender IP is 192.0.2.1)") may hold anything, semicolons included. */
function withoutComments(header: string): string {
  let out = '';
  let depth = 0;
  for (const c of header.replace(/\r?\n[ \t]+/g, ' ')) {
    if (c === '(') depth += 1;
    else if (c === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += c;
  }
  return out;
}
