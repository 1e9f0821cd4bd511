import type { SharedCounters } from '../../platform/pubsub/shared-counters.js';
import { BRUTE_FORCE_ACCOUNTS, BRUTE_FORCE_WINDOW_MS } from './alert-rules.js';

/**
 * Failed sign-ins per workspace over the last window, by account: one account guessed at is the
 * throttle's job; many accounts in a short time is someone trying a list. Counted by every node
 * together when Redis is configured (an attack spread over the nodes counts once), per node without.
 */
export class BruteForceWindow {
  constructor(private readonly counters: SharedCounters) {}

  /** Records a failure; true while the workspace is at or over the threshold (the throttle spaces alerts). */
  async failed(workspaceId: string, accountId: string, now: number): Promise<boolean> {
    const accounts = await this.counters.addToWindow(
      `brute-force:${workspaceId}`,
      accountId,
      now,
      BRUTE_FORCE_WINDOW_MS,
    );
    return accounts >= BRUTE_FORCE_ACCOUNTS;
  }
}
