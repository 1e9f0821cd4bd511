import { Redis } from 'ioredis';
import { type Handler, HandlerRegistry, type PubSub } from './pubsub.js';

/** Redis pub/sub for several nodes: one connection publishes, one subscribes. */
export async function createRedisPubSub(
  url: string,
  onError: (err: unknown) => void = () => {},
): Promise<PubSub> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true };
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  pub.on('error', onError);
  sub.on('error', onError);
  await Promise.all([pub.connect(), sub.connect()]);
  const registry = new HandlerRegistry();
  // A second subscriber to a channel must also wait until Redis confirmed the first SUBSCRIBE.
  const ready = new Map<string, Promise<unknown>>();
  sub.on('message', (channel: string, payload: string) => registry.dispatch(channel, payload, onError));
  return {
    async publish(channel, payload) {
      await pub.publish(channel, payload);
    },
    async subscribe(channel: string, handler: Handler) {
      if (registry.add(channel, handler)) ready.set(channel, sub.subscribe(channel));
      await ready.get(channel);
      return async () => {
        if (registry.remove(channel, handler)) {
          ready.delete(channel);
          await sub.unsubscribe(channel).catch(onError);
        }
      };
    },
    async listening(channel) {
      const answer = (await pub.pubsub('NUMSUB', channel)) as [string, number | string];
      return Number(answer[1]) > 0;
    },
    async ping() {
      await Promise.all([pub.ping(), sub.ping()]);
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
