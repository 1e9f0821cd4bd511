/**
 * Which seq of each conversation this agent has seen, so the inbox can mark conversations that moved
 * since they were last opened. Kept in this browser's localStorage, per user; a missing entry means
 * "never opened".
 */
const MAX_ENTRIES = 500;

export class SeenStore {
  private seen: Record<string, number>;
  private readonly listeners = new Set<() => void>();
  private readonly key: string;

  constructor(userId: string) {
    this.key = `parley.seen.v1.${userId}`;
    this.seen = this.read();
  }

  get snapshot(): Readonly<Record<string, number>> {
    return this.seen;
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isUnread(conversationId: string, lastSeq: number): boolean {
    return lastSeq > (this.seen[conversationId] ?? 0);
  }

  markSeen(conversationId: string, seq: number): void {
    if ((this.seen[conversationId] ?? -1) >= seq) return;
    const next = { ...this.seen };
    delete next[conversationId];
    next[conversationId] = seq;
    const ids = Object.keys(next);
    // Oldest entries first (insertion order): drop them once the map grows too large.
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_ENTRIES))) delete next[id];
    this.seen = next;
    try {
      window.localStorage.setItem(this.key, JSON.stringify(next));
    } catch {
      // Storage full or disabled: unread marks then last for this tab only.
    }
    for (const l of this.listeners) l();
  }

  private read(): Record<string, number> {
    try {
      const raw = window.localStorage.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      if (!parsed || typeof parsed !== 'object') return {};
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') out[k] = v;
      return out;
    } catch {
      return {};
    }
  }
}
