import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../../../protocol/limits.js';
import { WS_PATH, WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';
import { authenticateHandshake, type SocketPrincipal } from './handshake.js';
import { Hub } from './hub.js';

export async function realtimeRoutes(
  app: FastifyInstance,
  options: { heartbeatIntervalMs?: number },
): Promise<void> {
  const hub = new Hub(
    app.db,
    app.pubsub,
    app.vault,
    app.log,
    options.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs,
    app.config.sessionIdleMs,
  );
  hub.externalBot = app.config.externalBot;
  await hub.start();
  app.addHook('preClose', async () => hub.stop());
  app.decorate('realtimeHub', hub);

  await app.register(websocket, {
    options: {
      maxPayload: LIMITS.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols: Set<string>) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    },
  });

  const principals = new WeakMap<FastifyRequest, SocketPrincipal>();
  app.get(
    WS_PATH,
    {
      websocket: true,
      config: { access: { kind: 'socket' } },
      preValidation: async (request) => {
        principals.set(request, await authenticateHandshake({ db: app.db, config: app.config, request }));
      },
    },
    (socket, request) => {
      const principal = principals.get(request);
      if (!principal) {
        socket.close(1011, 'not authenticated');
        return;
      }
      hub.accept(socket, principal);
    },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    realtimeHub: Hub;
  }
}
