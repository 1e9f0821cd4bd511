/**
 * Fan-out between nodes. Payloads are strings (serialized once by the publisher). Delivery is
 * best-effort and at-most-once: correctness never depends on it, because subscribers detect a gap
 * in `seq` and read the missing messages from the database.
 */
export type Handler = (payload: string) => void;

export interface PubSub {
  publish(channel: string, payload: string): Promise<void>;
  /** Resolves once the subscription is active, so nothing published afterwards is missed. */
  subscribe(channel: string, handler: Handler): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * Whether anything listens on the channel on any node: false lets a publisher skip building the
   * payload. In process this is a lookup; with Redis one round trip (PUBSUB NUMSUB), still far
   * cheaper than the database read and sealing work it can save.
   */
  listening(channel: string): boolean | Promise<boolean>;
  /** Resolves when the pub/sub server answers on every connection (readiness, /readyz). */
  ping(): Promise<void>;
}

/** Local handler bookkeeping shared by both implementations. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, Set<Handler>>();

  /** Returns true when this is the channel's first handler. */
  add(channel: string, handler: Handler): boolean {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    return first;
  }

  /** Returns true when the channel has no handlers left. */
  remove(channel: string, handler: Handler): boolean {
    const set = this.handlers.get(channel);
    if (!set) return false;
    set.delete(handler);
    if (set.size > 0) return false;
    this.handlers.delete(channel);
    return true;
  }

  has(channel: string): boolean {
    return this.handlers.has(channel);
  }

  dispatch(channel: string, payload: string, onError: (err: unknown) => void): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const h of set) {
      try {
        h(payload);
      } catch (err) {
        onError(err);
      }
    }
  }
}
