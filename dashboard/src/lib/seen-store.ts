import type { ReadState } from '../../../protocol/receipts.js';
import type { ReadCursor } from '../../../protocol/ws.js';
import type { Realtime } from './realtime.js';

/**
 * How far this agent has read each conversation, as the server holds it (a read cursor per agent
 * per conversation): the same on every device. Loaded over REST, kept live by the agent's own
 * `receipt` frames (a read on another device, or their own message), and moved by `markSeen`, which
 * tells the server. Unread = `lastSeq - snapshot[id]` (0 when never read).
 */
export class SeenStore {
  private seen: Record<string, number> = {};
  /** How far the visitor of each followed conversation got: "Delivered" and "Seen" under replies. */
  private visitors: Record<string, ReadCursor> = {};
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly rt: Realtime,
    userId: string,
    private readonly fetchState: () => Promise<ReadState>,
  ) {
    rt.onFrame((f) => {
      if (f.type === 'receipt' && f.reader.kind === 'agent' && f.reader.id === userId)
        this.merge({ [f.conversationId]: f.readSeq });
      if (f.type === 'receipt' && f.reader.kind === 'visitor') this.mergeVisitor(f.conversationId, f);
      if (f.type === 'subscribed' && f.cursors) {
        this.merge({ [f.conversationId]: f.cursors.mine.readSeq });
        this.mergeVisitor(f.conversationId, f.cursors.theirs);
      }
    });
    // The agent's reads on other devices come with the inbox subscription: read again once it holds.
    rt.onInboxSubscribed(() => void this.reload());
    void this.reload();
  }

  get snapshot(): Readonly<Record<string, number>> {
    return this.seen;
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  visitorRead(conversationId: string): ReadCursor | undefined {
    return this.visitors[conversationId];
  }

  isUnread(conversationId: string, lastSeq: number): boolean {
    return lastSeq > (this.seen[conversationId] ?? 0);
  }

  /** The agent saw the conversation up to `seq`: shown at once, and stored for their other devices. */
  markSeen(conversationId: string, seq: number): void {
    this.rt.client.receipt(conversationId, 'read', seq);
    this.merge({ [conversationId]: seq });
  }

  async reload(): Promise<void> {
    try {
      const state = await this.fetchState();
      this.merge(Object.fromEntries(state.items.map((i) => [i.conversationId, i.readSeq])));
    } catch {
      // Offline or signed out: the counts catch up on the next reconnect.
    }
  }

  private mergeVisitor(conversationId: string, cursor: ReadCursor): void {
    const known = this.visitors[conversationId];
    const next = {
      deliveredSeq: Math.max(known?.deliveredSeq ?? 0, cursor.deliveredSeq),
      readSeq: Math.max(known?.readSeq ?? 0, cursor.readSeq),
    };
    if (known && known.deliveredSeq === next.deliveredSeq && known.readSeq === next.readSeq) return;
    this.visitors = { ...this.visitors, [conversationId]: next };
    for (const l of this.listeners) l();
  }

  private merge(cursors: Record<string, number>): void {
    let next: Record<string, number> | null = null;
    for (const [id, seq] of Object.entries(cursors)) {
      if ((this.seen[id] ?? 0) >= seq) continue;
      next ??= { ...this.seen };
      next[id] = seq;
    }
    if (!next) return;
    this.seen = next;
    for (const l of this.listeners) l();
  }
}
