import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasRedis, REDIS_URL } from '../../../test/support/services.js';
import { createMemoryPubSub } from './memory-pubsub.js';
import type { PubSub } from './pubsub.js';
import { createRedisPubSub } from './redis-pubsub.js';

const kinds: Array<[string, () => Promise<PubSub[]>]> = [
  [
    'in process',
    async () => {
      const one = createMemoryPubSub();
      return [one, one];
    },
  ],
];
if (hasRedis)
  kinds.push([
    'Redis',
    async () => Promise.all([createRedisPubSub(REDIS_URL), createRedisPubSub(REDIS_URL)]),
  ]);

/** Publishers skip building payloads nobody would receive, so "nobody listens" must be exact. */
describe.each(kinds)('pub/sub %s', (_, open) => {
  it('delivers to every subscriber and says whether a channel has one, on any node', async () => {
    const [a, b] = (await open()) as [PubSub, PubSub];
    const channel = `test:${randomUUID()}`;
    try {
      expect(await a.listening(channel)).toBe(false);
      const got: string[] = [];
      const unsubscribe = await b.subscribe(channel, (payload) => got.push(payload));
      expect(await a.listening(channel)).toBe(true);
      await a.publish(channel, 'hello');
      await expect.poll(() => got).toEqual(['hello']);
      await unsubscribe();
      await expect.poll(() => a.listening(channel)).toBe(false);
    } finally {
      await a.close();
      if (b !== a) await b.close();
    }
  });
});
