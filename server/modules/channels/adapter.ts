import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelsConfig } from '../../config-channels.js';
import type { PlatformKind } from '../../platform/db/schema-channels.js';
import type { ChannelCredentials } from './channel-secrets.js';

/** A customer's message as a platform delivered it, before Parley stores it. */
export interface InboundMessage {
  /** The platform's id of the event or message: a redelivery carries the same one. */
  eventId: string;
  /** Whom replies go to: a Telegram chat id, a WhatsApp phone number, a page-scoped id. */
  sender: string;
  text: string;
  /** When the customer sent it (the platform's timestamp): the 24-hour window counts from here. */
  at: string;
}

/** What a webhook request brings, as the route received it. */
export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes the platform signed. */
  rawBody: Buffer;
}

/**
 * One messaging platform: how its webhooks are verified and read, and how a reply is sent. Inbound
 * and outbound of every channel go through this one shape (receive-webhook.ts, deliver-reply.ts).
 */
export interface ChannelAdapter {
  readonly kind: PlatformKind;
  /** Whether the platform allows a reply only within this long after the customer's last message. */
  readonly replyWindowMs: number | null;
  /** The longest text one platform message may carry; longer replies go out in parts. */
  readonly maxTextChars: number;
  /** Whether the request is the platform's, by its documented verification. Reads nothing else. */
  verify(request: WebhookRequest, o: { webhookSecret: string; credentials: ChannelCredentials }): boolean;
  /** The customers' messages in a verified body; anything else it carries (statuses, echoes) is skipped. */
  parse(body: unknown): InboundMessage[];
  send(
    config: ChannelsConfig,
    o: { credentials: ChannelCredentials; to: string; text: string },
  ): Promise<{ platformMessageId: string | null }>;
}

/** Equal strings, compared in constant time whatever their lengths (both are hashed first). */
export function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

export function headerOf(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** What a customer sent that a conversation cannot show as text (a sticker, a voice note). */
export const UNSUPPORTED_TEXT =
  '[The customer sent something this channel cannot show here (a photo, sticker, voice note or file).]';

/** At most this many messages are taken from one webhook request. */
export const MAX_MESSAGES_PER_WEBHOOK = 100;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
export const arrayOf = (v: unknown): unknown[] =>
  Array.isArray(v) ? v.slice(0, MAX_MESSAGES_PER_WEBHOOK) : [];
export const stringOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null;

/** A platform's seconds (or milliseconds) timestamp as ISO time; now when it is missing or odd. */
export function timeOf(value: unknown, unit: 'seconds' | 'ms', now: () => number): string {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  const ms = unit === 'seconds' ? n * 1000 : n;
  if (!Number.isFinite(ms) || ms <= 0 || ms > now() + 300_000) return new Date(now()).toISOString();
  return new Date(ms).toISOString();
}
