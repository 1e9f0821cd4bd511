import type { Message } from '../../../protocol/common.js';
import { type ConnectionState, RealtimeClient } from '../../../protocol/realtime-client.js';
import type { ServerFrame } from '../../../protocol/ws.js';
import { CLOSE, WS_PATH, WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';

/**
 * The one realtime connection of a signed-in dashboard. It wraps the protocol's RealtimeClient and
 * fans its callbacks out to any number of listeners (inbox, open conversations, status banner).
 */

export interface LiveState {
  connection: ConnectionState;
  /** True once the socket has been open at least once: a later drop is a "reconnecting" state. */
  everOpened: boolean;
}

interface Options {
  /** Runs before every reconnect attempt; rejects (and redirects) when the session is gone. */
  checkSession: () => Promise<unknown>;
  onSessionEnded: () => void;
}

export class Realtime {
  readonly client: RealtimeClient;
  private readonly frameListeners = new Set<(frame: ServerFrame) => void>();
  private readonly messageListeners = new Set<(message: Message) => void>();
  private readonly stateListeners = new Set<() => void>();
  private readonly inboxListeners = new Set<() => void>();
  private live: LiveState = { connection: 'connecting', everOpened: false };
  private attempts = 0;

  constructor(opts: Options) {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    this.client = new RealtimeClient({
      url: `${scheme}://${window.location.host}${WS_PATH}`,
      // The session cookie authenticates the handshake; no ticket for agents.
      protocols: async () => {
        if (this.attempts++ > 0) await opts.checkSession();
        return [WS_PROTOCOL];
      },
      shouldReconnect: (code) => code !== CLOSE.sessionEnded,
      onMessage: (message) => {
        for (const l of this.messageListeners) l(message);
      },
      onFrame: (frame) => {
        for (const l of this.frameListeners) l(frame);
        if (frame.type === 'inbox.subscribed') for (const l of this.inboxListeners) l();
      },
      onState: (connection, detail) => {
        if (connection === 'open') this.attempts = 1;
        this.setState({ connection, everOpened: this.live.everOpened || connection === 'open' });
        if (connection === 'closed' && detail?.code === CLOSE.sessionEnded) opts.onSessionEnded();
      },
    });
  }

  start(): void {
    this.client.start();
  }

  stop(): void {
    this.frameListeners.clear();
    this.messageListeners.clear();
    this.stateListeners.clear();
    this.inboxListeners.clear();
    this.client.stop();
  }

  get state(): LiveState {
    return this.live;
  }

  onFrame(listener: (frame: ServerFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onMessage(listener: (message: Message) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Each time the socket's inbox subscription takes hold: when the page opens, and again after every
   * reconnect. Workspace updates (inbox, counts, labels, the agent's reads) sent before that moment
   * never reached this page, even those sent while its first HTTP reads were under way, so whatever
   * it read over HTTP is read again here.
   */
  onInboxSubscribed(listener: () => void): () => void {
    this.inboxListeners.add(listener);
    return () => this.inboxListeners.delete(listener);
  }

  private setState(next: LiveState): void {
    if (next.connection === this.live.connection && next.everOpened === this.live.everOpened) return;
    this.live = next;
    for (const l of this.stateListeners) l();
  }
}
