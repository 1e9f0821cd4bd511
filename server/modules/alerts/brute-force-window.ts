import { BRUTE_FORCE_ACCOUNTS, BRUTE_FORCE_WINDOW_MS } from './alert-rules.js';

/**
 * Failed sign-ins per workspace over the last window, by account: one account guessed at is the
 * throttle's job; many accounts in a short time is someone trying a list. Per node, in memory.
 */
export class BruteForceWindow {
  private readonly failures = new Map<string, Map<string, number>>();

  /** Records a failure; true while the workspace is at or over the threshold (the throttle spaces alerts). */
  failed(workspaceId: string, accountId: string, now: number): boolean {
    const accounts = this.failures.get(workspaceId) ?? new Map<string, number>();
    this.failures.set(workspaceId, accounts);
    for (const [id, at] of accounts) if (now - at > BRUTE_FORCE_WINDOW_MS) accounts.delete(id);
    accounts.set(accountId, now);
    return accounts.size >= BRUTE_FORCE_ACCOUNTS;
  }
}
