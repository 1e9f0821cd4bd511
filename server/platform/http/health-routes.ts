import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Closed } from '../../../protocol/responses.js';
import { checkReadiness } from '../health/check-readiness.js';

/**
 * For load balancers and supervisors, answered for any Host. `/healthz`: the process is alive and
 * answering. `/readyz`: it can serve (database, pub/sub, migrations); 503 names the failing part, so
 * a load balancer sends traffic elsewhere until it passes again.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const open = { access: { kind: 'public' } } as const;
  app.get(
    '/healthz',
    { schema: { response: { 200: Closed({ status: Type.Literal('ok') }) } }, config: open },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    { schema: { response: { 200: Readiness, 503: Readiness } }, config: open },
    async (_request, reply) => {
      const readiness = await checkReadiness({ db: app.db, pubsub: app.pubsub });
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );
}

const Check = Type.Union(['ok', 'failing', 'pending', 'unknown'].map((s) => Type.Literal(s)));
const Readiness = Closed({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Closed({ database: Check, pubsub: Check, migrations: Check }),
});

/** Paths answered whatever the Host header says (origin-guard.ts). */
export const HEALTH_PATHS = new Set(['/healthz', '/readyz']);
