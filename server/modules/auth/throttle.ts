import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { emit } from '../../platform/metrics/signals.js';
import {
  blockThrottle,
  clearThrottle,
  findThrottles,
  incrementThrottle,
  restartThrottleWindow,
} from './throttle.repository.js';

interface Policy {
  /** Failures allowed without any delay. */
  free: number;
  /** From this many failures the key is locked out for `lockoutMs`. */
  lockoutAt: number;
  lockoutMs: number;
  /** Failures older than this are forgotten (unless locked out). */
  windowMs: number;
}

const MINUTE = 60_000;

/**
 * Brute-force limits for sign-in, password reset and invitation acceptance. Delays grow with each
 * failure past the free ones (2 s, 4 s, 8 s… up to a minute), then a temporary lockout. Keys exist
 * whether or not an account does, so an attacker sees the same throttling for real and made-up emails.
 */
export const THROTTLE_POLICIES = {
  account: { free: 3, lockoutAt: 10, lockoutMs: 15 * MINUTE, windowMs: 15 * MINUTE },
  ip: { free: 10, lockoutAt: 50, lockoutMs: 15 * MINUTE, windowMs: 15 * MINUTE },
} as const satisfies Record<string, Policy>;

export type ThrottleScope = keyof typeof THROTTLE_POLICIES;

export interface ThrottleKey {
  scope: ThrottleScope;
  key: string;
}

/** Throttle keys for an attempt: the account (hashed email, never stored in clear) and the client IP. */
export function throttleKeys(action: string, email: string | null, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [];
  if (email) {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    keys.push({ scope: 'account', key: `${action}:acct:${digest}` });
  }
  if (ip) keys.push({ scope: 'ip', key: `${action}:ip:${ip}` });
  return keys;
}

/** Refuses the attempt while any of its keys is delayed or locked out. */
export async function assertNotThrottled(db: Executor, keys: ThrottleKey[]): Promise<void> {
  if (keys.length === 0) return;
  const rows = await findThrottles(
    db,
    keys.map((k) => k.key),
  );
  const now = clock.now();
  const until = Math.max(0, ...rows.map((r) => (r.blocked_until ? Date.parse(r.blocked_until) : 0)));
  if (until > now) throw new AppError('too_many_attempts', { retryAfterSeconds: (until - now) / 1000 });
}

export async function recordFailure(db: Executor, keys: ThrottleKey[]): Promise<void> {
  // The action is the first part of every key of one attempt (throttleKeys), a word the code chose.
  if (keys[0]) emit('auth.failed', { action: keys[0].key.split(':')[0] ?? 'other' });
  const now = clock.now();
  const at = new Date(now).toISOString();
  for (const { scope, key } of keys) {
    const policy: Policy = THROTTLE_POLICIES[scope];
    let { failures, window_started_at } = await incrementThrottle(db, key, at);
    if (now - Date.parse(window_started_at) > policy.windowMs) {
      await restartThrottleWindow(db, key, at);
      failures = 1;
      window_started_at = at;
    }
    const n = Number(failures);
    if (n >= policy.lockoutAt) {
      if (n === policy.lockoutAt) emit('auth.locked', { scope });
      await blockThrottle(db, key, new Date(now + policy.lockoutMs).toISOString());
    } else if (n > policy.free) {
      const delay = Math.min(2 ** (n - policy.free) * 1000, MINUTE);
      await blockThrottle(db, key, new Date(now + delay).toISOString());
    }
  }
}

/** A success forgets the account's failures; the address keeps its count for its window. */
export async function recordSuccess(db: Executor, keys: ThrottleKey[]): Promise<void> {
  for (const k of keys) if (k.scope === 'account') await clearThrottle(db, k.key);
}
