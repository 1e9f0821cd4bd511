import type { Conversation } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';
import { errorMessage } from '../api.js';
import type { Realtime } from './realtime.js';

export interface InboxSnapshot {
  items: Conversation[];
  loading: boolean;
  error: string | null;
  /** The last page was full, so older open conversations may exist. */
  hasMore: boolean;
  loadingMore: boolean;
}

type FetchPage = (before?: string) => Promise<Conversation[]>;

const activity = (c: Conversation) => c.lastMessageAt ?? c.createdAt;
const newestFirst = (a: Conversation, b: Conversation) =>
  activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0;

/**
 * The open conversations of the workspace: the first page over REST, then kept live by
 * `conversation.updated` (upsert, re-sort; closed ones leave the list). Refetched after a reconnect,
 * because updates sent while the socket was down are not replayed.
 */
export class InboxStore {
  private readonly byId = new Map<string, Conversation>();
  private readonly listeners = new Set<() => void>();
  private snap: InboxSnapshot = { items: [], loading: true, error: null, hasMore: false, loadingMore: false };
  private wasDown = false;

  constructor(
    rt: Realtime,
    private readonly fetchPage: FetchPage,
  ) {
    rt.onFrame((f) => {
      if (f.type === 'conversation.updated') this.upsert([f.conversation]);
    });
    rt.onStateChange(() => {
      const { connection, everOpened } = rt.state;
      if (connection !== 'open' && everOpened) this.wasDown = true;
      if (connection === 'open' && this.wasDown) {
        this.wasDown = false;
        void this.reload();
      }
    });
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

  async reload(): Promise<void> {
    this.set({ loading: this.snap.items.length === 0, error: null });
    try {
      const page = await this.fetchPage();
      this.upsert(page);
      this.set({ loading: false, hasMore: page.length >= LIMITS.listPageSize });
    } catch (e) {
      this.set({ loading: false, error: errorMessage(e) });
    }
  }

  async loadMore(): Promise<void> {
    const last = this.snap.items[this.snap.items.length - 1];
    if (!last || this.snap.loadingMore) return;
    this.set({ loadingMore: true, error: null });
    try {
      const page = await this.fetchPage(activity(last));
      this.upsert(page);
      this.set({ loadingMore: false, hasMore: page.length >= LIMITS.listPageSize });
    } catch (e) {
      this.set({ loadingMore: false, error: errorMessage(e) });
    }
  }

  private upsert(list: Conversation[]): void {
    let changed = false;
    for (const c of list) {
      const known = this.byId.get(c.id);
      // A REST page can be older than a live update that overtook it: keep the newer state.
      if (known && known.lastSeq > c.lastSeq) continue;
      if (c.status !== 'open') {
        changed = this.byId.delete(c.id) || changed;
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
