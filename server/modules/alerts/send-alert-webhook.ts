import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveOutboundTarget } from '../../platform/http/outbound-address.js';

const ATTEMPTS = 3;
const TIMEOUT_MS = 5_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it and checks t is recent. */
export function signAlert(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Posts an alert to the configured webhook: the address is checked (no private, loopback or metadata
 * address unless allowed) and resolved before every attempt, the connection pinned to the checked
 * address, redirects not followed; up to three attempts with backoff on network errors, 5xx and 429.
 * Resolves to the attempts made; throws with the last reason after the last one.
 */
export async function sendAlertWebhook(
  webhook: { url: string; secret: string; allowPrivate: boolean },
  body: string,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const target = await resolveOutboundTarget(webhook.url, webhook.allowPrivate);
    const signature = signAlert(webhook.secret, Math.floor(Date.now() / 1000), body);
    const outcome = await post(target, body, signature);
    if (outcome === 'ok') return attempt;
    last = outcome.reason;
    if (!outcome.retry) break;
    if (attempt < ATTEMPTS) await pause(250 * 2 ** (attempt - 1));
  }
  throw new Error(`alert webhook failed: ${last}`);
}

type Outcome = 'ok' | { reason: string; retry: boolean };

function post(
  target: Awaited<ReturnType<typeof resolveOutboundTarget>>,
  body: string,
  signature: string,
): Promise<Outcome> {
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else cb(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Parley-Alerts',
          'x-parley-signature': signature,
        },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve('ok');
        else resolve({ reason: `status ${status}`, retry: status >= 500 || status === 429 });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ reason: err.message, retry: true }));
    req.end(body);
  });
}
