import type { Message } from './common.js';
import type { ErrorCode } from './errors.js';
import type { ActionRef } from './structured.js';
import type { ClientFrame, Principal, ServerFrame } from './ws.js';
import { CLOSE } from './ws-close-codes.js';

/**
 * A Parley realtime client, shared by the widget, the dashboard and the tests.
 * It keeps, per subscribed conversation, the last seq it has delivered; on reconnect it resubscribes
 * with that seq (the server replays the gap) and resends every message not yet acked with its original
 * client id (the server answers a resend with the original ack and stores it once). Messages are
 * delivered to `onMessage` exactly once and in seq order.
 */

interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface RealtimeClientOptions {
  /** The socket's address; a function is asked again before every attempt (several nodes to try). */
  url: string | (() => string);
  /** Called before every connection attempt: returns the sub-protocols to offer (and a fresh ticket). */
  protocols: () => Promise<string[]>;
  createSocket?: SocketFactory;
  onMessage?: (message: Message) => void;
  onAck?: (ack: Extract<ServerFrame, { type: 'message.ack' }>) => void;
  onFrame?: (frame: ServerFrame) => void;
  onState?: (state: ConnectionState, detail?: { code?: number; reason?: string }) => void;
  onError?: (code: ErrorCode, message: string, rid?: string) => void;
  /** Return false to stop reconnecting (for example after the credential was refused). */
  shouldReconnect?: (closeCode: number) => boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

const OPEN = 1;
/** After a 1012 close, clients reconnect within this. */
const RESTART_SPREAD_MS = 1_000;

/**
 * Refusals of a `message.send` that say "not now" rather than "not this": too many messages, or the
 * server's storage away or failing. The same message with the same client id is safe to send again:
 * if it had been stored after all, the answer is its original ack (`duplicate: true`).
 */
export function isRetriedSend(code: ErrorCode): boolean {
  return code === 'rate_limited' || code === 'service_unavailable' || code === 'internal_error';
}

export function newClientId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class RealtimeClient {
  principal: Principal | null = null;
  private socket: SocketLike | null = null;
  private readonly lastSeq = new Map<string, number>();
  private readonly pending = new Map<string, Extract<ClientFrame, { type: 'message.send' }>>();
  /** The furthest receipt asked for per conversation, sent again after a reconnect (cursors only move forward). */
  private readonly receipts = new Map<string, { delivered: number; read: number }>();
  private inbox = false;
  private attempts = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: RealtimeClientOptions) {}

  get state(): ConnectionState {
    if (this.socket?.readyState === OPEN && this.principal) return 'open';
    return this.stopped ? 'closed' : 'connecting';
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, 'client closed');
    this.socket = null;
  }

  /** Subscribe to a conversation; `afterSeq` is the last seq the caller already has (0 for all). */
  subscribe(conversationId: string, afterSeq = 0): void {
    const known = this.lastSeq.get(conversationId);
    if (known === undefined || afterSeq > known) this.lastSeq.set(conversationId, afterSeq);
    this.sendFrame({ type: 'subscribe', conversationId, afterSeq: this.lastSeq.get(conversationId) ?? 0 });
  }

  unsubscribe(conversationId: string): void {
    this.lastSeq.delete(conversationId);
    this.sendFrame({ type: 'unsubscribe', conversationId });
  }

  subscribeInbox(): void {
    this.inbox = true;
    this.sendFrame({ type: 'inbox.subscribe' });
  }

  /** Queue a message; it is (re)sent until acked, files and all. Returns its client id. */
  send(
    conversationId: string,
    body: string,
    clientId = newClientId(),
    action?: ActionRef,
    attachmentIds?: readonly string[],
  ): string {
    const frame = {
      type: 'message.send',
      conversationId,
      clientId,
      body,
      ...(action ? { action } : {}),
      ...(attachmentIds?.length ? { attachmentIds: [...attachmentIds] } : {}),
    } as const;
    this.pending.set(clientId, frame);
    this.sendFrame(frame);
    return clientId;
  }

  typing(conversationId: string, state: 'start' | 'stop'): void {
    this.sendFrame({ type: 'typing', conversationId, state });
  }

  /**
   * Tells the server this reader has `delivered` (holds) or `read` (saw) the conversation up to `seq`.
   * Only a receipt that moves past what was already said is sent; one made while offline is sent on
   * reconnect.
   */
  receipt(conversationId: string, state: 'delivered' | 'read', seq: number): void {
    if (seq <= 0) return;
    const known = this.receipts.get(conversationId) ?? { delivered: 0, read: 0 };
    if (seq <= (state === 'read' ? known.read : known.delivered)) return;
    const next =
      state === 'read'
        ? { delivered: Math.max(known.delivered, seq), read: seq }
        : { delivered: seq, read: known.read };
    if (this.receipts.size >= 500 && !this.receipts.has(conversationId)) this.receipts.clear();
    this.receipts.set(conversationId, next);
    this.sendFrame({ type: 'receipt', conversationId, state, seq });
  }

  pendingCount(): number {
    return this.pending.size;
  }

  lastSeen(conversationId: string): number {
    return this.lastSeq.get(conversationId) ?? 0;
  }

  /**
   * A call frame (docs/PROTOCOL.md §4.5). Not queued like messages: a call lives on this one socket,
   * so on a closed socket it is refused here (false) and the caller says so.
   */
  sendCall(frame: Extract<ClientFrame, { type: `call.${string}` }>): boolean {
    if (this.state !== 'open') return false;
    this.sendFrame(frame);
    return true;
  }

  private sendFrame(frame: ClientFrame): void {
    if (this.socket?.readyState === OPEN && this.principal) this.socket.send(JSON.stringify(frame));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.opts.onState?.('connecting');
    let protocols: string[];
    try {
      protocols = await this.opts.protocols();
    } catch {
      this.scheduleReconnect(0);
      return;
    }
    if (this.stopped) return;
    const factory: SocketFactory =
      this.opts.createSocket ?? ((url, p) => new WebSocket(url, p) as unknown as SocketLike);
    const url = typeof this.opts.url === 'function' ? this.opts.url() : this.opts.url;
    const socket = factory(url, protocols);
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.handle(JSON.parse(ev.data) as ServerFrame);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.principal = null;
      this.socket = null;
      this.opts.onState?.('closed', { code: ev.code, reason: ev.reason });
      this.scheduleReconnect(ev.code);
    };
    socket.onerror = () => {};
  }

  private scheduleReconnect(code: number): void {
    if (this.stopped) return;
    if (this.opts.shouldReconnect && !this.opts.shouldReconnect(code)) return;
    // The node is restarting and said so: reconnect now (spread over a second, so the clients of a
    // whole node do not arrive at once), starting the backoff afresh.
    if (code === CLOSE.serviceRestart) this.attempts = 0;
    const min = this.opts.minBackoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 30_000;
    const delay =
      code === CLOSE.serviceRestart
        ? Math.random() * RESTART_SPREAD_MS
        : Math.min(max, min * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.principal = frame.principal;
        this.attempts = 0;
        this.opts.onState?.('open');
        if (this.inbox) this.sendFrame({ type: 'inbox.subscribe' });
        for (const [conversationId, afterSeq] of this.lastSeq) {
          this.sendFrame({ type: 'subscribe', conversationId, afterSeq });
        }
        for (const f of this.pending.values()) this.sendFrame(f);
        for (const [conversationId, r] of this.receipts) {
          if (r.read > 0) this.sendFrame({ type: 'receipt', conversationId, state: 'read', seq: r.read });
          if (r.delivered > r.read)
            this.sendFrame({ type: 'receipt', conversationId, state: 'delivered', seq: r.delivered });
        }
        break;
      case 'message.new': {
        const { conversationId, seq } = frame.message;
        const last = this.lastSeq.get(conversationId);
        if (last === undefined || seq <= last) break;
        this.lastSeq.set(conversationId, seq);
        this.opts.onMessage?.(frame.message);
        break;
      }
      case 'message.ack':
        this.pending.delete(frame.clientId);
        this.opts.onAck?.(frame);
        break;
      case 'error':
        if (frame.clientId) this.settleRejected(frame.clientId, frame.code);
        this.opts.onError?.(frame.code, frame.message, frame.rid);
        break;
      default:
        break;
    }
    this.opts.onFrame?.(frame);
  }

  /**
   * A refused send is dropped for good, unless its code says to try again later (isRetriedSend):
   * then it is sent again shortly with the same client id, which the server stores at most once.
   */
  private settleRejected(clientId: string, code: ErrorCode): void {
    const frame = this.pending.get(clientId);
    if (!frame) return;
    if (!isRetriedSend(code)) {
      this.pending.delete(clientId);
      return;
    }
    setTimeout(
      () => {
        if (this.pending.has(clientId)) this.sendFrame(frame);
      },
      code === 'rate_limited' ? 1000 : 3000,
    );
  }
}
