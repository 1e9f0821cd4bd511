import type { Redis } from 'ioredis';

export interface RefusalVerdict {
  blocked: boolean;
  /** Seconds until the address's window ends (when blocked). */
  retryAfterSeconds: number;
}

/**
 * Counts the refused answers (4xx) each client address caused, in fixed windows: once an address
 * has used its budget, every request from it is refused before any other work until the window
 * ends. Without it, a flood of malformed or unauthorized requests (each costing a parse, a session
 * lookup, a log line) slows every other client of the node. With Redis the count is shared by all
 * nodes; an address found over the budget is remembered locally until its window ends, so a flood
 * costs Redis nothing more.
 */
export interface RefusalBudget {
  check(address: string): Promise<RefusalVerdict>;
  count(address: string): Promise<void>;
}

const OPEN: RefusalVerdict = { blocked: false, retryAfterSeconds: 0 };

export function createRefusalBudget(options: {
  max: number;
  windowSeconds: number;
  redis: Redis | null;
  /** Redis key prefix: one deployment's nodes share it. */
  nameSpace: string;
  onError: (err: unknown) => void;
}): RefusalBudget {
  const windowMs = options.windowSeconds * 1000;
  /** Addresses over the budget, until when (this node's memory). */
  const blocked = new Map<string, number>();
  /** Without Redis: this node's counts. */
  const counts = new Map<string, { n: number; resetAt: number }>();

  const block = (address: string, until: number) => {
    if (blocked.size >= MAX_TRACKED) prune(blocked, (at) => at);
    blocked.set(address, until);
  };
  const verdict = (until: number | undefined): RefusalVerdict => {
    const now = Date.now();
    if (until === undefined || until <= now) return OPEN;
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
  };

  return {
    async check(address) {
      const local = blocked.get(address);
      if (local !== undefined && local <= Date.now()) blocked.delete(address);
      if (local !== undefined || !options.redis) return verdict(local);
      try {
        const key = options.nameSpace + address;
        const [[, n], [, ttl]] = (await options.redis.multi().get(key).pttl(key).exec()) as [
          [unknown, string | null],
          [unknown, number],
        ];
        if (Number(n) < options.max || ttl <= 0) return OPEN;
        block(address, Date.now() + ttl);
        return verdict(Date.now() + ttl);
      } catch (err) {
        // Redis away: let the request through, like the other limits (pub/sub is down too).
        options.onError(err);
        return OPEN;
      }
    },

    async count(address) {
      const now = Date.now();
      if (!options.redis) {
        let entry = counts.get(address);
        if (!entry || entry.resetAt <= now) {
          if (counts.size >= MAX_TRACKED) prune(counts, (e) => e.resetAt);
          entry = { n: 0, resetAt: now + windowMs };
          counts.set(address, entry);
        }
        entry.n += 1;
        if (entry.n >= options.max) block(address, entry.resetAt);
        return;
      }
      try {
        const key = options.nameSpace + address;
        const [[, n], , [, ttl]] = (await options.redis
          .multi()
          .incr(key)
          .pexpire(key, windowMs, 'NX')
          .pttl(key)
          .exec()) as [[unknown, number], [unknown, number], [unknown, number]];
        if (n >= options.max && ttl > 0) block(address, now + ttl);
      } catch (err) {
        options.onError(err);
      }
    },
  };
}

/** Entries kept per node; past it, the expired ones go first (a flood from many addresses is bounded). */
const MAX_TRACKED = 100_000;

function prune<V>(map: Map<string, V>, until: (value: V) => number): void {
  const now = Date.now();
  for (const [key, value] of map) if (until(value) <= now) map.delete(key);
  // Still full of live entries: forget the oldest half rather than grow without bound.
  if (map.size >= MAX_TRACKED) {
    let drop = Math.floor(map.size / 2);
    for (const key of map.keys()) {
      if (drop-- <= 0) break;
      map.delete(key);
    }
  }
}
