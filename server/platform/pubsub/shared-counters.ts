import { Redis } from 'ioredis';

/**
 * Counting that several nodes must do together: sliding windows (how many distinct things happened
 * lately), a throttle (at most one pass per period) and token buckets (a burst, then a steady rate). With Redis every node of the deployment
 * counts in the same place; without it each node counts alone, in memory. When Redis does not
 * answer, the node counts alone until it does: a Redis outage never stops the counting.
 */
export interface SharedCounters {
  /**
   * Adds `member` at `now` to the window under `key` (adding it again moves it to `now`) and answers
   * how many members the last `windowMs` hold. At most WINDOW_CAP members are kept, newest first.
   */
  addToWindow(key: string, member: string, now: number, windowMs: number): Promise<number>;
  /** The members of the last `windowMs`, oldest first. */
  windowMembers(key: string, now: number, windowMs: number): Promise<string[]>;
  /**
   * At most one pass per `periodMs` and key: admitted, with how many were held back since the last
   * pass; or held back (and counted for the next pass).
   */
  admit(key: string, now: number, periodMs: number): Promise<{ admitted: boolean; heldBack: number }>;
  /**
   * Takes one token from the bucket under `key`, which holds at most `burst` and refills at
   * `perSecond`: whether there was one. A refusal takes nothing, so waiting is always enough.
   */
  take(key: string, now: number, perSecond: number, burst: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Members a window keeps: a flood is counted up to here, which is far past any threshold. */
export const WINDOW_CAP = 10_000;
/** Keys kept per node in memory; past it the oldest go (a flood of keys stays bounded). */
const MAX_KEYS = 10_000;
/** How long a count of held-back passes waits for the next pass before it is forgotten. */
const HELD_KEPT_MS = 7 * 86_400_000;

export function createMemoryCounters(): SharedCounters {
  const windows = new Map<string, Map<string, number>>();
  const gates = new Map<string, { until: number; held: number }>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const bound = <V>(map: Map<string, V>) => {
    if (map.size < MAX_KEYS) return;
    for (const key of map.keys()) {
      map.delete(key);
      if (map.size < MAX_KEYS / 2) break;
    }
  };
  const trim = (members: Map<string, number>, now: number, windowMs: number) => {
    for (const [m, at] of members) if (now - at > windowMs) members.delete(m);
  };
  return {
    async addToWindow(key, member, now, windowMs) {
      let members = windows.get(key);
      if (!members) {
        bound(windows);
        members = new Map();
        windows.set(key, members);
      }
      trim(members, now, windowMs);
      members.delete(member);
      members.set(member, now);
      if (members.size > WINDOW_CAP) members.delete(members.keys().next().value as string);
      return members.size;
    },
    async windowMembers(key, now, windowMs) {
      const members = windows.get(key);
      if (!members) return [];
      trim(members, now, windowMs);
      return [...members.keys()];
    },
    async admit(key, now, periodMs) {
      const gate = gates.get(key);
      if (gate && now < gate.until) {
        gate.held += 1;
        return { admitted: false, heldBack: gate.held };
      }
      bound(gates);
      gates.set(key, { until: now + periodMs, held: 0 });
      return { admitted: true, heldBack: gate?.held ?? 0 };
    },
    async take(key, now, perSecond, burst) {
      let bucket = buckets.get(key);
      if (!bucket) {
        bound(buckets);
        bucket = { tokens: burst, at: now };
        buckets.set(key, bucket);
      }
      if (now > bucket.at) {
        bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
        bucket.at = now;
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    async close() {},
  };
}

// One round trip, atomic: the gate and the held-back count move together on every node.
const ADMIT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  local held = redis.call('GET', KEYS[2]) or '0'
  redis.call('DEL', KEYS[2])
  return {1, tonumber(held)}
end
local n = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {0, n}`;

// One round trip, atomic: every node takes from the same bucket. A clock behind the bucket's refills nothing.
const TAKE = `
local now = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return ok`;

export async function createRedisCounters(options: {
  url: string;
  /** Key prefix: the nodes of one deployment share it. */
  nameSpace: string;
  onError: (err: unknown) => void;
}): Promise<SharedCounters> {
  // No offline queue: while Redis is away a count fails at once and the node counts alone.
  const redis = new Redis(options.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', options.onError);
  await redis.connect();
  const local = createMemoryCounters();
  const k = (key: string) => options.nameSpace + key;
  const orLocal = async <T>(shared: () => Promise<T>, alone: () => Promise<T>): Promise<T> => {
    try {
      return await shared();
    } catch (err) {
      options.onError(err);
      return alone();
    }
  };
  return {
    addToWindow: (key, member, now, windowMs) =>
      orLocal(
        async () => {
          const results = (await redis
            .multi()
            .zadd(k(key), now, member)
            .zremrangebyscore(k(key), '-inf', now - windowMs)
            .zremrangebyrank(k(key), 0, -(WINDOW_CAP + 1))
            .zcard(k(key))
            .pexpire(k(key), windowMs)
            .exec()) as [Error | null, unknown][];
          const failed = results.find(([e]) => e);
          if (failed) throw failed[0];
          return Number(results[3]?.[1]);
        },
        () => local.addToWindow(key, member, now, windowMs),
      ),
    windowMembers: (key, now, windowMs) =>
      orLocal(
        () => redis.zrangebyscore(k(key), now - windowMs, '+inf'),
        () => local.windowMembers(key, now, windowMs),
      ),
    admit: (key, now, periodMs) =>
      orLocal(
        async () => {
          const [admitted, n] = (await redis.eval(
            ADMIT,
            2,
            k(`${key}:gate`),
            k(`${key}:held`),
            String(now),
            String(periodMs),
            String(HELD_KEPT_MS),
          )) as [number, number];
          return { admitted: admitted === 1, heldBack: Number(n) };
        },
        () => local.admit(key, now, periodMs),
      ),
    take: (key, now, perSecond, burst) =>
      orLocal(
        async () => {
          // Kept until it would be full again anyway: an idle principal's bucket costs nothing.
          const fullAfterMs = Math.ceil((burst / perSecond) * 1000);
          const ok = (await redis.eval(
            TAKE,
            1,
            k(`${key}:bucket`),
            String(now),
            String(perSecond / 1000),
            String(burst),
            String(fullAfterMs),
          )) as number;
          return ok === 1;
        },
        () => local.take(key, now, perSecond, burst),
      ),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
