import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../health/check-readiness.js';

/**
 * For load balancers and supervisors, answered for any Host. `/healthz`: the process is alive and
 * answering. `/readyz`: it can serve (database, pub/sub, migrations); 503 names the failing part, so
 * a load balancer sends traffic elsewhere until it passes again.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const open = { access: { kind: 'public' } } as const;
  app.get('/healthz', { config: open }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: open }, async (_request, reply) => {
    const readiness = await checkReadiness({ db: app.db, pubsub: app.pubsub });
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });
}

/** Paths answered whatever the Host header says (origin-guard.ts). */
export const HEALTH_PATHS = new Set(['/healthz', '/readyz']);
