import type { ConversationCounts } from '../../../protocol/lifecycle.js';
import type { Realtime } from './realtime.js';

const EMPTY = { open: 0, pending: 0, snoozed: 0, resolved: 0 };
/** One object: useSyncExternalStore needs the same snapshot until something changed. */
const NONE: ConversationCounts = { mine: EMPTY, unassigned: EMPTY, all: EMPTY };
/** Updates come in bursts (a message updates its conversation once per node): one read per burst. */
const SETTLE_MS = 250;

/**
 * The inbox tabs' counts (Mine / Unassigned / All × status), from the server's one confined read.
 * Read again shortly after anything in the inbox changes, and each time the inbox subscription takes
 * hold (a change made before it, even while the page loaded, sent its update to no one here).
 */
export class CountsStore {
  private counts: ConversationCounts | null = null;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    rt: Realtime,
    private readonly fetchCounts: () => Promise<ConversationCounts>,
  ) {
    rt.onFrame((f) => {
      if (f.type === 'conversation.updated' || f.type === 'conversation.status') this.refresh();
      else if (f.type === 'unsubscribed' && f.reason === 'access_ended') this.refresh();
    });
    rt.onInboxSubscribed(() => this.refresh());
    void this.load();
  }

  get snapshot(): ConversationCounts {
    return this.counts ?? NONE;
  }

  get loaded(): boolean {
    return this.counts !== null;
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the counts again soon (a status change the agent made, or a live update). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), SETTLE_MS);
  }

  private async load(): Promise<void> {
    try {
      this.counts = await this.fetchCounts();
      for (const l of this.listeners) l();
    } catch {
      // The tabs keep their last counts; the next update or reconnect reads them again.
    }
  }
}
