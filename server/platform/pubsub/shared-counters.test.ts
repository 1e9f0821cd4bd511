import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedis, REDIS_URL } from '../../../test/support/services.js';
import { createMemoryCounters, createRedisCounters, type SharedCounters } from './shared-counters.js';

const opened: SharedCounters[] = [];
const stores: [string, () => Promise<SharedCounters>][] = [
  ['memory', async () => createMemoryCounters()],
  ...(hasRedis
    ? ([
        [
          'redis',
          async () => {
            const c = await createRedisCounters({
              url: REDIS_URL,
              nameSpace: `parley:test:${randomUUID()}:`,
              onError: (err) => {
                throw err;
              },
            });
            opened.push(c);
            return c;
          },
        ],
      ] as [string, () => Promise<SharedCounters>][])
    : []),
];

afterAll(async () => {
  for (const c of opened) await c.close();
});

/** The token bucket the call token budget takes from, in memory and in Redis alike. */
describe.each(stores)('token buckets (%s)', (_name, open) => {
  const T0 = 1_800_000_000_000;

  it('gives a burst, then one token per refill period; a refusal takes nothing', async () => {
    const c = await open();
    const take = (at: number) => c.take('bucket', T0 + at, 0.1, 5);
    const burst = [];
    for (let i = 0; i < 6; i += 1) burst.push(await take(0));
    expect(burst).toEqual([true, true, true, true, true, false]);
    // Asking again and again does not push the next token further away.
    expect(await take(5_000)).toBe(false);
    expect(await take(9_999)).toBe(false);
    expect(await take(10_000)).toBe(true);
    expect(await take(10_001)).toBe(false);
    // Idle long enough, the bucket is full again, and holds no more than its burst.
    const later = [];
    for (let i = 0; i < 6; i += 1) later.push(await take(10_000_000));
    expect(later).toEqual([true, true, true, true, true, false]);
  });

  it('keeps keys apart, and a clock behind the bucket refills nothing', async () => {
    const c = await open();
    for (let i = 0; i < 5; i += 1) expect(await c.take('one', T0, 0.1, 5)).toBe(true);
    expect(await c.take('one', T0, 0.1, 5)).toBe(false);
    expect(await c.take('two', T0, 0.1, 5)).toBe(true);
    expect(await c.take('one', T0 - 60_000, 0.1, 5)).toBe(false);
  });
});
