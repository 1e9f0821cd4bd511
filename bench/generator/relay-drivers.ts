import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { Driver, DriverContext, Peer, VisitorIdentity } from './driver.js';
import type { RelayTarget } from './plan.js';

type RelayFrame = { t: string; id?: string; c?: string };

/** The two baselines share identities: a conversation is just an id; nothing is stored. */
function identities(workerId: number, count: number): VisitorIdentity[] {
  return Array.from({ length: count }, () => ({ conversationId: `${workerId}-${randomUUID()}` }));
}

function makePeer(
  role: Peer['role'],
  conversations: string[],
  ctx: DriverContext,
  transmit: (conversationId: string, clientId: string, body: string) => void,
  close: () => void,
): Peer {
  const peer: Peer = {
    role,
    conversations,
    inFlight: 0,
    send(conversationId, clientId, body) {
      ctx.ledger.sentOne(clientId, role === 'visitor');
      peer.inFlight += 1;
      transmit(conversationId, clientId, body);
    },
    close,
  };
  return peer;
}

function acked(peer: Peer, ctx: DriverContext, clientId: string): void {
  ctx.ledger.ack(clientId);
  peer.inFlight = Math.max(0, peer.inFlight - 1);
  ctx.onSettled(peer);
}

/** The raw `ws` relay (bench/baselines/raw-relay.ts): JSON frames, an ack per message. */
export function rawDriver(target: RelayTarget, ctx: DriverContext): Driver {
  const ws = target.url.replace(/^http/, 'ws');
  function open(role: Peer['role'], query: string, conversations: string[]): Promise<Peer> {
    const socket = new WebSocket(`${ws}/?${query}`, { perMessageDeflate: false });
    let closing = false;
    const peer = makePeer(
      role,
      conversations,
      ctx,
      (c, id, b) => socket.send(JSON.stringify({ t: 'm', c, id, b })),
      () => {
        closing = true;
        socket.close(1000);
      },
    );
    return new Promise((resolve, reject) => {
      socket.on('message', (data) => {
        const f = JSON.parse(String(data)) as RelayFrame;
        if (f.t === 'a') acked(peer, ctx, f.id ?? '');
        else if (f.t === 'm') ctx.ledger.received(f.id ?? '', false);
        else if (f.t === 'ready') resolve(peer);
      });
      socket.on('open', () => {
        if (role === 'operator') socket.send(JSON.stringify({ t: 'j', c: conversations }));
      });
      socket.on('error', reject);
      socket.on('close', (code) => {
        if (closing) return;
        ctx.ledger.unexpectedCloses += 1;
        ctx.ledger.strange(`relay closed a socket: ${code}`);
      });
    });
  }
  return {
    prepareVisitors: async (count) => identities(ctx.workerId, count),
    connectVisitor: (identity) =>
      open('visitor', `role=v&c=${encodeURIComponent(identity.conversationId)}`, [identity.conversationId]),
    connectOperator: (_index, conversations) => open('operator', 'role=o', conversations),
  };
}

/** The Socket.IO relay (bench/baselines/socketio-relay.ts): rooms, emit with an ack callback. */
export function socketIoDriver(target: RelayTarget, ctx: DriverContext): Driver {
  function open(role: Peer['role'], auth: Record<string, string>, conversations: string[]): Promise<Peer> {
    // WebSocket only: long-polling first would only add requests to a comparison of message paths.
    const socket: Socket = io(target.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth,
    });
    let closing = false;
    const peer = makePeer(
      role,
      conversations,
      ctx,
      (c, id, b) => socket.emit('m', { c, id, b }, () => acked(peer, ctx, id)),
      () => {
        closing = true;
        socket.disconnect();
      },
    );
    socket.on('m', (m: RelayFrame) => ctx.ledger.received(m.id ?? '', false));
    socket.on('disconnect', (reason) => {
      if (closing) return;
      ctx.ledger.unexpectedCloses += 1;
      ctx.ledger.strange(`Socket.IO disconnected: ${reason}`);
    });
    return new Promise((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', () => {
        if (role === 'visitor') resolve(peer);
        else socket.emit('j', conversations, () => resolve(peer));
      });
    });
  }
  return {
    prepareVisitors: async (count) => identities(ctx.workerId, count),
    connectVisitor: (identity) =>
      open('visitor', { role: 'v', c: identity.conversationId }, [identity.conversationId]),
    connectOperator: (_index, conversations) => open('operator', { role: 'o' }, conversations),
  };
}
