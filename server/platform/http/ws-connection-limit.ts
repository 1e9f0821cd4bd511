import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { emit } from '../metrics/signals.js';
import { addressKey } from './client-address.js';

/**
 * Caps the WebSocket connections one client address holds open on this node. Checked at `onRequest`
 * of the socket route, before authentication and before the upgrade, so a refusal is a plain 429 and
 * no WebSocket is opened. A connection counts from its handshake until its TCP connection closes.
 * The handshake *rate* (rule `ws-handshake`) is counted across all nodes; this count is per node,
 * since it tracks sockets this process holds.
 */
export function registerWsConnectionLimit(app: FastifyInstance, config: Pick<Config, 'wsConnectionsPerIp'>) {
  const open = new Map<string, number>();
  const counted = new WeakSet<Socket>();
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.access?.kind !== 'socket') return;
    const socket = request.raw.socket;
    if (counted.has(socket)) return;
    const key = addressKey(request.ip);
    const current = open.get(key) ?? 0;
    if (current >= config.wsConnectionsPerIp) {
      reply.header('retry-after', '30');
      emit('limit.refused', { limit: 'ws-connections' });
      throw new AppError('rate_limited', {
        message: 'Too many open connections from your network address. Close some and try again.',
      });
    }
    open.set(key, current + 1);
    counted.add(socket);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
  // Node's HTTP server lets go of a socket once it emits 'upgrade', so a refusal written to it is the
  // last anyone does with it: refused before its request was read (at this hook, a rate limit, the
  // Host check), it is never read again and never notices the client hanging up. Each refusal would
  // leak a socket, turning the cap above into a way to exhaust file descriptors. Refusals go through
  // reply.send (a successful upgrade never does), so close the connection once the refusal is out.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.headers.upgrade) return payload;
    reply.header('connection', 'close');
    reply.raw.once('finish', () => request.raw.socket.end());
    return payload;
  });
}
