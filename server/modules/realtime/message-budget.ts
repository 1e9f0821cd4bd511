import { AppError } from '../../errors.js';
import { BUDGETS, type Budget } from '../../platform/http/rate-limits.js';
import { emit } from '../../platform/metrics/signals.js';
import type { SocketPrincipal } from './handshake.js';
import { TokenBucket } from './rate-limiter.js';

/**
 * How many messages one principal (an agent session, a visitor) may send through all its sockets on
 * this node together. The per-socket frame budget alone lets the total grow with the number of
 * sockets: a hundred sockets of one session could store thousands of messages a second. A refused
 * message is not stored; the client sends it again later with the same client id.
 */
export class MessageBudget {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly rate: number;

  constructor(private readonly settings: { max: number; windowSeconds: number }) {
    this.rate = settings.max / settings.windowSeconds;
  }

  /** The documented default (`messages` in BUDGETS), until the configured one is set. */
  static withDefaults(): MessageBudget {
    return new MessageBudget(BUDGETS.find((b) => b.name === 'messages') as Budget);
  }

  /** Takes one message from the principal's budget, or throws `rate_limited`. */
  spend(principal: SocketPrincipal): void {
    const key = principal.kind === 'agent' ? `s:${principal.agent.sessionId}` : `v:${principal.visitorId}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_PRINCIPALS) this.forgetIdle();
      bucket = new TokenBucket(this.rate, this.settings.max);
      this.buckets.set(key, bucket);
    }
    if (bucket.take()) return;
    const wait = Math.max(1, Math.ceil(1 / this.rate));
    emit('limit.refused', { limit: 'messages' });
    throw new AppError('rate_limited', {
      details: [`too many messages at once: send this one again in ${wait} s with the same clientId`],
      retryAfterSeconds: wait,
    });
  }

  /** Principals whose budget is full again have nothing to remember. */
  private forgetIdle(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }
}

const MAX_PRINCIPALS = 10_000;
