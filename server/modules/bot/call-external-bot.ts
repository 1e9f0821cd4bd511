import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import { ExternalBotResponse } from '../../../protocol/flows.js';
import type { ExternalBotConfig } from '../../config-external-bot.js';
import { clock } from '../../platform/clock.js';
import {
  OutboundRefused,
  type OutboundTarget,
  resolveOutboundTarget,
} from '../../platform/http/outbound-address.js';

const MAX_RESPONSE_BYTES = 64 * 1024;

/** The signature a site checks: HMAC-SHA256 over "<timestamp>.<raw body>" with the widget's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export type WebhookOutcome = { ok: true; response: ExternalBotResponse } | { ok: false; reason: string };

class Attempt extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Posts one event to the widget's webhook: signed, pinned to an address checked against SSRF right
 * before connecting, redirects not followed, a time limit per attempt, bounded retries with doubling
 * backoff. The same delivery id goes with every attempt so the site can drop repeats.
 */
export async function callExternalBot(options: {
  url: string;
  secret: string;
  payload: Record<string, unknown>;
  config: ExternalBotConfig;
}): Promise<WebhookOutcome> {
  const { config } = options;
  const deliveryId = randomUUID();
  const body = JSON.stringify({ ...options.payload, deliveryId });
  let reason = 'no attempt';
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(250 * 2 ** (attempt - 1), 2000));
    try {
      const target = await resolveOutboundTarget(options.url, config.allowPrivate);
      const timestamp = String(Math.floor(clock.now() / 1000));
      const raw = await post(
        target,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhook/1',
          'parley-delivery': deliveryId,
          'parley-timestamp': timestamp,
          'parley-signature': signWebhook(options.secret, timestamp, body),
        },
        config.timeoutMs,
      );
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new Attempt('the response is not JSON', false);
      }
      if (!Value.Check(ExternalBotResponse, parsed))
        throw new Attempt('the response does not match the schema', false);
      return { ok: true, response: parsed };
    } catch (err) {
      if (err instanceof OutboundRefused) return { ok: false, reason: err.message };
      reason = err instanceof Error ? err.message : String(err);
      if (!(err instanceof Attempt) || !err.retryable) return { ok: false, reason };
    }
  }
  return { ok: false, reason };
}

function post(
  target: OutboundTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else cb(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300) {
          res.resume();
          const retryable = status >= 500 || status === 429;
          reject(
            new Attempt(status < 400 ? `redirect (${status}) not followed` : `status ${status}`, retryable),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy();
            reject(new Attempt('the response is too large', false));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', (err) => reject(new Attempt(err.message, true)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Attempt(`no answer within ${timeoutMs} ms`, true));
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(new Attempt(err.message, true)));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
