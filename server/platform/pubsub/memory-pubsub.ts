import { type Handler, HandlerRegistry, type PubSub } from './pubsub.js';

/** In-process pub/sub for the single-node default. */
export function createMemoryPubSub(onError: (err: unknown) => void = () => {}): PubSub {
  const registry = new HandlerRegistry();
  return {
    async publish(channel, payload) {
      registry.dispatch(channel, payload, onError);
    },
    async subscribe(channel: string, handler: Handler) {
      registry.add(channel, handler);
      return async () => {
        registry.remove(channel, handler);
      };
    },
    async close() {},
    listening: (channel) => registry.has(channel),
    async ping() {},
  };
}
