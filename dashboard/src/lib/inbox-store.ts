import type { Conversation } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';
import { errorMessage } from '../api.js';
import type { Realtime } from './realtime.js';

/** The status tab the list shows (closed conversations are history, in the archive). */
export type InboxStatus = 'open' | 'pending' | 'snoozed' | 'resolved';

export interface InboxSnapshot {
  status: InboxStatus;
  items: Conversation[];
  loading: boolean;
  error: string | null;
  /** The last page was full, so older open conversations may exist. */
  hasMore: boolean;
  loadingMore: boolean;
}

type FetchPage = (status: InboxStatus, before?: string) => Promise<Conversation[]>;

const activity = (c: Conversation) => c.lastMessageAt ?? c.createdAt;
const newestFirst = (a: Conversation, b: Conversation) =>
  activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0;

/**
 * The conversations of one status tab (open by default): the first page over REST, then kept live by
 * `conversation.updated` and `conversation.status` (upsert, re-sort; one whose status changed leaves
 * the tab at once, as does one whose socket subscription ended because it was transferred away).
 * Read again each time the socket's inbox subscription takes hold (at the start and after a
 * reconnect): updates sent before it, while the first page loaded or the socket was down, were not
 * delivered, so one the fresh page no longer lists leaves too.
 */
export class InboxStore {
  private readonly byId = new Map<string, Conversation>();
  private readonly listeners = new Set<() => void>();
  /** When each conversation last changed live (a count of updates), so a reload keeps what overtook it. */
  private readonly liveAt = new Map<string, number>();
  private updates = 0;
  private snap: InboxSnapshot = {
    status: 'open',
    items: [],
    loading: true,
    error: null,
    hasMore: false,
    loadingMore: false,
  };

  constructor(
    rt: Realtime,
    private readonly fetchPage: FetchPage,
  ) {
    rt.onFrame((f) => {
      if (f.type === 'conversation.updated') {
        this.updates += 1;
        this.liveAt.set(f.conversation.id, this.updates);
        this.upsert([f.conversation]);
      } else if (f.type === 'conversation.status') {
        const known = this.byId.get(f.conversationId);
        if (known && known.status !== f.status) this.upsert([{ ...known, status: f.status }], true);
      } else if (f.type === 'unsubscribed' && f.reason === 'access_ended') this.remove(f.conversationId);
    });
    rt.onInboxSubscribed(() => void this.reload());
    rt.client.subscribeInbox();
    void this.reload();
  }

  get snapshot(): InboxSnapshot {
    return this.snap;
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  find(id: string): Conversation | undefined {
    return this.byId.get(id);
  }

  /** Shows another status tab: the list starts over with that status's first page. */
  setStatus(status: InboxStatus): void {
    if (status === this.snap.status) return;
    this.byId.clear();
    this.liveAt.clear();
    this.set({ status, items: [], loading: true, hasMore: false, error: null });
    void this.reload();
  }

  async reload(): Promise<void> {
    this.set({ loading: this.snap.items.length === 0, error: null });
    const status = this.snap.status;
    const since = this.updates;
    try {
      const page = await this.fetchPage(status);
      if (status !== this.snap.status) return;
      this.dropUnlisted(page, since);
      this.upsert(page);
      this.set({
        loading: false,
        hasMore: page.length >= LIMITS.listPageSize,
        items: [...this.byId.values()].sort(newestFirst),
      });
    } catch (e) {
      this.set({ loading: false, error: errorMessage(e) });
    }
  }

  async loadMore(): Promise<void> {
    const last = this.snap.items[this.snap.items.length - 1];
    if (!last || this.snap.loadingMore) return;
    this.set({ loadingMore: true, error: null });
    try {
      const status = this.snap.status;
      const page = await this.fetchPage(status, activity(last));
      if (status !== this.snap.status) return;
      this.upsert(page);
      this.set({ loadingMore: false, hasMore: page.length >= LIMITS.listPageSize });
    } catch (e) {
      this.set({ loadingMore: false, error: errorMessage(e) });
    }
  }

  /**
   * A conversation the list holds that the fresh first page leaves out, though it is recent enough to
   * be on it, left this tab or this agent's scope while no update could say so (taken from an operator
   * while her socket was down): it goes. One updated live since the read began is newer than the page.
   */
  private dropUnlisted(page: Conversation[], since: number): void {
    const listed = new Set(page.map((c) => c.id));
    const last = page[page.length - 1];
    const oldest = page.length >= LIMITS.listPageSize && last ? activity(last) : '';
    for (const [id, c] of this.byId)
      if (!listed.has(id) && activity(c) > oldest && (this.liveAt.get(id) ?? 0) <= since) this.forget(id);
  }

  private forget(id: string): boolean {
    this.liveAt.delete(id);
    return this.byId.delete(id);
  }

  private remove(id: string): void {
    if (this.forget(id)) this.set({ items: [...this.byId.values()].sort(newestFirst) });
  }

  private upsert(list: Conversation[], statusOnly = false): void {
    let changed = false;
    for (const c of list) {
      const known = this.byId.get(c.id);
      // A REST page can be older than a live update that overtook it: keep the newer state.
      if (!statusOnly && known && known.lastSeq > c.lastSeq) continue;
      if (c.status !== this.snap.status) {
        changed = this.forget(c.id) || changed;
        continue;
      }
      this.byId.set(c.id, c);
      changed = true;
    }
    if (changed) this.set({ items: [...this.byId.values()].sort(newestFirst) });
  }

  private set(patch: Partial<InboxSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }
}
