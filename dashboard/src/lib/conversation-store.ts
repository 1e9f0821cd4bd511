import type { Attachment } from '../../../protocol/attachments.js';
import type { Message } from '../../../protocol/common.js';
import { isRetriedSend } from '../../../protocol/realtime-client.js';
import type { ServerFrame } from '../../../protocol/ws.js';
import { errorMessage } from '../api.js';
import { insertMessage, missingSeqs } from './message-order.js';
import type { Realtime } from './realtime.js';
import { TypingTracker, type Typist } from './typing-tracker.js';

export type { Typist };

export interface PendingMessage {
  clientId: string;
  body: string;
  /** Files the message carries (uploaded already; the message names them). */
  attachments?: Attachment[];
  status: 'sending' | 'failed';
  error?: string;
}

export interface ConversationSnapshot {
  messages: Message[];
  /** The server has replayed the history (the `subscribed` frame arrived). */
  ready: boolean;
  pending: PendingMessage[];
  typing: Typist[];
  backfillError: string | null;
  /** The server ended the subscription: the conversation left this agent's scope (transferred). */
  accessEnded: boolean;
}

interface Entry {
  snap: ConversationSnapshot;
  listeners: Set<() => void>;
  /** Seqs at or below the floor are known to be gone (retention) and are not looked for again. */
  floor: number;
  filling: boolean;
}

const MAX_KEPT = 30;
const EMPTY: ConversationSnapshot = {
  messages: [],
  ready: false,
  pending: [],
  typing: [],
  backfillError: null,
  accessEnded: false,
};

type FetchAfter = (conversationId: string, afterSeq: number) => Promise<Message[]>;

/**
 * Messages of the conversations an agent has opened, kept while they stay subscribed. Conversations
 * are not unsubscribed on every switch (only the least recently opened beyond MAX_KEPT), so switching
 * back is instant and cannot race a replay. A hole in the seqs is filled over REST.
 */
export class ConversationStore {
  private readonly entries = new Map<string, Entry>();
  private readonly typing = new TypingTracker((id, typing) => this.update(id, (s) => ({ ...s, typing })));

  constructor(
    private readonly rt: Realtime,
    private readonly fetchAfter: FetchAfter,
  ) {
    rt.onMessage((m) => this.onMessage(m));
    rt.onFrame((f) => this.onFrame(f));
  }

  open(id: string): void {
    const existing = this.entries.get(id);
    if (existing) {
      this.entries.delete(id);
      this.entries.set(id, existing);
      return;
    }
    const entry: Entry = { snap: EMPTY, listeners: new Set(), floor: 0, filling: false };
    this.entries.set(id, entry);
    this.rt.client.subscribe(id, 0);
    this.evict();
  }

  get(id: string): ConversationSnapshot {
    return this.entries.get(id)?.snap ?? EMPTY;
  }

  listen(id: string, listener: () => void): () => void {
    this.open(id);
    const entry = this.entries.get(id) as Entry;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  send(id: string, body: string, attachments: Attachment[] = []): void {
    const clientId = this.rt.client.send(id, body, undefined, undefined, idsOf(attachments));
    const files = attachments.length ? { attachments } : {};
    this.update(id, (s) => ({
      ...s,
      pending: [...s.pending, { clientId, body, status: 'sending', ...files }],
    }));
  }

  retry(id: string, clientId: string): void {
    const p = this.get(id).pending.find((x) => x.clientId === clientId);
    if (!p) return;
    this.setPending(id, clientId, { status: 'sending', error: undefined });
    this.rt.client.send(id, p.body, clientId, undefined, idsOf(p.attachments ?? []));
  }

  discard(id: string, clientId: string): void {
    this.update(id, (s) => ({ ...s, pending: s.pending.filter((x) => x.clientId !== clientId) }));
  }

  private onMessage(m: Message): void {
    const entry = this.entries.get(m.conversationId);
    if (!entry) return;
    this.typing.stop(m.conversationId, m.author.id);
    this.update(m.conversationId, (s) => ({
      ...s,
      messages: insertMessage(s.messages, m),
      pending: s.pending.some((p) => p.clientId === m.clientId)
        ? s.pending.filter((p) => p.clientId !== m.clientId)
        : s.pending,
    }));
    if (entry.snap.ready) void this.fillGaps(m.conversationId);
  }

  private onFrame(f: ServerFrame): void {
    if (f.type === 'subscribed') {
      if (!this.entries.has(f.conversationId)) return;
      this.update(f.conversationId, (s) => (s.ready ? s : { ...s, ready: true }));
      void this.fillGaps(f.conversationId);
    } else if (f.type === 'unsubscribed' && f.reason === 'access_ended') {
      // Transferred or reassigned: nothing more arrives, and a reply would be refused.
      this.update(f.conversationId, (s) => ({ ...s, accessEnded: true, typing: [] }));
    } else if (f.type === 'typing') {
      if (!this.entries.has(f.conversationId)) return;
      if (f.state === 'start') this.typing.start(f.conversationId, { id: f.author.id, name: f.author.name });
      else this.typing.stop(f.conversationId, f.author.id);
    } else if (f.type === 'error' && f.clientId) {
      // "Not now" refusals are sent again by the client itself; anything else was not stored.
      if (isRetriedSend(f.code)) return;
      for (const [id, entry] of this.entries) {
        if (entry.snap.pending.some((p) => p.clientId === f.clientId)) {
          this.setPending(id, f.clientId, { status: 'failed', error: f.message });
        }
      }
    }
  }

  private async fillGaps(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.filling) return;
    entry.filling = true;
    try {
      for (let round = 0; round < 20; round += 1) {
        const missing = missingSeqs(entry.snap.messages, entry.floor);
        if (missing === null) break;
        const items = await this.fetchAfter(id, missing - 1);
        if (!this.entries.has(id)) return;
        if (!items.some((m) => m.seq === missing)) {
          // Deleted by retention: nothing older than what the server still has will come back.
          const next = items[0]?.seq ?? entry.snap.messages.find((m) => m.seq > missing)?.seq ?? missing + 1;
          entry.floor = next - 1;
        }
        this.update(id, (s) => ({
          ...s,
          messages: items.reduce(insertMessage, s.messages),
          backfillError: null,
        }));
      }
    } catch (e) {
      this.update(id, (s) => ({ ...s, backfillError: errorMessage(e) }));
    } finally {
      entry.filling = false;
    }
  }

  private setPending(id: string, clientId: string, patch: Partial<PendingMessage>): void {
    this.update(id, (s) => ({
      ...s,
      pending: s.pending.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p)),
    }));
  }

  private update(id: string, fn: (s: ConversationSnapshot) => ConversationSnapshot): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const next = fn(entry.snap);
    if (next === entry.snap) return;
    entry.snap = next;
    for (const l of entry.listeners) l();
  }

  private evict(): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= MAX_KEPT) return;
      if (entry.listeners.size > 0 || entry.snap.pending.length > 0) continue;
      this.typing.forget(id);
      this.entries.delete(id);
      this.rt.client.unsubscribe(id);
    }
  }
}

const idsOf = (attachments: Attachment[]) => (attachments.length ? attachments.map((a) => a.id) : undefined);
