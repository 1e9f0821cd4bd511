import { randomBytes } from 'node:crypto';
import type { AlertsConfig } from '../../config-operations.js';
import type { Refusal, RefusalKind } from '../../platform/http/refusal-events.js';
import type { SharedCounters } from '../../platform/pubsub/shared-counters.js';
import type { AlertRule } from './alert-rules.js';
import type { AlertFacts } from './security-alerts.js';

export const REFUSAL_RULES: Readonly<Record<RefusalKind, AlertRule>> = {
  origin: 'refused_origins',
  ticket: 'refused_tickets',
  address: 'refused_addresses',
};

/** Addresses and origins an alert names: the most frequent, enough to act on, not a log. */
const NAMED_ADDRESSES = 5;
const NAMED_ORIGINS = 3;

/**
 * Refusals of each kind over the sliding window (PARLEY_ALERT_REFUSAL_WINDOW_MINUTES), counted by
 * every node together when Redis is configured. A refusal comes before anything vouches for a
 * workspace (the workspace in a path or behind a ticket is only the caller's claim), so these are
 * counted for the whole deployment. Each refusal is kept as `address|origin` under a unique id, so
 * an alert can name the addresses behind a burst; a ticket itself is never kept.
 */
export class RefusalWindow {
  private seq = 0;
  private readonly node = randomBytes(4).toString('hex');

  constructor(
    private readonly counters: SharedCounters,
    private readonly config: Pick<AlertsConfig, 'refusalThresholds' | 'refusalWindowMs'>,
  ) {}

  /** Records a refusal; true while its kind is at or over the threshold (the throttle spaces alerts). */
  async refused(refusal: Refusal, now: number): Promise<boolean> {
    this.seq = (this.seq + 1) % 1_000_000_000;
    const member = `${this.node}.${now}.${this.seq}|${refusal.address}|${refusal.origin ?? ''}`;
    const n = await this.counters.addToWindow(
      `refused:${refusal.kind}`,
      member,
      now,
      this.config.refusalWindowMs,
    );
    return n >= this.config.refusalThresholds[refusal.kind];
  }

  /** What the alert says: how many, over which window, from which addresses (and origins). */
  async facts(kind: RefusalKind, now: number): Promise<AlertFacts> {
    const members = await this.counters.windowMembers(`refused:${kind}`, now, this.config.refusalWindowMs);
    const addresses = new Map<string, number>();
    const origins = new Map<string, number>();
    for (const m of members) {
      const [, address = '', origin = ''] = m.split('|');
      if (address) addresses.set(address, (addresses.get(address) ?? 0) + 1);
      if (origin) origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
    const facts: AlertFacts = {
      refusals: members.length,
      windowMinutes: Math.round(this.config.refusalWindowMs / 60_000),
      distinctAddresses: addresses.size,
      addresses: mostFrequent(addresses, NAMED_ADDRESSES),
    };
    if (kind === 'origin' && origins.size > 0) facts.origins = mostFrequent(origins, NAMED_ORIGINS);
    return facts;
  }
}

function mostFrequent(counts: Map<string, number>, n: number): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([value, count]) => `${value} (${count})`)
    .join(', ');
}
