import WebSocket from 'ws';
import { WS_PATH, WS_PROTOCOL, WS_TICKET_PREFIX } from '../../protocol/ws-close-codes.js';
import { type Driver, type DriverContext, mapLimit, type Peer, type VisitorIdentity } from './driver.js';
import { Bucket } from './pacer.js';
import type { ParleyTarget } from './plan.js';

/** Subscribing costs frames too: stay a little under the server's 20/s, burst 40 per socket. */
const SUBSCRIBE_RATE = 18;
const SUBSCRIBE_BURST = 30;

type Frame = {
  type: string;
  clientId?: string;
  duplicate?: boolean;
  code?: string;
  conversationId?: string;
  message?: { conversationId: string; seq: number; clientId: string; author: { kind: string } };
};

/**
 * Parley through its public API only, exactly as the widget iframe and the dashboard use it:
 * visitor sessions and tickets over HTTP, then `parley.v1` sockets that subscribe and send.
 */
export function parleyDriver(target: ParleyTarget, ctx: DriverContext): Driver {
  const { ledger } = ctx;
  const origin = new URL(target.url).origin;
  const agentOrigin = new URL(target.agentUrl).origin;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(target.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 429)
      throw new Error(
        `Parley rate-limited the bench (${path}); raise the limit in bench/harness/parley-env.ts`,
      );
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  function open(
    role: Peer['role'],
    url: string,
    protocols: string[],
    headers: Record<string, string>,
    wsOrigin: string,
    conversations: string[],
  ): Promise<{ peer: Peer; subscribe: (ids: string[]) => Promise<void> }> {
    const socket = new WebSocket(url.replace(/^http/, 'ws') + WS_PATH, protocols, {
      origin: wsOrigin,
      headers,
      perMessageDeflate: false,
    });
    const lastSeq = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    let closing = false;
    const peer: Peer = {
      role,
      conversations,
      inFlight: 0,
      send(conversationId, clientId, body) {
        ledger.sentOne(clientId, role === 'visitor');
        peer.inFlight += 1;
        socket.send(JSON.stringify({ type: 'message.send', conversationId, clientId, body }));
      },
      close() {
        closing = true;
        socket.close(1000);
      },
    };
    const settled = () => {
      peer.inFlight = Math.max(0, peer.inFlight - 1);
      ctx.onSettled(peer);
    };
    return new Promise((resolve, reject) => {
      socket.on('message', (data) => {
        const f = JSON.parse(String(data)) as Frame;
        switch (f.type) {
          case 'welcome':
            resolve({ peer, subscribe });
            return;
          case 'message.ack':
            if (f.duplicate) ledger.strange(`duplicate ack ${f.clientId}`);
            ledger.ack(f.clientId ?? '');
            settled();
            return;
          case 'message.new': {
            const m = f.message;
            if (!m) return;
            const last = lastSeq.get(m.conversationId) ?? 0;
            // Per socket and conversation, seqs must arrive gap-free and in order.
            if (m.seq !== last + 1) {
              ledger.orderViolations += 1;
              ledger.strange(`seq ${m.seq} after ${last} in ${m.conversationId}`);
            }
            lastSeq.set(m.conversationId, Math.max(last, m.seq));
            if (m.author.kind === 'bot') return;
            ledger.received(m.clientId, (m.author.kind === 'visitor') === (role === 'visitor'));
            return;
          }
          case 'subscribed':
            waiting.get(f.conversationId ?? '')?.();
            return;
          case 'error':
            if (f.clientId) {
              ledger.refusedOne(f.code ?? 'unknown');
              settled();
            } else ledger.strange(`error frame ${f.code}`);
            return;
        }
      });
      socket.on('unexpected-response', (_req, res) => {
        reject(new Error(`Parley refused the socket: HTTP ${res.statusCode}`));
        res.resume();
      });
      socket.on('error', (err) => reject(err));
      socket.on('close', (code) => {
        if (closing) return;
        ledger.unexpectedCloses += 1;
        ledger.strange(`socket closed by the server: ${code}`);
      });
    });

    async function subscribe(ids: string[]): Promise<void> {
      const bucket = new Bucket(SUBSCRIBE_RATE, SUBSCRIBE_BURST);
      const done = ids.map(
        (id) =>
          new Promise<void>((resolve) => {
            waiting.set(id, resolve);
          }),
      );
      for (const conversationId of ids) {
        while (!bucket.take()) await new Promise((r) => setTimeout(r, bucket.waitMs()));
        socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
      }
      await Promise.all(done);
      waiting.clear();
    }
  }

  return {
    async prepareVisitors(count: number, concurrency: number): Promise<VisitorIdentity[]> {
      return mapLimit(Array.from({ length: count }), concurrency, async () => {
        const s = await post('/api/v1/visitor/sessions', {
          widgetId: target.widgetId,
          hostOrigin: target.hostOrigin,
        });
        return { conversationId: s.conversationId as string, credential: s.credential as string };
      });
    },

    async connectVisitor(identity: VisitorIdentity): Promise<Peer> {
      const { ticket } = await post(
        '/api/v1/visitor/tickets',
        {},
        {
          authorization: `Bearer ${identity.credential}`,
        },
      );
      const conversations = [identity.conversationId];
      const { peer, subscribe } = await open(
        'visitor',
        target.url,
        [WS_PROTOCOL, WS_TICKET_PREFIX + ticket],
        {},
        origin,
        conversations,
      );
      await subscribe(conversations);
      return peer;
    },

    async connectOperator(index: number, conversations: string[]): Promise<Peer> {
      const cookie = target.agentCookies[index % target.agentCookies.length] ?? '';
      const { peer, subscribe } = await open(
        'operator',
        target.agentUrl,
        [WS_PROTOCOL],
        { cookie },
        agentOrigin,
        conversations,
      );
      await subscribe(conversations);
      return peer;
    },
  };
}
