import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ChannelsConfig } from '../../config-channels.js';
import { OutboundRefused, resolveOutboundTarget } from '../../platform/http/outbound-address.js';

const MAX_RESPONSE_BYTES = 64 * 1024;

/** A platform call that did not succeed: `retryable` for network errors, timeouts, 429 and 5xx. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * POSTs JSON to a platform's API through the SSRF guard (outbound-address.ts): the URL is resolved
 * and checked before every request and the connection pinned to the checked address; redirects are
 * not followed, the answer is bounded, the request has a time limit. The URL may carry a credential
 * in its path (Telegram's bot token): it is never put in an error message.
 */
export async function postToPlatform(
  config: ChannelsConfig,
  o: { url: string; body: unknown; headers?: Record<string, string> },
): Promise<unknown> {
  let target: Awaited<ReturnType<typeof resolveOutboundTarget>>;
  try {
    target = await resolveOutboundTarget(o.url, config.allowPrivate);
  } catch (err) {
    if (err instanceof OutboundRefused) throw new PlatformError(err.message, false);
    throw err;
  }
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else cb(null, target.address, target.family);
  };
  const payload = JSON.stringify(o.body);
  const client = target.url.protocol === 'https:' ? https : http;
  const raw = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = client.request(
      target.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Channels/1',
          ...o.headers,
          'content-length': String(Buffer.byteLength(payload)),
        },
        lookup: pinned,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy();
            reject(new PlatformError('the platform’s answer is too large', false));
          } else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => reject(new PlatformError('the platform’s answer broke off', true)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new PlatformError(`the platform did not answer within ${config.timeoutMs} ms`, true));
    }, config.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new PlatformError(`the platform could not be reached (${err.code ?? 'network error'})`, true)),
    );
    req.end(payload);
  });
  let parsed: unknown = null;
  try {
    parsed = raw.text ? JSON.parse(raw.text) : null;
  } catch {
    parsed = null;
  }
  if (raw.status >= 200 && raw.status < 300) return parsed;
  const retryable = raw.status >= 500 || raw.status === 429;
  throw new PlatformError(`the platform answered ${raw.status}${describe(parsed)}`, retryable);
}

/** The platform's own words for a refusal (Telegram's `description`, Graph's `error.message`), bounded. */
function describe(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const b = body as { description?: unknown; error?: { message?: unknown } };
  const text = typeof b.description === 'string' ? b.description : b.error?.message;
  return typeof text === 'string' ? `: ${text.slice(0, 200)}` : '';
}
