import type { ServerResponse } from 'node:http';
import websocket from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../../../protocol/limits.js';
import { WS_PATH, WS_PROTOCOL } from '../../../protocol/ws-close-codes.js';
import { CALL_SWEEP_INTERVAL_SECONDS, createCallSweepJob } from '../calls/create-call-sweep-job.js';
import { iceServersFor } from '../calls/ice-servers.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { CallTokenBudget } from './call-seats.js';
import { authenticateHandshake, type SocketPrincipal } from './handshake.js';
import { Hub } from './hub.js';
import { MessageBudget } from './message-budget.js';

export async function realtimeRoutes(
  app: FastifyInstance,
  options: { heartbeatIntervalMs?: number; onHub?: (hub: Hub) => void },
): Promise<void> {
  const hub = new Hub(
    messageDeps(app),
    app.log,
    options.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs,
    app.config.sessionIdleMs,
  );
  hub.messageBudget = new MessageBudget(app.config.rateLimits.messages);
  hub.callTokenBudget = new CallTokenBudget(app.sharedCounters);
  hub.iceServers = (principalId) => iceServersFor(app.config.calls, principalId);
  await hub.start();
  app.addHook('preClose', async () => hub.stop());
  // Calls nobody can end any more (rung out, or a side's node died) end here, on one node at a time.
  const callSweep = createCallSweepJob(hub.callDeps, { node: hub.nodeId, log: app.log });
  callSweep.start(CALL_SWEEP_INTERVAL_SECONDS, (err) => app.log.warn({ err }, 'call sweep failed'));
  app.addHook('preClose', async () => callSweep.stop());
  options.onHub?.(hub);

  await app.register(websocket, {
    errorHandler: onSocketError,
    options: {
      maxPayload: LIMITS.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols: Set<string>) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    },
  });

  const principals = new WeakMap<FastifyRequest, SocketPrincipal>();
  const responses = new WeakMap<FastifyRequest, ServerResponse>();
  app.get(
    WS_PATH,
    {
      websocket: true,
      config: { access: { kind: 'socket' } },
      preValidation: async (request, reply) => {
        principals.set(request, await authenticateHandshake({ db: app.db, config: app.config, request }));
        responses.set(request, reply.raw);
      },
    },
    (socket, request) => {
      const principal = principals.get(request);
      if (!principal) {
        socket.close(1011, 'not authenticated');
        return;
      }
      // What routed the upgrade stays reachable from the socket for its whole life unless let go: the
      // response object the plugin attached to the TCP socket, and the plugin's error listener, hold
      // the request, the reply, their headers and a child logger, kilobytes per idle socket. The
      // listener that replaces it keeps only the request id.
      responses.get(request)?.detachSocket(request.raw.socket);
      socket.removeAllListeners('error');
      const reqId = request.id;
      socket.on('error', (error: Error & { code?: string }) =>
        logSocketError(app.log.child({ reqId }), error, socket),
      );
      hub.accept(socket, principal, request.raw.socket);
    },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    realtimeHub: Hub;
  }
}

/**
 * Errors on an open socket. A client breaking the protocol (bad UTF-8, a frame over the limit) is
 * the client's problem: `ws` already closes with 1007/1009, and anyone can cause it, so it is logged
 * at info without a stack. Anything else is unexpected and logged once as a warning.
 */
function onSocketError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: { readyState: number; terminate(): void },
  request: FastifyRequest,
): void {
  logSocketError(request.log, error, socket);
}

function logSocketError(
  log: FastifyBaseLogger,
  error: Error & { code?: string },
  socket: { readyState: number; terminate(): void },
): void {
  if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) {
    log.info({ code: error.code, reason: error.message }, 'socket closed: protocol error');
    return;
  }
  log.warn({ err: { message: error.message, code: error.code } }, 'socket error');
  if (socket.readyState <= 1) socket.terminate();
}
